"""Kapstok 3, cooperation between associations."""
