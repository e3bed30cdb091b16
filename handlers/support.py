"""Kapstok 5, financial and material support: subsidies and the lending service."""

from bot.i18n import N_
from handlers.kapstokken import KapstokPage

PAGE = KapstokPage(
    number=5,
    emoji="💶",
    title=N_("Financial and material support"),
    intro=N_(
        "The municipality supports the associations with subsidies and with gear from its "
        "lending service. Clear rules and requests that are followed up to the end make that "
        "support something an association can count on."
    ),
)
