"""The store: one SQLite file, one connection, a repository per area (store.users,
store.threads, …). The only place with SQL is this package."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import aiosqlite

from bot.domain.people import Profile
from bot.domain.privacy import ERASED, Forgotten, PersonalData, Traces
from storage.activities import ActivityRepository
from storage.associations import AssociationRepository
from storage.audience import AudienceRepository
from storage.barometer import BarometerRepository
from storage.broadcasts import BroadcastRepository
from storage.calls import CallRepository
from storage.conversations import ConversationRepository
from storage.database import Clock, Database, utc_now
from storage.evidence import EvidenceRepository
from storage.faq import FaqRepository
from storage.gear import GearRepository
from storage.gear_requests import GearRequestRepository
from storage.inbox import InboxRepository
from storage.introductions import IntroductionRepository
from storage.liaisons import LiaisonRepository
from storage.migrations import migrate
from storage.outbox import OutboxRepository
from storage.preferences import PreferenceRepository
from storage.profiles import ProfileRepository
from storage.recognition import RecognitionRepository
from storage.request_summaries import RequestSummaryRepository
from storage.requests import RequestRepository
from storage.schedules import ScheduleRepository
from storage.snippets import SnippetRepository
from storage.subjects import SubjectRepository
from storage.subsidies import SubsidyRepository
from storage.threads import ThreadRepository
from storage.topics import TopicRepository
from storage.users import UserRepository

log = logging.getLogger(__name__)


class Store:
    """All of Kapstok's data, by area."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.users = UserRepository(db)
        self.liaisons = LiaisonRepository(db)
        self.associations = AssociationRepository(db)
        self.threads = ThreadRepository(db)
        self.topics = TopicRepository(db)
        self.subjects = SubjectRepository(db)
        self.faq = FaqRepository(db)
        self.snippets = SnippetRepository(db)
        self.conversations = ConversationRepository(db)
        self.inbox = InboxRepository(db)
        self.outbox = OutboxRepository(db)
        self.preferences = PreferenceRepository(db)
        self.audience = AudienceRepository(db)
        self.broadcasts = BroadcastRepository(db)
        self.schedules = ScheduleRepository(db)
        self.barometer = BarometerRepository(db)
        self.introductions = IntroductionRepository(db)
        self.calls = CallRepository(db)
        self.profiles = ProfileRepository(db)
        self.activities = ActivityRepository(db)
        self.recognition = RecognitionRepository(db)
        self.gear = GearRepository(db)
        self.requests = RequestRepository(db)
        self.gear_requests = GearRequestRepository(db, self.requests)
        self.request_summaries = RequestSummaryRepository(db)
        self.evidence = EvidenceRepository(db)
        self.subsidies = SubsidyRepository(db, self.requests)

    @classmethod
    async def open(cls, path: Path | str, clock: Clock = utc_now) -> Store:
        """Open (creating if needed) the database and bring its schema up to date."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = await aiosqlite.connect(path, isolation_level=None)
        reader = None
        try:
            # WAL with synchronous=NORMAL: a commit survives a crash of the process (not of the
            # machine's power), and costs no fsync.
            await writer.execute("PRAGMA journal_mode = WAL")
            await writer.execute("PRAGMA synchronous = NORMAL")
            await writer.execute("PRAGMA foreign_keys = ON")
            await writer.execute("PRAGMA busy_timeout = 5000")
            # What is deleted or overwritten is overwritten with zeros in the file, not left in
            # free space: a forgotten person's data is gone from the file (and, once the WAL is
            # checkpointed by `compact()`, from the WAL).
            await writer.execute("PRAGMA secure_delete = ON")
            await migrate(writer)
            reader = await aiosqlite.connect(path, isolation_level=None)
            await reader.execute("PRAGMA query_only = ON")
            await reader.execute("PRAGMA busy_timeout = 5000")
            writer.row_factory = reader.row_factory = aiosqlite.Row
            store = cls(Database(writer, reader, clock))
            await store.liaisons.load()
            await store.associations.rekey_names()
            await store.faq.stem_missing()
        except BaseException:
            if reader is not None:
                await reader.close()
            await writer.close()
            raise
        return store

    async def close(self) -> None:
        await self.db.close()

    def now(self) -> datetime:
        return self.db.now()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """Writes of several areas, all or nothing."""
        async with self.db.transaction():
            yield

    # --- what spans the areas: a person ---------------------------------------------------

    async def profile(self, user_id: int) -> Profile | None:
        """The sender's profile, from the repositories' caches: no query for a known user."""
        user = await self.users.get(user_id)
        if user is None:
            return None
        membership = await self.associations.membership(user_id)
        return Profile.of(user, membership, self.liaisons.is_liaison(user_id))

    async def ensure_profile(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language: str,
    ) -> Profile:
        """The profile of the sender of an update, who is created at first contact."""
        user = await self.users.ensure(user_id, first_name, last_name, username, language)
        membership = await self.associations.membership(user_id)
        return Profile.of(user, membership, self.liaisons.is_liaison(user_id))

    async def personal_data(self, user_id: int) -> PersonalData | None:
        """Everything stored about one person. Only reads: asking writes nothing."""
        user = await self.users.get(user_id)
        if user is None:
            return None
        membership = await self.associations.membership(user_id)
        association = await self.associations.get(membership.association_id) if membership else None
        liaison = await self.liaisons.since(user_id)
        messages, threads = await self.threads.written_by(user_id)
        return PersonalData(
            user_id=user.user_id,
            first_name=user.first_name,
            last_name=user.last_name,
            username=user.username,
            language=user.language,
            first_contact=await self.users.first_contact(user_id),
            association=association,
            joined_at=await self.associations.joined_at(user_id),
            registered_associations=tuple(await self.associations.registered_by(user_id)),
            invite_codes=tuple(await self.associations.invite_codes_by(user_id)),
            wrong_code_attempts=await self.associations.wrong_code_attempts(user_id),
            liaison_since=liaison.appointed_at if liaison else None,
            thread_messages=messages,
            threads=threads,
            threads_closed=await self.threads.closed_by(user_id, user.full_name),
            threads_owned=await self.threads.owned_by(user_id),
            decided_associations=tuple(await self.associations.decided_by(user_id)),
            snippets=await self.snippets.created_by(user_id),
            liaisons_appointed=await self.liaisons.appointed_by(user_id),
            **await self._sending_to_many_of(user_id),
        )

    async def _sending_to_many_of(self, user_id: int) -> dict:
        """What /mydata shows of settings, and of what the person did for their association or
        as a liaison: barometer answers, broadcasts, schedules, introductions, calls,
        activities, and a contact they typed into their association's profile."""
        preferences = await self.preferences.get(user_id)
        counts = {}
        for key, table, column in (
            ("barometer_answers", "barometer_answers", "answered_by"),
            ("broadcasts", "broadcasts", "author_id"),
            ("schedules", "schedules", "created_by"),
            ("introductions", "introductions", "asked_by"),
            ("calls", "calls", "created_by"),
            ("call_answers", "call_answers", "answered_by"),
            ("activities", "activities", "created_by"),
            ("activity_answers", "activity_partners", "answered_by"),
        ):
            row = await self.db.fetchone(
                f"SELECT COUNT(*) AS n FROM {table} WHERE {column} = ?", (user_id,)
            )
            counts[key] = row["n"]
        typed = await self.db.fetchone(
            "SELECT contact_text FROM association_profiles WHERE contact_set_by = ?"
            " AND contact_text IS NOT NULL",
            (user_id,),
        )
        return {
            "messages_off": tuple(sorted(kind.value for kind in preferences.off)),
            "paused_until": preferences.paused_until,
            "contact_typed": typed["contact_text"] if typed else None,
            **counts,
        }

    async def forget_person(
        self, user_id: int, *, erased: str = ERASED, handling: int | None = None
    ) -> Forgotten:
        """Erase the person: their names, username, user id and language, their membership,
        drafts and conversations, the updates they sent and the texts that named them. What
        they wrote in threads, registered or decided stays, without their name or id.

        `erased` replaces their name in kept texts (queued and sent messages); `handling` is
        the update being handled, whose stored copy is blanked too (it holds their names).
        Once committed, the WAL is checkpointed: no old page with their data stays in it.
        Return what showed them, to be drawn again without them."""
        user = await self.users.get(user_id)
        name = user.full_name if user else None
        traces = Traces(
            user_id,
            user.first_name if user else None,
            user.last_name if user else None,
            user.username if user else None,
        )
        async with self.transaction():
            associations = await self.associations.forget_person(user_id)
            messages, threads = await self.threads.forget_person(user_id, name)
            await self.snippets.forget_person(user_id)
            await self.liaisons.forget_person(user_id)
            await self.conversations.forget_person(user_id)
            await self.profiles.forget_person(user_id)
            await self._erase_author(user_id, erased)
            sent = await self.outbox.erase_person(traces, erased)
            await self._erase_from_inbox(traces, erased, handling)
            await self.users.forget(user_id)
        await self.db.after_commit(self.compact)
        return Forgotten(tuple(messages), tuple(threads), tuple(associations), tuple(sent))

    async def _erase_author(self, user_id: int, erased: str) -> None:
        """Broadcasts, schedules and barometer answers keep what was written, not by whom."""
        for table, id_column, name_column in (
            ("broadcasts", "author_id", "author_name"),
            ("schedules", "created_by", "created_by_name"),
            ("barometer_answers", "answered_by", "answered_by_name"),
        ):
            await self.db.write(
                f"UPDATE {table} SET {id_column} = NULL, {name_column} = ? WHERE {id_column} = ?",
                (erased, user_id),
            )

    async def _erase_from_inbox(self, traces: Traces, erased: str, handling: int | None) -> None:
        """The updates that hold the person's names or id. Handled ones are kept only so that
        an update is not handled twice: their content goes, their update id stays. Updates
        still to be handled that came before this one (other people's) lose the person's
        names; later ones came after the erasing, like anything the person sends again."""
        current = None
        if handling is not None:
            row = await self.db.fetchone("SELECT seq FROM inbox WHERE update_id = ?", (handling,))
            current = row["seq"] if row else None
            await self.db.write("UPDATE inbox SET raw = '{}' WHERE update_id = ?", (handling,))
        needles = traces.needles()
        found = " OR ".join("instr(lower(raw), ?) > 0" for _ in needles)
        rows = await self.db.fetchall(
            f"SELECT seq, raw, handled_at FROM inbox WHERE raw <> '{{}}' AND ({found})", needles
        )
        for row in rows:
            raw = json.loads(row["raw"])
            if not traces.found_in(raw):
                continue
            if row["handled_at"] is not None:
                await self.db.write("UPDATE inbox SET raw = '{}' WHERE seq = ?", (row["seq"],))
            elif current is None or row["seq"] < current:
                scrubbed = traces.scrub_json(raw, erased)
                if scrubbed != raw:
                    await self.db.write(
                        "UPDATE inbox SET raw = ? WHERE seq = ?", (json.dumps(scrubbed), row["seq"])
                    )

    async def compact(self) -> None:
        """Write what the WAL holds into the database file and empty the WAL, so that pages
        overwritten since (a forgotten person's) are in neither. Outside any transaction;
        never raises: a busy database is compacted at the next occasion."""
        try:
            async with self.db.exclusive() as conn:
                if conn.in_transaction:
                    log.warning("compact() inside a transaction: nothing done")
                    return
                for attempt in range(5):
                    async with conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                        busy, _pages, _done = await cursor.fetchone()
                    if not busy:
                        return
                    await asyncio.sleep(0.05 * (attempt + 1))
            log.warning("the WAL could not be checkpointed: readers kept it busy")
        except aiosqlite.Error:
            log.exception("the WAL could not be checkpointed")

    # --- maintenance ------------------------------------------------------------------------

    async def backup(self, destination: Path | str) -> None:
        """Copy the whole database, consistently, while the bot may be writing."""
        async with self.db.exclusive() as conn:
            target = await aiosqlite.connect(destination)
            try:
                await conn.backup(target)
            finally:
                await target.close()
