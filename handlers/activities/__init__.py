"""Kapstok 4, cooperation around activities."""
