"""How fast the whole catalog's availability is computed: the goal is under 5 ms a period.

Run: python -m bench.availability [RESERVATIONS] [RUNS]
Makes a catalog of 200 items (stock 1 to 60) and RESERVATIONS (10,000) random reservations
over two years, in every state (most approved, picked up or returned), of 1 to 14 days, then
times RUNS (200) calls of free_per_item for a random 3-day period, as the catalog for the
chosen dates shows it. For comparison it also times the same through `free` item by item, and
nearest_free_dates for one item, as a refusal offers other dates. Last, the whole way the
catalog takes: the same reservations in a real SQLite store, read with
`store.gear_requests.free` (the overlapping reservations' query, then free_per_item). Not a test.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from bot.domain.associations import AssociationKind
from bot.domain.lending import Reservation, free, free_per_item, nearest_free_dates
from storage import Store

GOAL_MS = 5.0
ITEMS = 200
DAYS = 730
START = date(2027, 1, 1)
PERIOD_DAYS = 3
STATES = {  # state: weight
    "requested": 8,
    "approved": 30,
    "partly_approved": 5,
    "picked_up": 10,
    "returned": 35,
    "cancelled": 7,
    "rejected": 5,
}


def catalog(rng: random.Random) -> dict[int, int]:
    return {item: rng.randint(1, 60) for item in range(1, ITEMS + 1)}


def reservations(rng: random.Random, stock: dict[int, int], count: int) -> list[Reservation]:
    states, weights = list(STATES), list(STATES.values())
    made = []
    for _ in range(count):
        item = rng.randint(1, ITEMS)
        pick_up = START + timedelta(days=rng.randrange(DAYS))
        return_on = pick_up + timedelta(days=rng.randint(0, 13))
        quantity = rng.randint(1, max(1, stock[item] // 4))
        made.append(
            Reservation(item, quantity, pick_up, return_on, rng.choices(states, weights)[0])
        )
    return made


def periods(rng: random.Random, runs: int) -> list[tuple[date, date]]:
    starts = [START + timedelta(days=rng.randrange(DAYS - PERIOD_DAYS)) for _ in range(runs)]
    return [(start, start + timedelta(days=PERIOD_DAYS - 1)) for start in starts]


def timed(call: Callable[[date, date], object], dates: list[tuple[date, date]]) -> list[float]:
    """Milliseconds per call."""
    times = []
    for pick_up, return_on in dates:
        started = time.perf_counter()
        call(pick_up, return_on)
        times.append((time.perf_counter() - started) * 1000)
    return times


def figures(times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
    verdict = "ok" if p95 < GOAL_MS else "OVER THE GOAL"
    return f"median {statistics.median(times):6.2f} ms, p95 {p95:6.2f} ms  ({verdict})"


def main(count: int, runs: int) -> None:
    rng = random.Random(20270101)
    stock = catalog(rng)
    made = reservations(rng, stock, count)
    dates = periods(rng, runs)
    by_item: dict[int, list[Reservation]] = {item: [] for item in stock}
    for reservation in made:
        by_item[reservation.item_id].append(reservation)

    print(f"Availability of the whole catalog, goal: p95 under {GOAL_MS:.0f} ms")
    print(
        f"  {len(stock)} items, {len(made):,} reservations over {DAYS} days, "
        f"{runs} random periods of {PERIOD_DAYS} days"
    )
    timed(lambda p, r: free_per_item(stock, made, p, r), dates[:10])  # warm up
    times = timed(lambda p, r: free_per_item(stock, made, p, r), dates)
    print(f"    {'free_per_item, one pass':<34} {figures(times)}")
    times = timed(lambda p, r: [free(stock[i], by_item[i], p, r) for i in stock], dates)
    print(f"    {'free, item by item (pre-grouped)':<34} {figures(times)}")
    busiest = max(by_item, key=lambda item: len(by_item[item]))
    times = timed(
        lambda p, r: nearest_free_dates(stock[busiest], by_item[busiest], stock[busiest], 7, p),
        dates,
    )
    print(
        f"    {'nearest_free_dates, busiest item':<34} {figures(times)} "
        f"({len(by_item[busiest])} reservations, all of its stock for 7 days)"
    )
    times = asyncio.run(through_the_store(stock, made, dates))
    print(f"    {'store.gear_requests.free (SQLite)':<34} {figures(times)}")


async def through_the_store(
    stock: dict[int, int], made: list[Reservation], dates: list[tuple[date, date]]
) -> list[float]:
    """Milliseconds per `store.gear_requests.free` over these reservations in SQLite."""
    with tempfile.TemporaryDirectory() as folder:
        store = await Store.open(Path(folder) / "bench.sqlite3")
        try:
            await store.users.ensure(1, "Bench", None, None, "nl")
            association = await store.associations.register(1, "Bench", AssociationKind.YOUTH, "")
            now = "2027-01-01T00:00:00+00:00"
            await store.db.executemany(
                "INSERT INTO gear_items (item_id, name_nl, category, stock, created_at,"
                " updated_at) VALUES (?, ?, 'Bench', ?, ?, ?)",
                [(item, f"Item {item}", count, now, now) for item, count in stock.items()],
            )
            await store.db.executemany(
                "INSERT INTO support_requests (request_id, kind, association_id, status,"
                " created_at, updated_at) VALUES (?, 'gear', ?, ?, ?, ?)",
                [
                    (number, association.association_id, r.state, now, now)
                    for number, r in enumerate(made, 1)
                ],
            )
            await store.db.executemany(
                "INSERT INTO gear_requests (request_id, pick_up, return_on) VALUES (?, ?, ?)",
                [
                    (number, r.pick_up.isoformat(), r.return_on.isoformat())
                    for number, r in enumerate(made, 1)
                ],
            )
            await store.db.executemany(
                "INSERT INTO gear_request_lines (request_id, item_id, quantity, approved)"
                " VALUES (?, ?, ?, ?)",
                [(number, r.item_id, r.quantity, r.quantity) for number, r in enumerate(made, 1)],
            )
            for pick_up, return_on in dates[:10]:  # warm up
                await store.gear_requests.free(stock, pick_up, return_on)
            times = []
            for pick_up, return_on in dates:
                started = time.perf_counter()
                await store.gear_requests.free(stock, pick_up, return_on)
                times.append((time.perf_counter() - started) * 1000)
            return times
        finally:
            await store.close()


if __name__ == "__main__":
    arguments = [int(value) for value in sys.argv[1:3]]
    main(*(arguments + [10_000, 200][len(arguments) :]))
