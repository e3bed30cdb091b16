"""Kapstok 2, good guidance: questions answered, and the FAQ."""
