"""Topics, subjects, the FAQ, snippets and conversations, each against a real SQLite file."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.associations import AssociationKind
from bot.domain.faq import FaqEntry
from bot.domain.threads import Snippet, Subject, Topic
from storage import Store

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def store(tmp_path, clock):
    store = await Store.open(tmp_path / "kapstok.sqlite3", clock)
    yield store
    await store.close()


# --- topics ------------------------------------------------------------------------------------


async def test_an_associations_topic_is_saved_and_replaced(store):
    await store.users.ensure(10, "Jan", None, None, "nl")
    association = await store.associations.register(10, "Chiro", AssociationKind.YOUTH, "")
    chiro = association.association_id
    assert await store.topics.of_association(chiro) is None
    await store.topics.save(Topic(chiro, -100, 7, "Chiro"))
    assert await store.topics.of_association(chiro) == Topic(chiro, -100, 7, "Chiro")
    await store.topics.save(Topic(chiro, -200, 8, "Chiro Sint-Jan"))
    assert await store.topics.of_association(chiro) == Topic(chiro, -200, 8, "Chiro Sint-Jan")
    rows = await store.db.fetchall("SELECT * FROM association_topics")
    assert len(rows) == 1


# --- subjects ----------------------------------------------------------------------------------


async def test_the_subjects_to_ask_about_come_with_the_database(store):
    subjects = await store.subjects.active()
    assert [subject.kapstok for subject in subjects] == [1, 1, 1, 2, 2, 2, 2, 2]
    assert [subject.subject_id for subject in await store.subjects.active(1)] == [1, 2, 3]
    assert await store.subjects.active(3) == []
    assert all(set(subject.names) == {"nl", "fr", "en"} for subject in subjects)
    assert subjects[3].name("en") == "Permits and rules"


async def test_a_subject_is_found_by_its_id_while_active(store):
    subject = await store.subjects.get(4)
    assert subject == Subject(
        4,
        2,
        {
            "nl": "Vergunningen en regels",
            "fr": "Autorisations et règles",
            "en": "Permits and rules",
        },
    )
    assert await store.subjects.get(99) is None


async def test_an_added_subject_is_offered_in_its_kapstok(store):
    added = await store.subjects.add(1, "Nieuw", "Nouveau", "New")
    assert added.names == {"nl": "Nieuw", "fr": "Nouveau", "en": "New"}
    assert await store.subjects.get(added.subject_id) == added
    assert (await store.subjects.active(1))[-1] == added


async def test_a_retired_subject_is_no_longer_offered_and_is_retired_once(store):
    assert await store.subjects.retire(2)
    assert not await store.subjects.retire(2)
    assert not await store.subjects.retire(99)
    assert await store.subjects.get(2) is None
    assert [subject.subject_id for subject in await store.subjects.active(1)] == [1, 3]


# --- the FAQ -----------------------------------------------------------------------------------

ENTRIES = [
    (2, "nl", "Hoe huur ik een zaal?", "Via het loket."),
    (1, "nl", "Wie is mijn contact?", "De verbindingsambtenaar."),
    (2, "fr", "Comment louer une salle ?", "Au guichet."),
    (2, "nl", "Heb ik een vergunning nodig?", "Soms."),
]


async def test_faq_entries_are_added_at_once_and_listed_by_kapstok(store):
    assert await store.faq.entries() == []
    assert await store.faq.add(ENTRIES) == 4
    assert await store.faq.add([]) == 0
    entries = await store.faq.entries()
    assert [(e.kapstok, e.question) for e in entries] == [
        (1, "Wie is mijn contact?"),
        (2, "Hoe huur ik een zaal?"),
        (2, "Comment louer une salle ?"),
        (2, "Heb ik een vergunning nodig?"),
    ]


async def test_faq_entries_are_filtered_by_kapstok_and_language(store):
    await store.faq.add(ENTRIES)
    assert [e.question for e in await store.faq.entries(kapstok=2, language="nl")] == [
        "Hoe huur ik een zaal?",
        "Heb ik een vergunning nodig?",
    ]
    assert [e.language for e in await store.faq.entries(kapstok=2)] == ["nl", "fr", "nl"]
    assert [e.kapstok for e in await store.faq.entries(language="nl")] == [1, 2, 2]
    assert await store.faq.entries(kapstok=5) == []
    assert await store.faq.entries(language="en") == []


async def test_a_faq_entry_is_read_updated_and_removed_by_its_id(store):
    await store.faq.add(ENTRIES[:1])
    (entry,) = await store.faq.entries()
    assert await store.faq.get(entry.faq_id) == FaqEntry(
        entry.faq_id, 2, "nl", "Hoe huur ik een zaal?", "Via het loket."
    )
    assert await store.faq.update(entry.faq_id, "Een zaal huren?", "Online.")
    updated = await store.faq.get(entry.faq_id)
    assert (updated.question, updated.answer, updated.kapstok) == ("Een zaal huren?", "Online.", 2)
    assert not await store.faq.update(99, "?", "!")
    assert await store.faq.remove(entry.faq_id)
    assert not await store.faq.remove(entry.faq_id)
    assert await store.faq.get(entry.faq_id) is None


async def test_a_faq_entry_in_an_unknown_language_is_refused_and_nothing_is_added(store):
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        await store.faq.add([ENTRIES[0], (2, "de", "Wie?", "So.")])
    assert await store.faq.entries() == []


# --- snippets ----------------------------------------------------------------------------------


async def test_a_new_snippet_is_saved_and_an_existing_one_replaced(store, clock):
    assert await store.snippets.save("Loket", "Het loket is open van 9 tot 12.", 20)
    clock.now = T0 + timedelta(days=1)
    assert not await store.snippets.save("LOKET", "Het loket is open van 9 tot 16.", 21)
    assert await store.snippets.all() == [Snippet("loket", "Het loket is open van 9 tot 16.")]
    row = await store.db.fetchone("SELECT created_by, created_at FROM snippets")
    assert tuple(row) == (20, T0.isoformat())


async def test_a_snippet_is_found_whatever_the_case_of_its_name(store):
    await store.snippets.save("Zaal", "Zie de zalenlijst.", 20)
    for name in ["zaal", "ZAAL", "Zaal"]:
        assert await store.snippets.get(name) == Snippet("zaal", "Zie de zalenlijst.")
    assert await store.snippets.get("zalen") is None


async def test_snippets_are_listed_by_name_and_removed_whatever_the_case(store):
    for name in ["zaal", "Afspraak", "loket"]:
        await store.snippets.save(name, name.upper(), 20)
    assert [s.name for s in await store.snippets.all()] == ["afspraak", "loket", "zaal"]
    assert await store.snippets.remove("LOKET")
    assert not await store.snippets.remove("loket")
    assert [s.name for s in await store.snippets.all()] == ["afspraak", "zaal"]


# --- conversations -----------------------------------------------------------------------------


async def test_user_data_is_saved_replaced_and_read_back_per_user(store):
    assert await store.conversations.user_data() == {}
    await store.conversations.save_user_data(10, {"draft": "Mag dat?", "kapstok": 2})
    await store.conversations.save_user_data(11, {"draft": "Hallo"})
    await store.conversations.save_user_data(10, {"draft": "Mag dat echt?"})
    assert await store.conversations.user_data() == {
        10: {"draft": "Mag dat echt?"},
        11: {"draft": "Hallo"},
    }


async def test_empty_user_data_deletes_the_users_row(store):
    await store.conversations.save_user_data(10, {"draft": "Mag dat?"})
    await store.conversations.save_user_data(10, {})
    assert await store.conversations.user_data() == {}
    assert await store.db.fetchall("SELECT * FROM user_data") == []
    await store.conversations.save_user_data(11, {"draft": "Hallo"})
    await store.conversations.drop_user_data(11)
    await store.conversations.drop_user_data(12)
    assert await store.conversations.user_data() == {}


async def test_conversation_states_are_kept_per_conversation_by_tuple_key(store):
    await store.conversations.save_state("asking", (10, 10), 1)
    await store.conversations.save_state("asking", (11, 11), 2)
    await store.conversations.save_state("answering", (-100, 20), "typing")
    await store.conversations.save_state("asking", (10, 10), 3)
    assert await store.conversations.states("asking") == {(10, 10): 3, (11, 11): 2}
    assert await store.conversations.states("answering") == {(-100, 20): "typing"}
    assert await store.conversations.states("other") == {}


async def test_a_state_of_none_ends_the_conversation(store):
    await store.conversations.save_state("asking", (10, 10), 1)
    await store.conversations.save_state("asking", (11, 11), 2)
    await store.conversations.save_state("asking", (10, 10), None)
    await store.conversations.save_state("asking", (12, 12), None)
    assert await store.conversations.states("asking") == {(11, 11): 2}


# --- the outbox: a coalesced row that goes back to waiting -----------------------------------


async def _coalesced_pair(store) -> tuple[int, int]:
    """A report row being sent, and a newer one with the same key waiting behind it."""
    from storage.outbox import NewRow

    await store.outbox.add([NewRow(7, "report", {}, coalesce_key="report:1", ordered=False)])
    (first,) = await store.outbox.due(store.now())
    assert await store.outbox.sending(first.outbox_id)
    await store.outbox.add([NewRow(7, "report", {}, coalesce_key="report:1", ordered=False)])
    second = [r for r in await store.outbox.due(store.now()) if r.outbox_id != first.outbox_id]
    return first.outbox_id, second[0].outbox_id


async def test_a_coalesced_row_told_to_wait_gives_way_to_the_newer_one(store):
    first, second = await _coalesced_pair(store)
    await store.outbox.unsend(first)  # a 429
    assert (await store.outbox.get(first)).state == "skipped"
    assert (await store.outbox.get(first)).reason == "superseded"
    assert (await store.outbox.get(second)).state == "pending"


async def test_a_coalesced_row_tried_again_or_recovered_gives_way_too(store):
    from storage.outbox import NewRow

    first, second = await _coalesced_pair(store)
    await store.outbox.retry(first, None, "timed out", uncertain=True)
    assert (await store.outbox.get(first)).state == "skipped"
    assert await store.outbox.sending(second)
    await store.outbox.add([NewRow(7, "report", {}, coalesce_key="report:1")])
    assert await store.outbox.recover_in_flight() == 1
    assert (await store.outbox.get(second)).state == "skipped"


async def test_a_row_without_a_newer_one_goes_back_to_waiting(store):
    from storage.outbox import NewRow

    await store.outbox.add([NewRow(7, "report", {}, coalesce_key="report:2")])
    (row,) = await store.outbox.due(store.now())
    assert await store.outbox.sending(row.outbox_id)
    await store.outbox.unsend(row.outbox_id)
    assert (await store.outbox.get(row.outbox_id)).state == "pending"
