"""Kapstok's rules as plain Python: no Telegram, no SQLite."""
