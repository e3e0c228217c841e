"""Pacing for the delivery worker: an overall token bucket and per-chat limits, on an injected clock."""

from __future__ import annotations

import heapq
import itertools
import math
from collections import deque
from dataclasses import dataclass, field

from storage.outbox import OutboxMessage

# Telegram counts a little differently from us (arrival vs. dispatch time, its own windows), so
# the overall rate is aimed slightly under the limit.
HEADROOM = 0.97
# Burst allowance as a share of one second's worth of sends; at 30/s this rounds down to one
# send at a time, at 1000/s (paid broadcasts) it is 20, so a late-waking loop can catch up.
BURST_SHARE = 0.02
# Refilling at the exact moment a token is due can leave 0.999999999999 of it (float
# rounding), which would ask for a wait shorter than the clock can represent.
_EPSILON = 1e-9


class TokenBucket:
    """At most `capacity` sends at once, refilled at `rate` per second."""

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self._tokens = capacity
        self._at = now

    @classmethod
    def for_limit(cls, limit_per_second: float, now: float) -> TokenBucket:
        """A bucket that keeps any one-second window under `limit_per_second` sends."""
        rate = limit_per_second * HEADROOM
        # 1.5 rather than 1: a loop that wakes up to half an interval late loses no capacity.
        capacity = max(1.5, limit_per_second * BURST_SHARE)
        return cls(rate, capacity, now)

    def _refill(self, now: float) -> None:
        if now > self._at:
            self._tokens = min(self.capacity, self._tokens + (now - self._at) * self.rate)
            self._at = now

    def available(self, now: float) -> int:
        """How many sends may start now."""
        self._refill(now)
        return int(self._tokens + _EPSILON)

    def take(self, count: int, now: float) -> None:
        """Spend tokens for `count` sends that start now."""
        self._refill(now)
        self._tokens -= count

    def next_at(self, now: float) -> float:
        """When the next send may start."""
        self._refill(now)
        if self._tokens + _EPSILON >= 1.0:
            return now
        return now + (1.0 - self._tokens) / self.rate


@dataclass
class ChatPacer:
    """Limits for one chat: one send per `interval`, and for groups `per_minute` per 60 s.

    Times are those at which earlier sends *finished*: Telegram saw the request before we got
    the answer, so spacing from there keeps its view of the gap at least as large as ours.
    """

    interval: float
    per_minute: int | None = None
    last_done: float = -math.inf
    recent: deque[float] = field(default_factory=deque)

    def ready_at(self, now: float) -> float:
        """The earliest time the next send to this chat may start."""
        at = self.last_done + self.interval
        if self.per_minute is not None and self.per_minute > 0:
            while self.recent and self.recent[0] <= now - 60.0:
                self.recent.popleft()
            if len(self.recent) >= self.per_minute:
                at = max(at, self.recent[0] + 60.0)
        return at

    def done(self, now: float) -> None:
        """A send to this chat finished (whatever its outcome)."""
        self.last_done = now
        if self.per_minute is not None:
            self.recent.append(now)

    def forgettable(self, now: float) -> bool:
        """True when this pacer no longer restricts anything and may be dropped."""
        if self.last_done + self.interval > now:
            return False
        return not self.recent or self.recent[-1] <= now - 60.0


@dataclass(eq=False)
class Chat:
    """One chat's rows waiting in memory, its pacing, and whether a send to it is in flight."""

    key: tuple[str, str]
    pacer: ChatPacer
    queue: deque[OutboxMessage] = field(default_factory=deque)
    busy: bool = False
    # In the ready deque or the blocked heap (never both, at most once).
    scheduled: bool = False


class ChatQueues:
    """Rows read from the outbox, per chat, handed out oldest chat first as pacing allows.

    A chat that must wait (one message a second, twenty a minute in a group) waits in a heap
    ordered by when it may send again, so it never holds back the chats behind it.
    """

    def __init__(self, interval: float, group_per_minute: int) -> None:
        self.interval = interval
        self.group_per_minute = group_per_minute
        self.held: set[int] = set()
        self._chats: dict[tuple[str, str], Chat] = {}
        self._ready: deque[Chat] = deque()
        self._blocked: list[tuple[float, int, Chat]] = []
        self._seq = itertools.count()
        self._prune_at_size = 1024

    def __len__(self) -> int:
        return len(self.held)

    def add(self, msg: OutboxMessage, now: float) -> None:
        """Hold a row read from the outbox until its chat may receive it."""
        chat = self._chat(msg.channel, msg.chat_id)
        chat.queue.append(msg)
        self.held.add(msg.id)
        self._schedule(chat, now)
        if len(self._chats) > self._prune_at_size:
            self._prune(now)

    def pick(self, now: float, want: int) -> list[tuple[Chat, OutboxMessage]]:
        """Up to `want` rows whose chats may receive a message now; those chats become busy."""
        while self._blocked and self._blocked[0][0] <= now:
            _, _, chat = heapq.heappop(self._blocked)
            chat.scheduled = False
            self._schedule(chat, now)
        picked: list[tuple[Chat, OutboxMessage]] = []
        while self._ready and len(picked) < want:
            chat = self._ready.popleft()
            chat.scheduled = False
            if chat.busy or not chat.queue:
                continue
            if chat.pacer.ready_at(now) > now:
                self._schedule(chat, now)
                continue
            msg = chat.queue.popleft()
            self.held.discard(msg.id)
            # Busy until its send finishes: no second send to this chat meanwhile.
            chat.busy = True
            picked.append((chat, msg))
        return picked

    def put_back(self, chat: Chat, msg: OutboxMessage, now: float) -> None:
        """A picked row was not sent after all and stays first in its chat's queue."""
        chat.busy = False
        chat.queue.appendleft(msg)
        self.held.add(msg.id)
        self._schedule(chat, now)

    def dropped(self, chat: Chat, now: float) -> None:
        """A picked row turned out not to be ours to send (cancelled meanwhile)."""
        chat.busy = False
        self._schedule(chat, now)

    def finished(self, chat: Chat, now: float) -> None:
        """A send to this chat finished, whatever its outcome."""
        chat.busy = False
        chat.pacer.done(now)
        self._schedule(chat, now)

    def next_ready_at(self) -> float:
        """When the earliest waiting chat may receive its next message (inf if none waits)."""
        return self._blocked[0][0] if self._blocked else math.inf

    def _chat(self, channel: str, chat_id: str) -> Chat:
        key = (channel, chat_id)
        chat = self._chats.get(key)
        if chat is None:
            # Telegram group and channel ids are negative, private chats positive. Telegram
            # asks for at most one message a second in any chat, and twenty a minute in groups.
            group = channel == "telegram" and chat_id.startswith("-")
            pacer = ChatPacer(self.interval, self.group_per_minute if group else None)
            chat = self._chats[key] = Chat(key, pacer)
        return chat

    def _schedule(self, chat: Chat, now: float) -> None:
        if chat.scheduled or chat.busy or not chat.queue:
            return
        chat.scheduled = True
        at = chat.pacer.ready_at(now)
        if at <= now:
            self._ready.append(chat)
        else:
            heapq.heappush(self._blocked, (at, next(self._seq), chat))

    def _prune(self, now: float) -> None:
        # Idle chats are forgotten once their pacing no longer restricts anything.
        for key, chat in list(self._chats.items()):
            if not (chat.busy or chat.queue or chat.scheduled) and chat.pacer.forgettable(now):
                del self._chats[key]
        self._prune_at_size = max(1024, 2 * len(self._chats))
