"""Kapstok 3, cooperation between associations: associations find and strengthen each other."""

from bot.i18n import N_
from handlers.kapstokken import KapstokPage

PAGE = KapstokPage(
    number=3,
    emoji="🔗",
    title=N_("Cooperation between associations"),
    intro=N_(
        "Associations of all kinds can strengthen each other: by sharing volunteers, gear and "
        "know-how, and by doing things together. Each keeps its own identity; the municipality "
        "helps them find each other."
    ),
)
