"""What the store refuses, for the handlers to explain."""

from __future__ import annotations

from bot.domain.associations import Association


class StoreError(Exception):
    """A store operation could not be carried out."""


class DuplicateAssociationName(StoreError):
    def __init__(self, existing: Association) -> None:
        super().__init__(existing.name)
        self.existing = existing


class AlreadyBoardMember(StoreError):
    pass
