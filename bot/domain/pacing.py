"""The send budget of the outbox: the first moment a message to a chat may go.

Pure rules on a clock that the caller passes in (float seconds); nothing here sleeps or reads
the time. A send counts at the moment given to `Budget.record`. The limits, as defined here:

- every chat together: at most 30 sends in any half-open window [t, t + 1.025), and evenly
  spaced, one every 1.025/30 s (GCRA, with a burst of 4 for a sender that woke late):
  Telegram counts a send when it arrives, and arrivals jitter by some milliseconds; 25 ms of
  margin keeps a jittered 31st out of Telegram's second, and the spacing keeps a slot a few
  dozen milliseconds away for an answer to a user;
- a private chat (id > 0): a token bucket of 3 tokens, full at first, refilled by one token a
  second; put another way, any closed interval [a, b] holds at most 3 + (b - a) sends to it
  (3 at once, then 1 a second). Kept as GCRA: one float per chat, its theoretical arrival time;
- a group, supergroup or channel (id < 0; id 0 counts as one too): at most 20 sends in any
  half-open window [t, t + 60);
- a 429 with retry_after=N: `pause(now + N)`, and nothing goes before that moment, to any chat.
  The windows keep their history through the pause, so the second after it holds 30 at most.

A chat whose sends no longer limit anything is forgotten on a later `record`, so memory stays
bounded by the sends of the last minute; `earliest` is O(1) and `record` O(log n).
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass, field

GLOBAL_PER_SECOND = 30
GLOBAL_WINDOW = 1.025  # Telegram's second, and a margin for the jitter of arrivals
# Evenly spaced, but a sender that woke late may catch up with this many sends at once.
GLOBAL_BURST = 4
PRIVATE_BURST = 3
PRIVATE_INTERVAL = 1.0
GROUP_PER_WINDOW = 20
GROUP_WINDOW = 60.0


def is_private(chat_id: int) -> bool:
    """Whether Telegram's per-chat limit for a private chat applies to chat_id."""
    return chat_id > 0


@dataclass
class Budget:
    """What was sent recently, and so when the next send to a chat may go."""

    global_per_second: int = GLOBAL_PER_SECOND
    global_window: float = GLOBAL_WINDOW
    even: bool = True  # space the sends evenly over the window, instead of in bursts
    global_burst: int = GLOBAL_BURST
    private_burst: int = PRIVATE_BURST
    private_interval: float = PRIVATE_INTERVAL
    group_per_window: int = GROUP_PER_WINDOW
    group_window: float = GROUP_WINDOW
    paused_until: float = float("-inf")
    _recent: deque[float] = field(init=False, repr=False)
    _private_due: dict[int, float] = field(default_factory=dict, init=False, repr=False)
    _group_sends: dict[int, deque[float]] = field(default_factory=dict, init=False, repr=False)
    _expiries: list[tuple[float, int]] = field(default_factory=list, init=False, repr=False)
    _last: float = field(default=float("-inf"), init=False, repr=False)
    _global_due: float = field(default=float("-inf"), init=False, repr=False)

    def __post_init__(self) -> None:
        self._recent = deque(maxlen=self.global_per_second)

    @property
    def _tolerance(self) -> float:
        return (self.private_burst - 1) * self.private_interval

    @property
    def _spacing(self) -> float:
        return self.global_window / self.global_per_second

    @property
    def tracked_chats(self) -> int:
        """How many chats the budget still keeps sends of."""
        return len(self._private_due) + len(self._group_sends)

    def earliest(self, chat_id: int, now: float, *, message: bool = True) -> float:
        """The first moment >= now at which a send to chat_id may go. `message=False` is a
        call that is no new message in the chat (an edit, a reaction): only the global limit
        and a pause hold it back."""
        moment = max(now, self.paused_until)
        if len(self._recent) == self.global_per_second:
            moment = max(moment, self._recent[0] + self.global_window)
        if self.even:
            moment = max(moment, self._global_due - (self.global_burst - 1) * self._spacing)
        if not message:
            return moment
        if is_private(chat_id):
            due = self._private_due.get(chat_id)
            if due is not None:
                moment = max(moment, due - self._tolerance)
        else:
            sends = self._group_sends.get(chat_id)
            if sends is not None and len(sends) == self.group_per_window:
                moment = max(moment, sends[0] + self.group_window)
        return moment

    def may_send(self, chat_id: int, now: float, *, message: bool = True) -> bool:
        """Whether a send to chat_id may go at now."""
        return self.earliest(chat_id, now, message=message) <= now

    def record(self, chat_id: int, at: float, *, message: bool = True) -> None:
        """Count a send to chat_id at `at`; an `at` before the latest one counts as the latest.
        `message=False` counts only against the global limit."""
        at = max(at, self._last)
        self._last = at
        self._forget_idle(at)
        self._recent.append(at)
        self._global_due = max(self._global_due, at) + self._spacing
        if not message:
            return
        if is_private(chat_id):
            due = max(self._private_due.get(chat_id, at), at) + self.private_interval
            self._private_due[chat_id] = due
            heapq.heappush(self._expiries, (due, chat_id))
        else:
            sends = self._group_sends.get(chat_id)
            if sends is None:
                sends = self._group_sends[chat_id] = deque(maxlen=self.group_per_window)
            sends.append(at)
            heapq.heappush(self._expiries, (at + self.group_window, chat_id))

    def pause(self, until: float) -> None:
        """Let nothing go before `until` (after a 429); an earlier `until` changes nothing."""
        self.paused_until = max(self.paused_until, until)

    def _forget_idle(self, now: float) -> None:
        """Drop the chats whose past sends no longer limit a send at now."""
        while self._expiries and self._expiries[0][0] <= now:
            _, chat_id = heapq.heappop(self._expiries)
            if is_private(chat_id):
                due = self._private_due.get(chat_id)
                if due is not None and due <= now:
                    del self._private_due[chat_id]
            else:
                sends = self._group_sends.get(chat_id)
                if sends is not None and sends[-1] + self.group_window <= now:
                    del self._group_sends[chat_id]
