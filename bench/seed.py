"""A database the size of a busy municipality, for benchmarks: approved associations with their
boards and forum topics, threads with their messages, cards, confirmations and relayed copies,
a month of sent outbox rows and a week of handled updates.

The schema comes from `Store.open` (the migrations); the rows go in with plain sqlite3
executemany. The file is built once per size, schema and version of this module, and kept in
the temporary directory: `seeded_file()` returns it, `fresh_copy()` a copy to run on.

Run: python -m bench.seed [--quick] [PATH]   (builds the file, prints what it holds)
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain.associations import name_key
from storage import Store
from storage.migrations import MIGRATIONS_DIR
from storage.timestamps import to_text

LIAISON_CHAT_ID = -1001234567890  # as tests/client.py
ADMIN_ID = 1
LIAISON_IDS = tuple(range(11, 17))
MEMBER_BASE = 100_000  # board members' user ids (and private chat ids) start here
TOPIC_BASE = 1_000  # forum topic ids
# Telegram message ids in the seed stay below this; the benchmark's offline Bot API and its
# people count from far above it.
SEEDED_MESSAGE_IDS_BELOW = 5_000_000
UPDATE_IDS_BELOW = 1_000_000


@dataclass(frozen=True)
class Size:
    associations: int
    members: int
    threads: int
    messages: int
    faq_per_kapstok: int = 4

    def label(self) -> str:
        return (
            f"{self.associations:,} associations, {self.members:,} board members, "
            f"{self.threads:,} threads, {self.messages:,} thread messages"
        )


FULL = Size(associations=10_000, members=20_000, threads=10_000, messages=100_000)
QUICK = Size(associations=500, members=1_000, threads=500, messages=5_000)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Sofie Lotte Emma Marie Julie Sarah Laura Anouk Fien Lien Nina Elise Hanne Ine Jana "
    "Tom Pieter Jan Wout Bram Thomas Stijn Koen Joris Dries Lucas Arne Jonas Robbe Wannes "
    "Camille Chloé Manon Léa Inès Louis Hugo Théo Mathis Nathan Amina Youssef Mehmet Aylin"
)
LAST_NAMES = _words(
    "Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Wouters Desmet Dubois "
    "Lambert Dupont Martin Simon Vermeulen Hermans Aerts Pauwels Claessens Vandamme "
    "Leclercq Lemaire Renard Bulut Yilmaz Amrani"
)
PREFIXES = _words(
    "KSA Chiro Scouts FC VC Harmonie Toneelkring Buurtcomité Oudercomité Gezinsbond "
    "Okra Femma KWB Turnkring Dansschool Schaakclub Wielerclub Fanfare Jeugdhuis "
    "Volleybalclub Tennisclub Koor Filmclub Fotoclub Imkersbond Petanqueclub"
)
PLACES = _words(
    "Sint-Jan Zuid Noord Centrum Heide Kouter Molenwijk Kerkhoek Dorp Statie Hoogveld "
    "Meersen Bos Linde Beke Rozendaal Kapelle Akker Veld Hof Brug"
)
KINDS = ("youth", "sport", "culture", "welfare", "neighbourhood", "education", "other")
WORDS = _words(
    "we willen graag een tent zetten op het plein voor ons feest in juni kunnen jullie "
    "zeggen welke vergunning nodig is en wie de sleutel van de zaal heeft de subsidie voor "
    "materiaal komt die dit jaar nog de nous voudrions organiser une fête au parc merci "
    "pour votre aide the volunteers need parking near the hall next saturday thanks"
)
LANGUAGES = ("nl",) * 7 + ("fr",) * 2 + ("en",)
# Subjects of the migration: ids 1-3 belong to kapstok 1, 4-8 to kapstok 2.
SUBJECTS = {1: (1, 2, 3), 2: (4, 5, 6, 7, 8)}


def _cache_key(size: Size) -> str:
    digest = hashlib.sha256(repr(size).encode())
    digest.update(Path(__file__).read_bytes())
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached_path(size: Size) -> Path:
    """Where the seeded database of this size is kept (built or not)."""
    folder = Path(tempfile.gettempdir()) / "kapstok-bench"
    return folder / f"seed-{size.associations}-{_cache_key(size)}.sqlite3"


def seeded_file(size: Size) -> tuple[Path, bool]:
    """The seeded database of this size (built now if not cached); True when it was built."""
    path = cached_path(size)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    if path.exists():
        # What a start after an upgrade does once (the store re-keys or re-indexes rows when
        # its rules changed), done on the cached file, so that every run starts as on a
        # later day.
        asyncio.run(_open_and_close(path, index=True))
        return path, False
    building = path.with_suffix(".building")
    for leftover in folder.glob(building.name + "*"):
        leftover.unlink()
    build(building, size)
    # Files of this size for an older schema or seed are of no more use.
    for older in folder.glob(f"seed-{size.associations}-*.sqlite3*"):
        older.unlink()
    building.rename(path)
    return path, True


def fresh_copy(seeded: Path, destination: Path) -> Path:
    """A copy of the seeded file to run on (the benchmark writes to it)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seeded, destination)
    return destination


async def _open_and_close(path: Path, *, index: bool = False) -> None:
    """Store.open: the migrations; with `index`, what the store indexes of the rows (the FAQ's
    search terms), so that the benchmark's start does not."""
    store = await Store.open(path)
    try:
        reindex = getattr(store.faq, "reindex", None)
        if index and reindex is not None:
            await reindex()
    finally:
        await store.close()
    conn = sqlite3.connect(path)  # everything in the main file: a copy of it is whole
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def build(path: Path, size: Size, now: datetime | None = None) -> None:
    """Build the file (synchronously: not from inside an event loop)."""
    asyncio.run(_open_and_close(path))
    rows = _Rows(size, now or datetime.now(UTC).replace(microsecond=0))
    rows.make()
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        with conn:
            rows.insert(conn)
            thread_columns = {row[1] for row in conn.execute("PRAGMA table_info(threads)")}
            if "closed_by" in thread_columns:  # migration 004
                conn.execute("UPDATE threads SET closed_by = owner_id WHERE status = 'closed'")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    asyncio.run(_open_and_close(path, index=True))


class _Rows:
    """Every row of the seed, made deterministically from one random generator."""

    def __init__(self, size: Size, now: datetime) -> None:
        self.size = size
        self.now = now
        self.random = random.Random(20261201)
        self.telegram_ids = iter(range(1_000, SEEDED_MESSAGE_IDS_BELOW))
        self.users: list[tuple] = []
        self.names: dict[int, str] = {}
        self.associations: list[tuple] = []
        self.members: list[tuple] = []
        self.board: dict[int, list[int]] = {}
        self.topics: list[tuple] = []
        self.liaisons: list[tuple] = []
        self.threads: list[tuple] = []
        self.messages: list[tuple] = []
        self.copies: list[tuple] = []
        self.outbox: list[tuple] = []
        self.inbox: list[tuple] = []
        self.faq: list[tuple] = []

    def when(self, days_ago: float) -> datetime:
        return self.now - timedelta(days=days_ago)

    def text(self, low: int, high: int) -> str:
        words = self.random.choices(WORDS, k=self.random.randint(low, high))
        return " ".join(words).capitalize() + "."

    def person(self, user_id: int, created: datetime) -> None:
        first, last = self.random.choice(FIRST_NAMES), self.random.choice(LAST_NAMES)
        language = self.random.choice(LANGUAGES)
        self.users.append((user_id, first, last, None, language, to_text(created)))
        self.names[user_id] = f"{first} {last}"

    def make(self) -> None:
        self.make_people_and_associations()
        self.make_threads()
        self.make_history()
        self.make_faq()

    def make_people_and_associations(self) -> None:
        size, rnd = self.size, self.random
        self.person(ADMIN_ID, self.when(400))
        for liaison in LIAISON_IDS:
            self.person(liaison, self.when(400))
            self.liaisons.append((liaison, ADMIN_ID, to_text(self.when(399))))
        # Board members spread over the associations: every association has at least one,
        # most two (with 2 members per association on average, exactly two).
        per_association = [1] * size.associations
        for index in range(size.members - size.associations):
            per_association[index % size.associations] += 1
        user_id = MEMBER_BASE
        for association_id in range(1, size.associations + 1):
            registered = self.when(rnd.uniform(30, 390))
            name = (
                f"{rnd.choice(PREFIXES)} {rnd.choice(PLACES)} {association_id}"
                if association_id % 3
                else f"{rnd.choice(PLACES)} {rnd.choice(PREFIXES)} {association_id}"
            )
            board = []
            for position in range(per_association[association_id - 1]):
                joined = registered + timedelta(days=position * rnd.uniform(0, 20))
                self.person(user_id, joined)
                self.members.append((user_id, association_id, to_text(joined)))
                board.append(user_id)
                user_id += 1
            self.board[association_id] = board
            liaison = rnd.choice(LIAISON_IDS)
            self.associations.append(
                (
                    association_id,
                    name,
                    name_key(name),
                    rnd.choice(KINDS),
                    self.text(12, 40),
                    "approved",
                    board[0],
                    self.names[board[0]],
                    to_text(registered),
                    liaison,
                    self.names[liaison],
                    to_text(registered + timedelta(hours=rnd.uniform(1, 48))),
                    LIAISON_CHAT_ID,
                    next(self.telegram_ids),
                )
            )
            self.topics.append((association_id, LIAISON_CHAT_ID, TOPIC_BASE + association_id, name))

    def make_threads(self) -> None:
        size, rnd = self.size, self.random
        # Messages per thread: 2 to 18, then trimmed or padded to the exact total.
        counts = [rnd.randint(2, 18) for _ in range(size.threads)]
        difference = size.messages - sum(counts)
        index = 0
        while difference:
            step = 1 if difference > 0 else -1
            if step > 0 or counts[index % size.threads] > 1:
                counts[index % size.threads] += step
                difference -= step
            index += 1
        message_id = 0
        for thread_id in range(1, size.threads + 1):
            association_id = (thread_id - 1) % size.associations + 1
            board = self.board[association_id]
            kapstok = rnd.choice((1, 2))
            opened_by = rnd.choice(board)
            opened = self.when(rnd.uniform(0.2, 360))
            card_id = next(self.telegram_ids)
            moment = opened
            directions = ["in"] + [
                "out" if rnd.random() < 0.5 else "in" for _ in range(counts[thread_id - 1] - 1)
            ]
            owner = None
            waiting_since = None
            for position, direction in enumerate(directions):
                message_id += 1
                if direction == "in":
                    author = opened_by if position == 0 else rnd.choice(board)
                    chat, source = author, next(self.telegram_ids)
                    if waiting_since is None:
                        waiting_since = moment
                else:
                    owner = owner or rnd.choice(LIAISON_IDS)
                    author = owner
                    chat, source = LIAISON_CHAT_ID, next(self.telegram_ids)
                    waiting_since = None
                delivered = to_text(moment + timedelta(seconds=2)) if direction == "in" else None
                self.messages.append(
                    (
                        message_id,
                        thread_id,
                        direction,
                        author,
                        self.names[author],
                        "text",
                        self.text(4, 60),
                        None,
                        chat,
                        source,
                        to_text(moment),
                        None,
                        delivered,
                        0,
                    )
                )
                if position == 0:
                    self.copies.append((LIAISON_CHAT_ID, card_id, message_id, 0))
                    self.copies.append((opened_by, next(self.telegram_ids), message_id, -1))
                elif direction == "in":
                    self.copies.append((LIAISON_CHAT_ID, next(self.telegram_ids), message_id, 0))
                else:
                    for member in board:
                        self.copies.append((member, next(self.telegram_ids), message_id, 0))
                if moment > self.when(30):
                    self.sent_rows(thread_id, message_id, direction, board, moment)
                if position < len(directions) - 1:
                    moment = min(moment + timedelta(hours=rnd.uniform(0.1, 30)), self.when(0.1))
            closed = rnd.random() < 0.15 and moment < self.when(3)
            if closed:
                status, waiting_since = "closed", None
            else:
                status = "open" if directions[-1] == "in" else "answered"
            closer = self.names[owner] if closed and owner else None
            self.threads.append(
                (
                    thread_id,
                    association_id,
                    kapstok,
                    rnd.choice(SUBJECTS[kapstok]),
                    status,
                    opened_by,
                    to_text(opened),
                    owner,
                    self.names[owner] if owner else None,
                    to_text(waiting_since) if waiting_since else None,
                    None,
                    to_text(moment + timedelta(days=1)) if closed else None,
                    closer if closed else None,
                    to_text(moment),
                    LIAISON_CHAT_ID,
                    card_id,
                )
            )

    def sent_rows(self, thread_id, message_id, direction, board, moment) -> None:
        """The outbox rows of a message sent within the last 30 days (older ones are pruned)."""
        sent = to_text(moment + timedelta(seconds=1))
        payload = json.dumps({"message_id": message_id})
        if direction == "in":
            targets = [(LIAISON_CHAT_ID, "relay_to_group")]
        else:
            targets = [(member, "relay_to_member") for member in board]
        for chat, kind in targets:
            self.outbox.append((chat, kind, payload, 0, 1, None, "sent", 1, to_text(moment), sent))
        refresh = json.dumps({"thread_id": thread_id})
        self.outbox.append(
            (
                LIAISON_CHAT_ID,
                "card_refresh",
                refresh,
                0,
                0,
                f"card:{thread_id}",
                "sent",
                1,
                to_text(moment),
                sent,
            )
        )

    def make_history(self) -> None:
        """A week of handled updates (older ones are pruned)."""
        rnd = self.random
        updates = min(10_000, self.size.members // 2)
        for update_id in range(1, updates + 1):
            member = MEMBER_BASE + rnd.randrange(self.size.members)
            received = to_text(self.when(7 * (1 - update_id / updates)))
            raw = {
                "update_id": update_id,
                "message": {
                    "message_id": update_id,
                    "date": 1_780_000_000 + update_id,
                    "chat": {"id": member, "type": "private", "first_name": "x"},
                    "from": {"id": member, "is_bot": False, "first_name": "x"},
                    "text": self.text(1, 12),
                },
            }
            self.inbox.append((update_id, json.dumps(raw), received, 1, received))

    def make_faq(self) -> None:
        created = to_text(self.when(200))
        for kapstok in range(1, 6):
            for language in ("nl", "fr", "en"):
                for _ in range(self.size.faq_per_kapstok):
                    question = self.text(5, 12).rstrip(".") + "?"
                    self.faq.append(
                        (kapstok, language, question, self.text(20, 80), created, created)
                    )

    def insert(self, conn: sqlite3.Connection) -> None:
        def put(table: str, columns: str, rows: list[tuple]) -> None:
            marks = ", ".join("?" for _ in columns.split(","))
            conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)

        put("users", "user_id, first_name, last_name, username, language, created_at", self.users)
        put("liaisons", "user_id, appointed_by, appointed_at", self.liaisons)
        put(
            "associations",
            "association_id, name, name_key, kind, description, status, registered_by,"
            " registered_name, registered_at, decided_by, decided_by_name, decided_at,"
            " card_chat_id, card_message_id",
            self.associations,
        )
        put("board_members", "user_id, association_id, joined_at", self.members)
        put("association_topics", "association_id, chat_id, message_thread_id, name", self.topics)
        put(
            "threads",
            "thread_id, association_id, kapstok, subject_id, status, opened_by, opened_at,"
            " owner_id, owner_name, waiting_since, nudged_at, closed_at, closed_by_name,"
            " updated_at, card_chat_id, card_message_id",
            self.threads,
        )
        put(
            "thread_messages",
            "message_id, thread_id, direction, author_id, author_name, kind, text,"
            " media_group_id, source_chat_id, source_message_id, created_at, edited_at,"
            " delivered_at, failed_attempts",
            self.messages,
        )
        put("message_copies", "chat_id, telegram_message_id, message_id, part", self.copies)
        put(
            "outbox",
            "chat_id, kind, payload, priority, ordered, coalesce_key, state, attempts,"
            " created_at, sent_at",
            self.outbox,
        )
        put("inbox", "update_id, raw, received_at, attempts, handled_at", self.inbox)
        put(
            "faq_entries",
            "kapstok, language, question, answer, created_at, updated_at",
            self.faq,
        )


def describe(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        counts = {
            table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in (
                "users",
                "associations",
                "board_members",
                "association_topics",
                "threads",
                "thread_messages",
                "message_copies",
                "outbox",
                "inbox",
                "faq_entries",
            )
        }
    finally:
        conn.close()
    megabytes = path.stat().st_size / 2**20
    return ", ".join(f"{table} {count:,}" for table, count in counts.items()) + (
        f"; {megabytes:.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the small seed of --quick runs")
    parser.add_argument("path", nargs="?", type=Path, help="build here instead of the cache")
    arguments = parser.parse_args()
    size = QUICK if arguments.quick else FULL
    started = time.perf_counter()
    if arguments.path:
        if arguments.path.exists():
            sys.exit(f"{arguments.path} exists")
        build(arguments.path, size)
        path = arguments.path
    else:
        path, _built = seeded_file(size)
    print(f"{path}: {describe(path)} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
