"""Kapstok 5, financial and material support."""
