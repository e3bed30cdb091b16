"""The five kapstokken of good cooperation, as data: number, emoji, title and intro.

Titles and intros are English msgids; the caller translates them.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:
    """Mark a text for translation; it is translated where it is shown."""
    return message


@dataclass(frozen=True, slots=True)
class Kapstok:
    number: int
    emoji: str
    title: str
    intro: str
    meaning: str  # one sentence: what a score for this kapstok is about


RELATIONSHIP = Kapstok(
    1,
    "🤝",
    N_("Good relationship"),
    N_(
        "The municipality and the associations are no islands. Both start from their own "
        "identity and dare to look over the walls of their own work. The municipality is no "
        "competitor of the associations: together they look for common interests and for "
        "win-win situations for everyone involved."
    ),
    N_("How the municipality and the associations get on with each other."),
)
GUIDANCE = Kapstok(
    2,
    "🧭",
    N_("Good guidance"),
    N_(
        "The municipality guides the associations: with advice, with clear information and with "
        "a contact person who knows them. A board with a question should not have to look for "
        "the right department; the answer comes to them."
    ),
    N_("How well the municipality advises, informs and follows up your association."),
)
COOPERATION = Kapstok(
    3,
    "🔗",
    N_("Cooperation between associations"),
    N_(
        "Associations of all kinds can strengthen each other: by sharing volunteers, gear and "
        "know-how, and by doing things together. Each keeps its own identity; the municipality "
        "helps them find each other."
    ),
    N_("How associations find each other and work together."),
)
ACTIVITIES = Kapstok(
    4,
    "📅",
    N_("Cooperation around activities"),
    N_(
        "Good cooperation has to become concrete and visible. When associations and the "
        "municipality attune their activities to each other, they organise things together, "
        "avoid clashes and reach more people."
    ),
    N_("How activities are attuned to each other and organised together."),
)
SUPPORT = Kapstok(
    5,
    "💶",
    N_("Financial and material support"),
    N_(
        "The municipality supports the associations with subsidies and with gear from its "
        "lending service. Clear rules and requests that are followed up to the end make that "
        "support something an association can count on."
    ),
    N_("How subsidies and gear from the lending service support your association."),
)

KAPSTOKKEN: tuple[Kapstok, ...] = (RELATIONSHIP, GUIDANCE, COOPERATION, ACTIVITIES, SUPPORT)
NUMBERS = frozenset(kapstok.number for kapstok in KAPSTOKKEN)
# Kapstokken whose page lets a board member ask the municipality something.
ASKING = frozenset({RELATIONSHIP.number, GUIDANCE.number})


def by_number(number: int) -> Kapstok | None:
    return next((kapstok for kapstok in KAPSTOKKEN if kapstok.number == number), None)
