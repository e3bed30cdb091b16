"""Who is writing: profiles, names and the role each kind of profile gets."""

from __future__ import annotations

import pytest

from bot.domain.associations import AssociationStatus
from bot.domain.people import Membership, Profile, Role, User, full_name, role_of

JAN = User(user_id=10, first_name="Jan", last_name="Janssens", username="jan", language="fr")


def a_profile(
    status: AssociationStatus | None = None, is_liaison: bool = False, association_id: int = 3
) -> Profile:
    membership = Membership(association_id, "Chiro Sint-Jan", status) if status else None
    return Profile.of(JAN, membership, is_liaison)


def test_somebody_the_bot_does_not_know_is_a_stranger():
    assert role_of(None, is_admin=False) is Role.STRANGER
    assert role_of(None, is_admin=True) is Role.STRANGER


@pytest.mark.parametrize(
    ("profile", "is_admin", "role"),
    [
        (a_profile(), True, Role.ADMIN),
        (a_profile(AssociationStatus.APPROVED, is_liaison=True), True, Role.ADMIN),
        (a_profile(is_liaison=True), False, Role.LIAISON),
        (a_profile(AssociationStatus.APPROVED, is_liaison=True), False, Role.LIAISON),
        (a_profile(AssociationStatus.APPROVED), False, Role.MEMBER),
        (a_profile(AssociationStatus.PENDING), False, Role.PENDING_MEMBER),
        (a_profile(AssociationStatus.REJECTED), False, Role.STRANGER),
        (a_profile(), False, Role.STRANGER),
    ],
    ids=[
        "admin",
        "admin who is a member",
        "liaison",
        "liaison who is a member",
        "approved member",
        "pending member",
        "member of a rejected association",
        "no association",
    ],
)
def test_each_kind_of_profile_gets_its_highest_role(profile, is_admin, role):
    assert role_of(profile, is_admin) is role


def test_roles_are_ordered_from_stranger_to_admin():
    assert Role.STRANGER < Role.PENDING_MEMBER < Role.MEMBER < Role.LIAISON < Role.ADMIN


def test_a_profile_joins_the_user_their_membership_and_whether_they_are_a_liaison():
    profile = Profile.of(JAN, Membership(3, "Chiro Sint-Jan", AssociationStatus.APPROVED), True)
    assert profile == Profile(
        user_id=10,
        first_name="Jan",
        last_name="Janssens",
        username="jan",
        language="fr",
        association_id=3,
        association_name="Chiro Sint-Jan",
        association_status=AssociationStatus.APPROVED,
        is_liaison=True,
    )
    assert profile.is_approved_member
    assert not profile.is_pending_member


def test_a_profile_without_membership_has_no_association():
    profile = Profile.of(JAN, None, False)
    assert (profile.association_id, profile.association_name, profile.association_status) == (
        None,
        None,
        None,
    )
    assert not profile.is_approved_member
    assert not profile.is_pending_member
    assert not profile.is_liaison


def test_a_pending_membership_makes_a_pending_member():
    profile = a_profile(AssociationStatus.PENDING)
    assert profile.is_pending_member
    assert not profile.is_approved_member


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [("Jan", "Janssens", "Jan Janssens"), ("Jan", None, "Jan"), ("Jan", "", "Jan")],
)
def test_a_full_name_is_the_first_name_and_the_last_name_if_there_is_one(first, last, expected):
    assert full_name(first, last) == expected
    user = User(1, first, last, None, "nl")
    assert user.full_name == expected
    assert Profile.of(user, None, False).full_name == expected
