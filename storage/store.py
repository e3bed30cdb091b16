"""The store: one SQLite file, one connection, a repository per area (store.users,
store.threads, …). The only place with SQL is this package."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import aiosqlite

from bot.domain.people import Profile
from bot.domain.privacy import PersonalData
from storage.associations import AssociationRepository
from storage.conversations import ConversationRepository
from storage.database import Clock, Database, utc_now
from storage.faq import FaqRepository
from storage.inbox import InboxRepository
from storage.liaisons import LiaisonRepository
from storage.migrations import migrate
from storage.outbox import OutboxRepository
from storage.snippets import SnippetRepository
from storage.subjects import SubjectRepository
from storage.threads import ThreadRepository
from storage.topics import TopicRepository
from storage.users import UserRepository


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
            await migrate(writer)
            reader = await aiosqlite.connect(path, isolation_level=None)
            await reader.execute("PRAGMA query_only = ON")
            await reader.execute("PRAGMA busy_timeout = 5000")
            writer.row_factory = reader.row_factory = aiosqlite.Row
            store = cls(Database(writer, reader, clock))
            await store.liaisons.load()
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
        """Everything stored about one person."""
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
        )

    async def forget_person(self, user_id: int) -> None:
        """Erase the person's data and membership; what they registered or wrote stays,
        without their name."""
        async with self.transaction():
            await self.associations.forget_person(user_id)
            await self.threads.forget_person(user_id)
            await self.users.forget(user_id)
            await self.liaisons.remove(user_id)
            await self.conversations.drop_user_data(user_id)

    # --- maintenance ------------------------------------------------------------------------

    async def backup(self, destination: Path | str) -> None:
        """Copy the whole database, consistently, while the bot may be writing."""
        async with self.db.exclusive() as conn:
            target = await aiosqlite.connect(destination)
            try:
                await conn.backup(target)
            finally:
                await target.close()
