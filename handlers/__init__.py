"""Telegram handlers: one module per kapstok, plus onboarding, membership, the liaison side and
the common commands."""
