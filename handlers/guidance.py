"""Kapstok 2, good guidance: the municipality helps a board find its way."""

from bot.i18n import N_
from handlers.kapstokken import KapstokPage

PAGE = KapstokPage(
    number=2,
    emoji="🧭",
    title=N_("Good guidance"),
    intro=N_(
        "The municipality guides the associations: with advice, with clear information and with "
        "a contact person who knows them. A board with a question should not have to look for "
        "the right department; the answer comes to them."
    ),
)
