"""Kapstok 4, cooperation around activities: activities attuned to each other."""

from bot.i18n import N_
from handlers.kapstokken import KapstokPage

PAGE = KapstokPage(
    number=4,
    emoji="📅",
    title=N_("Cooperation around activities"),
    intro=N_(
        "Good cooperation has to become concrete and visible. When associations and the "
        "municipality attune their activities to each other, they organise things together, "
        "avoid clashes and reach more people."
    ),
)
