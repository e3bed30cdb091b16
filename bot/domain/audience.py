"""Who a message to many is for: which associations' boards, chosen by a liaison."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.domain.associations import AssociationKind

LANGUAGES = ("nl", "fr", "en")


@dataclass(frozen=True, slots=True)
class Audience:
    """The board members of approved associations, narrowed down. An empty set means all."""

    kinds: frozenset[AssociationKind] = frozenset()
    languages: frozenset[str] = frozenset()  # the board members' languages
    open_thread: bool = False  # only associations with a thread that is not closed

    @property
    def everyone(self) -> bool:
        return not (self.kinds or self.languages or self.open_thread)

    def toggled_kind(self, kind: AssociationKind) -> Audience:
        return Audience(self.kinds ^ {kind}, self.languages, self.open_thread)

    def toggled_language(self, language: str) -> Audience:
        return Audience(self.kinds, self.languages ^ {language}, self.open_thread)

    def toggled_open_thread(self) -> Audience:
        return Audience(self.kinds, self.languages, not self.open_thread)

    def to_json(self) -> str:
        return json.dumps(
            {
                "kinds": sorted(self.kinds),
                "languages": sorted(self.languages),
                "open_thread": self.open_thread,
            }
        )

    @classmethod
    def from_json(cls, text: str | None) -> Audience:
        """The audience a stored text describes; what is not understood is left out."""
        try:
            data = json.loads(text or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        known_kinds = {kind.value for kind in AssociationKind}
        return cls(
            kinds=frozenset(AssociationKind(k) for k in data.get("kinds", ()) if k in known_kinds),
            languages=frozenset(x for x in data.get("languages", ()) if x in LANGUAGES),
            open_thread=data.get("open_thread") is True,
        )
