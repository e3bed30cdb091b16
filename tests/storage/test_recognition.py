"""The recognition repository against a real SQLite file."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime

import pytest

from bot.domain.associations import AssociationKind
from bot.domain.recognition import Recognition, RecognitionStatus
from storage import Store

T0 = datetime(2027, 3, 3, 9, 0, tzinfo=UTC)
RENEWAL = date(2028, 3, 12)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def store(tmp_path):
    store = await Store.open(tmp_path / "kapstok.sqlite3", Clock())
    yield store
    await store.close()


async def association(store: Store, user_id: int, name: str, approve: bool = True) -> int:
    await store.users.ensure(user_id, "Jan", None, None, "nl")
    made = await store.associations.register(user_id, name, AssociationKind.YOUTH, "")
    if approve:
        await store.associations.decide(made.association_id, True, 1, "Liaison")
    return made.association_id


async def test_nothing_recorded_is_none(store):
    chiro = await association(store, 10, "Chiro")
    assert await store.recognition.get(chiro) == Recognition(chiro)


async def test_a_status_is_recorded_with_who_and_when_and_replaced(store):
    chiro = await association(store, 10, "Chiro")
    await store.users.ensure(401, "Liesbeth", None, None, "nl")
    applied = await store.recognition.set(chiro, RecognitionStatus.APPLIED, None, 401)
    assert applied == Recognition(chiro, RecognitionStatus.APPLIED, None, 401, T0, None)
    recognised = await store.recognition.set(
        chiro, RecognitionStatus.RECOGNISED, RENEWAL, 401, last_reminder=60
    )
    assert recognised.renews_on == RENEWAL and recognised.last_reminder == 60
    suspended = await store.recognition.set(chiro, RecognitionStatus.SUSPENDED, None, 401)
    assert suspended.renews_on is None and suspended.last_reminder is None
    rows = await store.db.fetchall("SELECT * FROM association_recognition")
    assert len(rows) == 1


async def test_a_renewal_date_goes_with_recognised_only(store):
    chiro = await association(store, 10, "Chiro")
    with pytest.raises(ValueError):
        await store.recognition.set(chiro, RecognitionStatus.RECOGNISED, None, None)
    with pytest.raises(ValueError):
        await store.recognition.set(chiro, RecognitionStatus.APPLIED, RENEWAL, None)
    with pytest.raises(sqlite3.IntegrityError):
        await store.db.write(
            "INSERT INTO association_recognition (association_id, status, recorded_at)"
            " VALUES (?, 'recognised', '2027-01-01')",
            (chiro,),
        )


async def test_renewing_until_lists_recognised_approved_associations_by_date(store):
    chiro = await association(store, 10, "Chiro")
    ksa = await association(store, 11, "KSA")
    scouts = await association(store, 12, "Scouts")
    pending = await association(store, 13, "Fanfare", approve=False)
    later = await association(store, 14, "Later")
    await store.recognition.set(chiro, RecognitionStatus.RECOGNISED, RENEWAL, None)
    await store.recognition.set(ksa, RecognitionStatus.RECOGNISED, date(2028, 1, 1), None)
    await store.recognition.set(scouts, RecognitionStatus.APPLIED, None, None)
    await store.recognition.set(pending, RecognitionStatus.RECOGNISED, date(2028, 1, 1), None)
    await store.recognition.set(later, RecognitionStatus.RECOGNISED, date(2028, 3, 13), None)
    found = await store.recognition.renewing_until(RENEWAL)
    assert [r.association_id for r in found] == [ksa, chiro]


async def test_each_reminder_is_marked_once(store):
    chiro = await association(store, 10, "Chiro")
    await store.recognition.set(chiro, RecognitionStatus.RECOGNISED, RENEWAL, None)
    assert await store.recognition.mark_reminded(chiro, RENEWAL, 60)
    assert not await store.recognition.mark_reminded(chiro, RENEWAL, 60)
    assert await store.recognition.mark_reminded(chiro, RENEWAL, 14)
    assert not await store.recognition.mark_reminded(chiro, RENEWAL, 60)
    assert not await store.recognition.mark_reminded(chiro, RENEWAL, 14)
    assert (await store.recognition.get(chiro)).last_reminder == 14
    # A new date recorded meanwhile: the old date's reminder is not marked on it.
    await store.recognition.set(chiro, RecognitionStatus.RECOGNISED, date(2029, 1, 1), None)
    assert not await store.recognition.mark_reminded(chiro, RENEWAL, 14)


async def test_expiry_keeps_the_date_and_happens_once(store):
    chiro = await association(store, 10, "Chiro")
    await store.recognition.set(chiro, RecognitionStatus.RECOGNISED, RENEWAL, None)
    assert not await store.recognition.expire(chiro, date(2028, 1, 1))
    assert await store.recognition.expire(chiro, RENEWAL)
    assert not await store.recognition.expire(chiro, RENEWAL)
    expired = await store.recognition.get(chiro)
    assert (expired.status, expired.renews_on) == (RecognitionStatus.EXPIRED, RENEWAL)
    assert await store.recognition.renewing_until(date(2030, 1, 1)) == []


async def test_forgetting_the_liaison_keeps_the_recognition_without_their_id(store):
    chiro = await association(store, 10, "Chiro")
    await store.users.ensure(401, "Liesbeth", None, None, "nl")
    await store.recognition.set(chiro, RecognitionStatus.APPLIED, None, 401)
    await store.forget_person(401)
    kept = await store.recognition.get(chiro)
    assert (kept.status, kept.recorded_by) == (RecognitionStatus.APPLIED, None)
