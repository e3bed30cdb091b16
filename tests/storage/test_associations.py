"""The association repository: registering, deciding, membership in memory, invite codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.associations import (
    INVITE_CODE_ALPHABET,
    AssociationKind,
    AssociationStatus,
    RedemptionOutcome,
)
from bot.domain.people import Membership
from storage import Store
from storage.errors import AlreadyBoardMember, DuplicateAssociationName

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
JAN, PIET, LIES, BERT = 10, 11, 12, 20


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def store(tmp_path, clock):
    store = await Store.open(tmp_path / "kapstok.sqlite3", clock)
    await store.users.ensure(JAN, "Jan", "Janssens", None, "nl")
    await store.users.ensure(PIET, "Piet", None, None, "nl")
    await store.users.ensure(LIES, "Lies", None, None, "fr")
    yield store
    await store.close()


async def _statements(store: Store) -> list[str]:
    statements: list[str] = []
    await store.db.trace(statements.append)
    return statements


async def _chiro(store: Store, approve: bool = True) -> int:
    association = await store.associations.register(
        JAN, "Chiro Sint-Jan", AssociationKind.YOUTH, "Jeugdbeweging"
    )
    if approve:
        await store.associations.decide(association.association_id, True, BERT, "Bert")
    return association.association_id


# --- registering -------------------------------------------------------------------------------


async def test_registering_creates_a_pending_association_with_its_first_board_member(store):
    association = await store.associations.register(
        JAN, "Chiro Sint-Jan", AssociationKind.YOUTH, "Jeugdbeweging"
    )
    assert association.name == "Chiro Sint-Jan"
    assert association.kind is AssociationKind.YOUTH
    assert association.description == "Jeugdbeweging"
    assert association.status is AssociationStatus.PENDING
    assert (association.registered_by, association.registered_name) == (JAN, "Jan Janssens")
    assert association.registered_at == T0
    assert (association.decided_by_name, association.decided_at) == (None, None)
    assert await store.associations.get(association.association_id) == association
    assert await store.associations.membership(JAN) == Membership(
        association.association_id, "Chiro Sint-Jan", AssociationStatus.PENDING
    )
    assert [m.user_id for m in await store.associations.board_members(1)] == [JAN]
    assert await store.associations.joined_at(JAN) == T0
    assert await store.associations.registered_by(JAN) == ["Chiro Sint-Jan"]
    assert [a.association_id for a in await store.associations.pending()] == [
        association.association_id
    ]


async def test_a_name_that_equals_a_live_one_loosely_is_refused(store):
    chiro = await _chiro(store, approve=False)
    with pytest.raises(DuplicateAssociationName) as refused:
        await store.associations.register(PIET, "chiro  SINT-jan!", AssociationKind.SPORT, "x")
    assert refused.value.existing.association_id == chiro
    assert await store.associations.membership(PIET) is None
    assert len(await store.associations.pending()) == 1
    assert (await store.associations.find_by_name("CHIRO sint jan")).association_id == chiro


async def test_a_rejected_association_frees_its_name(store):
    chiro = await _chiro(store, approve=False)
    await store.associations.decide(chiro, False, BERT, "Bert", "dubbel")
    assert await store.associations.find_by_name("Chiro Sint-Jan") is None
    again = await store.associations.register(PIET, "Chiro Sint-Jan", AssociationKind.YOUTH, "x")
    assert again.association_id != chiro
    assert (await store.associations.find_by_name("chiro sint jan")).association_id == (
        again.association_id
    )


async def test_a_board_member_cannot_register_a_second_association(store):
    await _chiro(store)
    with pytest.raises(AlreadyBoardMember):
        await store.associations.register(JAN, "KSA Noord", AssociationKind.YOUTH, "x")
    assert await store.associations.find_by_name("KSA Noord") is None


# --- membership in memory ----------------------------------------------------------------------


async def test_a_membership_is_read_once_then_from_memory(store, tmp_path, clock):
    chiro = await _chiro(store)
    reopened = await Store.open(tmp_path / "kapstok.sqlite3", clock)
    try:
        statements = await _statements(reopened)
        expected = Membership(chiro, "Chiro Sint-Jan", AssociationStatus.APPROVED)
        assert await reopened.associations.membership(JAN) == expected
        assert await reopened.associations.membership(PIET) is None
        assert len(statements) == 2
        assert await reopened.associations.membership(JAN) == expected
        assert await reopened.associations.membership(PIET) is None
        assert len(statements) == 2
    finally:
        await reopened.close()


async def test_approving_shows_in_the_membership_at_once(store):
    chiro = await _chiro(store, approve=False)
    assert (await store.associations.membership(JAN)).status is AssociationStatus.PENDING
    await store.associations.decide(chiro, True, BERT, "Bert")
    assert (await store.associations.membership(JAN)).status is AssociationStatus.APPROVED


async def test_rejecting_ends_the_memberships_of_its_board(store):
    chiro = await _chiro(store, approve=False)
    assert await store.associations.membership(JAN) is not None
    decision = await store.associations.decide(chiro, False, BERT, "Bert", "dubbel")
    assert decision.changed
    assert [member.user_id for member in decision.members] == [JAN]
    assert decision.association.status is AssociationStatus.REJECTED
    assert decision.association.rejection_reason == "dubbel"
    assert await store.associations.membership(JAN) is None
    assert await store.associations.board_members(chiro) == []


async def test_leaving_ends_the_membership(store):
    chiro = await _chiro(store)
    code = await store.associations.create_invite_code(chiro, JAN)
    await store.associations.redeem(PIET, code.code)
    assert await store.associations.membership(PIET) is not None
    left = await store.associations.leave(PIET)
    assert left.association_id == chiro
    assert await store.associations.membership(PIET) is None
    assert await store.associations.joined_at(PIET) is None
    assert [m.user_id for m in await store.associations.board_members(chiro)] == [JAN]
    assert await store.associations.leave(PIET) is None


async def test_redeeming_a_code_shows_in_the_membership_at_once(store):
    chiro = await _chiro(store)
    assert await store.associations.membership(PIET) is None
    code = await store.associations.create_invite_code(chiro, JAN)
    await store.associations.redeem(PIET, code.code)
    assert await store.associations.membership(PIET) == Membership(
        chiro, "Chiro Sint-Jan", AssociationStatus.APPROVED
    )


# --- deciding ----------------------------------------------------------------------------------


async def test_an_association_is_decided_once(store, clock):
    chiro = await _chiro(store, approve=False)
    first = await store.associations.decide(chiro, True, BERT, "Bert")
    assert first.changed
    assert first.association.status is AssociationStatus.APPROVED
    assert (first.association.decided_by_name, first.association.decided_at) == ("Bert", T0)
    clock.advance(hours=1)
    second = await store.associations.decide(chiro, False, 21, "Carla", "nee")
    assert not second.changed
    assert second.association == first.association
    assert await store.associations.membership(JAN) is not None
    assert await store.associations.pending() == []


async def test_deciding_an_unknown_association_gives_nothing(store):
    assert await store.associations.decide(99, True, BERT, "Bert") is None


# --- invite codes ------------------------------------------------------------------------------


async def test_an_invite_code_is_eight_unambiguous_characters_valid_for_a_week(store):
    chiro = await _chiro(store)
    code = await store.associations.create_invite_code(chiro, JAN)
    assert len(code.code) == 8
    assert set(code.code) <= set(INVITE_CODE_ALPHABET)
    assert (code.association_id, code.created_at, code.used_at) == (chiro, T0, None)
    assert code.expires_at == T0 + timedelta(days=7)
    assert await store.associations.invite_codes_by(JAN) == [code]
    other = await store.associations.create_invite_code(chiro, JAN)
    assert other.code != code.code


async def test_a_code_typed_loosely_makes_the_user_a_board_member(store):
    chiro = await _chiro(store)
    code = (await store.associations.create_invite_code(chiro, JAN)).code
    typed = f" {code[:4].lower()}-{code[4:].lower()} "
    redemption = await store.associations.redeem(PIET, typed)
    assert redemption.outcome is RedemptionOutcome.JOINED
    assert redemption.association.association_id == chiro
    assert [m.user_id for m in await store.associations.board_members(chiro)] == [JAN, PIET]
    assert (await store.associations.invite_codes_by(JAN))[0].used_at == T0


async def test_a_used_code_does_not_work_twice(store):
    chiro = await _chiro(store)
    code = (await store.associations.create_invite_code(chiro, JAN)).code
    await store.associations.redeem(PIET, code)
    redemption = await store.associations.redeem(LIES, code)
    assert redemption.outcome is RedemptionOutcome.USED
    assert redemption.may_try_again
    assert await store.associations.membership(LIES) is None
    assert await store.associations.wrong_code_attempts(LIES) == 0


async def test_a_code_expires_after_a_week(store, clock):
    chiro = await _chiro(store)
    code = await store.associations.create_invite_code(chiro, JAN)
    clock.advance(days=7, seconds=-1)
    before = await store.associations.redeem(PIET, code.code)
    assert before.outcome is RedemptionOutcome.JOINED
    late = await store.associations.create_invite_code(chiro, JAN)
    clock.advance(days=7, seconds=1)
    redemption = await store.associations.redeem(LIES, late.code)
    assert redemption.outcome is RedemptionOutcome.EXPIRED
    assert redemption.expired_at == late.expires_at
    assert await store.associations.membership(LIES) is None


async def test_five_wrong_codes_within_a_day_lock_the_user_out_for_a_day(store, clock):
    chiro = await _chiro(store)
    tries_left = []
    for _ in range(4):
        redemption = await store.associations.redeem(PIET, "WRONG234")
        assert redemption.outcome is RedemptionOutcome.UNKNOWN
        tries_left.append(redemption.tries_left)
        clock.advance(hours=1)
    assert tries_left == [4, 3, 2, 1]
    fifth = await store.associations.redeem(PIET, "WRONG234")
    assert fifth.outcome is RedemptionOutcome.LOCKED
    assert fifth.locked_until == T0 + timedelta(hours=24)
    assert not fifth.may_try_again
    good = (await store.associations.create_invite_code(chiro, JAN)).code
    locked = await store.associations.redeem(PIET, good)
    assert locked.outcome is RedemptionOutcome.LOCKED
    assert locked.locked_until == T0 + timedelta(hours=24)
    assert await store.associations.wrong_code_attempts(PIET) == 5
    assert await store.associations.membership(PIET) is None
    clock.now = T0 + timedelta(hours=24)
    assert (await store.associations.redeem(PIET, good)).outcome is RedemptionOutcome.JOINED


async def test_wrong_codes_spread_over_more_than_a_day_do_not_lock(store, clock):
    for _ in range(4):
        await store.associations.redeem(PIET, "WRONG234")
    clock.advance(hours=24, seconds=1)
    outcomes = {(await store.associations.redeem(PIET, "WRONG234")).outcome for _ in range(4)}
    assert outcomes == {RedemptionOutcome.UNKNOWN}


async def test_wrong_codes_of_one_user_do_not_lock_another(store):
    for _ in range(5):
        await store.associations.redeem(PIET, "WRONG234")
    redemption = await store.associations.redeem(LIES, "WRONG234")
    assert redemption.outcome is RedemptionOutcome.UNKNOWN
    assert redemption.tries_left == 4


async def test_a_board_member_redeeming_a_code_is_told_so_and_the_code_stays_unused(store):
    chiro = await _chiro(store)
    code = (await store.associations.create_invite_code(chiro, JAN)).code
    redemption = await store.associations.redeem(JAN, code)
    assert redemption.outcome is RedemptionOutcome.ALREADY_MEMBER
    assert not redemption.may_try_again
    assert (await store.associations.redeem(PIET, code)).outcome is RedemptionOutcome.JOINED


@pytest.mark.parametrize("approve", [None, False], ids=["pending", "rejected"])
async def test_a_code_of_an_association_that_is_not_approved_lets_nobody_join(store, approve):
    chiro = await _chiro(store, approve=False)
    code = (await store.associations.create_invite_code(chiro, JAN)).code
    if approve is not None:
        await store.associations.decide(chiro, approve, BERT, "Bert")
    redemption = await store.associations.redeem(PIET, code)
    assert redemption.outcome is RedemptionOutcome.ASSOCIATION_CLOSED
    assert await store.associations.membership(PIET) is None


async def test_the_invite_code_returned_is_the_one_stored(store, clock):
    chiro = await _chiro(store)
    clock.now = T0 + timedelta(microseconds=250_000)
    code = await store.associations.create_invite_code(chiro, JAN)
    assert await store.associations.invite_codes_by(JAN) == [code]
