"""Kapstok's storage: one SQLite file behind a typed async store."""

from storage.models import (
    Association,
    AssociationKind,
    AssociationStatus,
    BoardMember,
    Decision,
    InviteCode,
    LiaisonOfficer,
    PersonalData,
    Profile,
    Redemption,
    RedemptionOutcome,
)
from storage.store import DuplicateAssociationName, Store, StoreError

__all__ = [
    "Association",
    "AssociationKind",
    "AssociationStatus",
    "BoardMember",
    "Decision",
    "DuplicateAssociationName",
    "InviteCode",
    "LiaisonOfficer",
    "PersonalData",
    "Profile",
    "Redemption",
    "RedemptionOutcome",
    "Store",
    "StoreError",
]
