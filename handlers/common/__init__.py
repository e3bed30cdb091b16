"""What everyone has: start and menu, help, language, privacy, and the last resort."""
