"""How much the common path of an update costs: SQL statements and time per update.

Run: python -m bench.update_path [USERS] [ROUNDS]
Each of USERS people sends /help ROUNDS times through the real application (offline Bot API).
The first round meets every user for the first time; later rounds should be served from the
profile cache without a single statement to identify the sender.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

from tests.client import Kapstok


async def measure(users: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        bot = await Kapstok(Path(folder)).start()
        statements: list[str] = []
        await bot.app.bot_data.store.db.trace(statements.append)
        people = [bot.person(10_000 + n, f"Lid {n}", "nl") for n in range(users)]
        for round_number in range(rounds):
            statements.clear()
            started = time.perf_counter()
            for person in people:
                await person.send("/help")
            elapsed = time.perf_counter() - started
            label = "first contact" if round_number == 0 else f"round {round_number + 1}"
            print(
                f"{label:>14}: {len(statements) / users:5.2f} SQL statements per update, "
                f"{users / elapsed:8.0f} updates/s"
            )
        await bot.stop()


if __name__ == "__main__":
    arguments = [int(value) for value in sys.argv[1:3]]
    asyncio.run(measure(*(arguments + [500, 3][len(arguments) :])))
