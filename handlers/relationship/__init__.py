"""Kapstok 1, good relationship: a direct line between the municipality and the association."""
