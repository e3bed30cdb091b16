"""Broadcasts: a liaison writes once to the boards of many associations."""
