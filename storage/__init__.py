"""Kapstok's storage: one SQLite file behind a typed async store."""

from storage.errors import AlreadyBoardMember, DuplicateAssociationName, StoreError
from storage.store import Store

__all__ = ["AlreadyBoardMember", "DuplicateAssociationName", "Store", "StoreError"]
