"""Associations: registering and joining, the board, approval by a liaison, the liaisons."""
