"""The send budget on a fake clock: Telegram's limits hold for whatever the sender does."""

from __future__ import annotations

import random
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.pacing import Budget

# Telegram's limits to the letter: 30 in any second, in bursts (Kapstok's own budget adds a
# margin and spaces its sends; see test_pacing.py).
EXACT_SECOND = {"global_window": 1.0, "even": False}

EPSILON = 1e-9


@dataclass(frozen=True)
class Sent:
    """One message the simulated sender sent."""

    at: float
    index: int
    chat_id: int


def run_sender(
    budget: Budget,
    chats: list[int],
    *,
    now: float = 0.0,
    retry_after: dict[int, float] | None = None,
) -> list[Sent]:
    """Send messages to chats in order, each as soon as the budget allows; 429s after send n."""
    retry_after = retry_after or {}
    pending = list(enumerate(chats))
    sent: list[Sent] = []
    while pending:
        best: tuple[float, int] | None = None
        seen: set[int] = set()
        for position, (_, chat_id) in enumerate(pending):
            if chat_id in seen:
                continue  # not the first message of its chat: it waits for that one
            seen.add(chat_id)
            moment = budget.earliest(chat_id, now)
            if best is None or moment < best[0]:
                best = (moment, position)
            if moment == now:
                break  # the first due message in order
        assert best is not None
        now, position = best
        index, chat_id = pending.pop(position)
        budget.record(chat_id, now)
        sent.append(Sent(now, index, chat_id))
        if len(sent) in retry_after:
            budget.pause(now + retry_after[len(sent)])
    return sent


def most_in_window(times: list[float], width: float) -> int:
    """The most of times that fall in one half-open window [t, t + width)."""
    times = sorted(times)
    return max(
        (bisect_left(times, start + width - EPSILON) - i for i, start in enumerate(times)),
        default=0,
    )


def within_token_bucket(times: list[float], burst: int = 3, interval: float = 1.0) -> bool:
    """Whether every closed interval [a, b] holds at most burst + (b - a) / interval of times."""
    times = sorted(times)
    return all(
        j - i + 1 <= burst + (times[j] - times[i]) / interval + EPSILON
        for i in range(len(times))
        for j in range(i, len(times))
    )


def times_by_chat(sent: list[Sent]) -> dict[int, list[float]]:
    by_chat: dict[int, list[float]] = defaultdict(list)
    for send in sent:
        by_chat[send.chat_id].append(send.at)
    return by_chat


def test_a_broadcast_to_a_thousand_people_goes_at_thirty_a_second():
    sent = run_sender(Budget(**EXACT_SECOND), list(range(1, 1001)))

    assert len(sent) == 1000
    assert most_in_window([s.at for s in sent], 1.0) == 30
    assert sent[-1].at == 33.0  # 1000 / 30 seconds, the last 10 in the 34th second
    assert [s.index for s in sent] == list(range(1000))


def test_a_group_gets_twenty_a_minute():
    sent = run_sender(Budget(**EXACT_SECOND), [-100] * 30)

    assert most_in_window([s.at for s in sent], 60.0) == 20
    assert [s.at for s in sent] == [0.0] * 20 + [60.0] * 10


def test_a_group_window_slides_and_outlives_other_chats_sends():
    budget = Budget(**EXACT_SECOND)
    for second in range(20):
        budget.record(-7, float(second))
    budget.record(1, 60.0)  # forgets what no longer limits a send at 60.0

    assert budget.earliest(-7, 30.0) == 60.0
    budget.record(-7, 60.0)
    assert budget.earliest(-7, 60.0) == 61.0


def test_a_private_chat_gets_three_at_once_then_one_a_second():
    sent = run_sender(Budget(**EXACT_SECOND), [42] * 10)

    assert [s.at for s in sent] == [0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    assert within_token_bucket([s.at for s in sent])


def test_a_private_chat_that_was_quiet_may_burst_again():
    budget = Budget(**EXACT_SECOND)
    first = run_sender(budget, [42] * 4)
    later = run_sender(budget, [42] * 4, now=first[-1].at + 3.0)

    assert [s.at for s in later] == [4.0, 4.0, 4.0, 5.0]


def test_a_pause_holds_every_chat_and_the_second_after_it_has_thirty_at_most():
    sent = run_sender(Budget(**EXACT_SECOND), [*range(1, 101), -5, -6], retry_after={10: 5.0})

    assert [s.at for s in sent[:10]] == [0.0] * 10
    assert all(s.at >= 5.0 for s in sent[10:])
    assert sum(5.0 <= s.at < 6.0 for s in sent) == 30
    assert most_in_window([s.at for s in sent], 1.0) == 30


def test_a_pause_shorter_than_the_windows_does_not_reset_them():
    budget = Budget(**EXACT_SECOND)
    run_sender(budget, [-7] * 20 + list(range(1, 11)))
    budget.pause(10.0)

    assert budget.earliest(-7, 10.0) == 60.0
    assert budget.earliest(1, 0.5) == 10.0

    budget = Budget(**EXACT_SECOND)
    run_sender(budget, list(range(1, 31)))
    budget.pause(0.5)

    assert budget.earliest(99, 0.0) == 1.0  # the 30 sent at 0.0 still count


def test_a_longer_pause_wins_over_a_shorter_one():
    budget = Budget(**EXACT_SECOND)
    budget.pause(10.0)
    budget.pause(4.0)

    assert budget.earliest(1, 0.0) == 10.0
    assert not budget.may_send(1, 9.9)
    assert budget.may_send(1, 10.0)


def test_a_busy_chat_does_not_hold_up_the_chats_behind_it():
    sent = run_sender(Budget(**EXACT_SECOND), [7, 7, 7, 7, 7, 1, 2, 3])

    assert [(s.chat_id, s.at) for s in sent] == [
        (7, 0.0),
        (7, 0.0),
        (7, 0.0),
        (1, 0.0),
        (2, 0.0),
        (3, 0.0),
        (7, 1.0),
        (7, 2.0),
    ]


def test_each_chat_gets_its_messages_in_order():
    rng = random.Random(7)
    chats = [rng.choice([1, 2, 3, -1, -2, *range(10, 60)]) for _ in range(400)]
    sent = run_sender(Budget(**EXACT_SECOND), chats)

    for chat_id in set(chats):
        indexes = [s.index for s in sent if s.chat_id == chat_id]
        assert indexes == sorted(indexes)
    assert [s.at for s in sent] == sorted(s.at for s in sent)


def test_earliest_for_one_chat_never_moves_back():
    budget = Budget(**EXACT_SECOND)
    now, moments = 0.0, []
    for chat_id in [5, 5, -3, 5, 5, 6, 5, -3, 5]:
        moments.append(budget.earliest(5, now))
        now = budget.earliest(chat_id, now)
        budget.record(chat_id, now)
        moments.append(budget.earliest(5, now))

    assert moments == sorted(moments)
    assert [budget.earliest(5, t / 4) for t in range(40)] == sorted(
        budget.earliest(5, t / 4) for t in range(40)
    )


def test_may_send_is_whether_earliest_is_now():
    budget = Budget(**EXACT_SECOND)
    for _ in range(3):
        budget.record(8, 0.0)

    assert not budget.may_send(8, 0.5)
    assert budget.earliest(8, 0.5) == 1.0
    assert budget.may_send(8, 1.0)
    assert budget.may_send(9, 0.5)


def test_chats_without_recent_sends_are_forgotten():
    budget = Budget(**EXACT_SECOND)
    sent = run_sender(budget, [*range(1, 1001), *range(-1, -101, -1)])
    assert budget.tracked_chats > 0

    budget.record(1, sent[-1].at + 60.0)

    assert budget.tracked_chats == 1
    assert len(budget._expiries) == 1


def test_a_send_recorded_out_of_order_counts_as_the_latest():
    budget = Budget(**EXACT_SECOND)
    budget.record(1, 5.0)
    budget.record(1, 2.0)
    budget.record(1, 5.0)

    assert budget.earliest(1, 5.0) == 6.0


send_step = st.tuples(
    st.just("send"),
    st.sampled_from([1, 2, 3, 4, 5, 6, -1, -2, -3]),
    st.one_of(st.just(0), st.integers(0, 2500)),  # milliseconds since the previous step
    st.booleans(),  # wait for the budget, or only send if it allows it right now
)
pause_step = st.tuples(st.just("pause"), st.just(0), st.integers(0, 5000), st.just(False))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(send_step, send_step, send_step, pause_step), max_size=300))
def test_no_window_is_ever_exceeded_by_sends_the_budget_allowed(steps):
    budget = Budget(global_per_second=5, group_per_window=4, group_window=10.0)
    now, sent, pauses = 0.0, [], []
    for kind, chat_id, milliseconds, wait in steps:
        if kind == "pause":
            budget.pause(now + milliseconds / 1000)
            pauses.append((len(sent), now + milliseconds / 1000))
            continue
        now += milliseconds / 1000
        moment = budget.earliest(chat_id, now)
        assert moment >= now
        if wait:
            assert budget.may_send(chat_id, moment)
            now = moment
        elif not budget.may_send(chat_id, now):
            continue
        budget.record(chat_id, now)
        sent.append(Sent(now, len(sent), chat_id))

    assert most_in_window([s.at for s in sent], 1.0) <= 5
    for chat_id, times in times_by_chat(sent).items():
        if chat_id > 0:
            assert within_token_bucket(times)
        else:
            assert most_in_window(times, 10.0) <= 4
    for sent_before, until in pauses:
        assert all(s.at >= until for s in sent[sent_before:])
    assert budget.tracked_chats <= 9


def test_the_real_limits_hold_for_a_long_random_mix():
    rng = random.Random(2024)
    budget = Budget(**EXACT_SECOND)
    now, sent = 0.0, []
    for index in range(6000):
        chat_id = rng.choice([*range(1, 200), *range(-1, -15, -1)])
        now += rng.choice([0.0, 0.0, 0.0, 0.01, 0.2])
        if rng.random() < 0.001:
            budget.pause(now + rng.uniform(0.1, 8.0))
        now = budget.earliest(chat_id, now)
        budget.record(chat_id, now)
        sent.append(Sent(now, index, chat_id))

    assert most_in_window([s.at for s in sent], 1.0) <= 30
    for chat_id, times in times_by_chat(sent).items():
        if chat_id > 0:
            assert within_token_bucket(times)
        else:
            assert most_in_window(times, 60.0) <= 20


# --- Kapstok's own budget: a margin for jittered arrivals, and sends spaced evenly ----------------


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.floats(min_value=0.0, max_value=0.025))
def test_arrivals_jittered_by_up_to_25_ms_never_make_31_in_telegrams_second(seed, jitter):
    sent = run_sender(Budget(), list(range(1, 301)))
    rng = random.Random(seed)
    arrivals = [s.at + rng.uniform(0.0, jitter) for s in sent]
    assert most_in_window(arrivals, 1.0) <= 30


def test_sends_are_spaced_evenly_and_lose_at_most_three_percent_of_the_rate():
    sent = run_sender(Budget(), list(range(1, 1001)))
    times = [s.at for s in sent]
    assert most_in_window(times, 1.025 / 30) <= 4  # a burst of 4 at most, then evenly
    assert most_in_window(times, 0.5) <= 4 + 0.5 * 30 / 1.025
    assert sent[-1].at <= 1000 * 1.025 / 30
    assert sent[-1].at >= 970 / 30  # never faster than Telegram allows


def test_a_sender_that_woke_late_catches_up_a_little():
    budget = Budget()
    for n in range(10):
        budget.record(n + 1, n * 1.025 / 30)
    late = 12 * 1.025 / 30  # woke two spacings after its slot
    assert budget.earliest(100, late) == late
    for chat in (100, 101, 102, 103):  # four at once, as after any idle moment
        assert budget.earliest(chat, late) == late
        budget.record(chat, late)
    assert budget.earliest(104, late) == late + 1.025 / 30


def test_a_send_that_may_go_waits_at_most_one_spacing_for_the_global_limit():
    budget = Budget()
    for n in range(200):
        budget.record(n + 1, n * 1.025 / 30)
    now = 199 * 1.025 / 30
    assert budget.earliest(5000, now) - now <= 1.025 / 30 + EPSILON
