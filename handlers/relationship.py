"""Kapstok 1, good relationship: a direct line between the municipality and the association."""

from bot.i18n import N_
from handlers.kapstokken import KapstokPage

PAGE = KapstokPage(
    number=1,
    emoji="🤝",
    title=N_("Good relationship"),
    intro=N_(
        "The municipality and the associations are no islands. Both start from their own "
        "identity and dare to look over the walls of their own work. The municipality is no "
        "competitor of the associations: together they look for common interests and for "
        "win-win situations for everyone involved."
    ),
)
