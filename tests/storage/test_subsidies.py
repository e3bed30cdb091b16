"""Subsidy types, requests and reminders against a real SQLite file: a request and its
attachments in one transaction, every decision through the shared history, an amount granted
never over the one asked, a reminder noted once."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.associations import AssociationKind
from bot.domain.recognition import RecognitionStatus
from bot.domain.requests import RequestKind, Status
from bot.domain.subsidies import Attachment, Deadline
from storage import Store

T0 = datetime(2027, 3, 3, 9, 0, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Brussels")


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


async def association(store: Store, user_id: int, name: str) -> int:
    await store.users.ensure(user_id, "Jan", None, None, "nl")
    made = await store.associations.register(user_id, name, AssociationKind.YOUTH, "")
    await store.associations.decide(made.association_id, True, 1, "Liaison")
    return made.association_id


async def a_type(store: Store, **changes):
    fields = {
        "name_nl": "Werkingssubsidie",
        "name_fr": "Subside de fonctionnement",
        "description_nl": "Voor de werking van het jaar.",
        "max_cents": 125050,
        "deadlines": [Deadline(3, 31), Deadline(9, 30)],
        "needs_recognition": True,
        "attachments": ["Activiteitenverslag", "Facturen"],
    }
    return await store.subsidies.create_type(**{**fields, **changes})


def invoice(number: int = 1) -> Attachment:
    return Attachment("document", f"file-{number}", f"u-{number}", "factuur.pdf", 1000, "Facturen")


async def test_types_are_created_updated_listed_and_deactivated(store):
    made = await a_type(store)
    assert made.name("fr") == "Subside de fonctionnement" and made.name("en") == "Werkingssubsidie"
    assert made.deadlines == (Deadline(3, 31), Deadline(9, 30))
    assert made.attachments == ("Activiteitenverslag", "Facturen") and made.needs_recognition
    other = await a_type(store, name_nl="Jeugdkampen", deadlines=[Deadline(5, 1)])
    assert [t.name_nl for t in await store.subsidies.types()] == ["Jeugdkampen", "Werkingssubsidie"]
    changed = await store.subsidies.update_type(
        made.type_id,
        name_nl="Werking",
        max_cents=5000,
        deadlines=[Deadline(12, 1)],
        needs_recognition=False,
    )
    assert changed.name_nl == "Werking" and changed.deadlines == (Deadline(12, 1),)
    assert changed.name_fr is None and changed.attachments == () and not changed.needs_recognition
    assert await store.subsidies.deactivate(other.type_id)
    assert not await store.subsidies.deactivate(other.type_id)
    assert [t.type_id for t in await store.subsidies.types()] == [made.type_id]
    assert len(await store.subsidies.types(active_only=False)) == 2
    assert (
        await store.subsidies.update_type(
            other.type_id, name_nl="x", max_cents=1, deadlines=[Deadline(1, 1)]
        )
        is None
    )
    with pytest.raises(ValueError):
        await a_type(store, deadlines=[])


async def test_a_request_is_made_with_its_attachments_and_numbered_with_the_others(store):
    number = await association(store, 10, "Chiro")
    kind = await a_type(store)
    gear_first = await store.requests.create(RequestKind.GEAR, number, 10)
    made = await store.subsidies.create(
        number, 10, kind.type_id, 50000, "Zomerkamp", [invoice(1), invoice(2)]
    )
    assert made.request_id == gear_first + 1 and made.status is Status.REQUESTED
    assert made.request.kind is RequestKind.SUBSIDY and made.amount_cents == 50000
    assert [a.file_id for a in made.attachments] == ["file-1", "file-2"]
    assert made.attachments[0].file_size == 1000 and made.attachments[0].label == "Facturen"
    assert [r.request_id for r in await store.subsidies.of_association(number)] == [made.request_id]
    assert [e.event for e in await store.requests.history(made.request_id)] == ["requested"]


async def test_a_request_with_a_broken_attachment_leaves_nothing(store):
    number = await association(store, 10, "Chiro")
    kind = await a_type(store)
    broken = Attachment("video", "f", "u")  # not a kind the table takes
    with pytest.raises(sqlite3.IntegrityError):
        await store.subsidies.create(number, 10, kind.type_id, 100, "Kamp", [invoice(), broken])
    assert await store.requests.of_association(number) == []
    assert await store.db.fetchall("SELECT * FROM request_attachments") == []


async def test_approve_reject_cancel_and_pay_follow_the_rule_and_the_history(store):
    number = await association(store, 10, "Chiro")
    await store.users.ensure(20, "Liesbeth", None, None, "nl")
    kind = await a_type(store)
    made = await store.subsidies.create(number, 10, kind.type_id, 50000, "Kamp")
    with pytest.raises(ValueError):
        await store.subsidies.approve(made.request_id, 50001, 20)
    with pytest.raises(ValueError):
        await store.subsidies.approve(made.request_id, 0, 20)
    assert not await store.subsidies.paid(made.request_id, date(2027, 4, 1), 20)
    assert await store.subsidies.approve(made.request_id, 40000, 20)
    assert not await store.subsidies.approve(made.request_id, 40000, 20)
    assert not await store.subsidies.cancel(made.request_id, 10)
    assert not await store.subsidies.reject(made.request_id, "te laat", 20)
    approved = await store.subsidies.get(made.request_id)
    assert approved.status is Status.APPROVED and approved.granted_cents == 40000
    assert await store.subsidies.paid(made.request_id, date(2027, 4, 1), 20)
    assert not await store.subsidies.paid(made.request_id, date(2027, 4, 2), 20)
    paid = await store.subsidies.get(made.request_id)
    assert paid.status is Status.PAID and paid.paid_on == date(2027, 4, 1)
    history = await store.requests.history(made.request_id)
    assert [(e.event, e.actor, e.cents) for e in history] == [
        ("requested", 10, None),
        ("approved", 20, 40000),
        ("paid", 20, None),
    ]
    assert history[-1].detail == "2027-04-01"

    second = await store.subsidies.create(number, 10, kind.type_id, 100, "Kamp")
    assert await store.subsidies.reject(second.request_id, "Geen factuur", 20)
    assert (await store.requests.history(second.request_id))[-1].detail == "Geen factuur"
    third = await store.subsidies.create(number, 10, kind.type_id, 100, "Kamp")
    assert await store.subsidies.cancel(third.request_id, 10)
    assert (await store.subsidies.get(third.request_id)).status is Status.CANCELLED


async def test_candidates_know_recognition_and_the_last_request_and_reminders_go_once(store):
    first = await association(store, 10, "Chiro")
    second = await association(store, 11, "KSA")
    await store.users.ensure(12, "Jan", None, None, "nl")
    waiting = await store.associations.register(12, "Fanfare", AssociationKind.CULTURE, "")
    await store.recognition.set(first, RecognitionStatus.RECOGNISED, date(2028, 1, 1), None, None)
    kind = await a_type(store)
    cancelled = await store.subsidies.create(second, 11, kind.type_id, 100, "Kamp")
    await store.subsidies.cancel(cancelled.request_id, 11)
    await store.subsidies.create(first, 10, kind.type_id, 100, "Kamp")
    found = {c.association_id: c for c in await store.subsidies.candidates(kind.type_id, ZONE)}
    assert set(found) == {first, second} and waiting.association_id not in found
    assert found[first].recognised and found[first].last_requested == date(2027, 3, 3)
    assert not found[second].recognised and found[second].last_requested is None
    assert await store.subsidies.mark_reminded(kind.type_id, first, date(2027, 3, 31), 30)
    assert not await store.subsidies.mark_reminded(kind.type_id, first, date(2027, 3, 31), 30)
    assert await store.subsidies.mark_reminded(kind.type_id, first, date(2027, 3, 31), 7)
