"""How much the common path of an update costs: SQL statements and time per update.

Run: python -m bench.update_path [USERS] [ROUNDS]
Each of USERS people sends /help ROUNDS times through the real application (offline Bot API).
The first round meets every user for the first time; later rounds should identify the sender
from the repositories' caches without a single statement. What the durable inbox costs (the
update stored, then marked handled) is counted apart.
"""

from __future__ import annotations

import asyncio
import re
import sys
import tempfile
import time
from pathlib import Path

from tests.client import Kapstok

INBOX = re.compile(r"\binbox\b", re.I)


async def measure(users: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        bot = await Kapstok(Path(folder), drain=False).start()
        statements: list[str] = []
        await bot.app.bot_data.store.db.trace(statements.append)
        people = [bot.person(10_000 + n, f"Lid {n}", "nl") for n in range(users)]
        for round_number in range(rounds):
            statements.clear()
            started = time.perf_counter()
            for person in people:
                await person.send("/help")
            elapsed = time.perf_counter() - started
            inbox = sum(1 for sql in statements if INBOX.search(sql))
            label = "first contact" if round_number == 0 else f"round {round_number + 1}"
            print(
                f"{label:>14}: {(len(statements) - inbox) / users:5.2f} SQL statements per update"
                f" to identify and answer, {inbox / users:4.2f} for the inbox,"
                f" {users / elapsed:6.0f} updates/s"
            )
        await bot.stop()


if __name__ == "__main__":
    arguments = [int(value) for value in sys.argv[1:3]]
    asyncio.run(measure(*(arguments + [500, 3][len(arguments) :])))
