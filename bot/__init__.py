"""Kapstok: the Telegram bot for cooperation between a municipality and its associations."""
