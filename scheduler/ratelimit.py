"""Pacing pieces: per-chat limits and the worker's per-chat queues (injected clock)."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from storage.outbox import OutboxMessage


@dataclass(eq=False)
class ChatPacer:
    """Limits for one chat: one send per `interval`, and for groups `per_minute` per 60 s.

    Shared by everything that sends to the chat (the delivery worker and direct answers), so
    two kinds of traffic never collide in one chat. Times are those at which earlier sends
    *finished*: Telegram saw the request before we got the answer, so spacing from there keeps
    its view of the gap at least as large as ours.
    """

    interval: float
    per_minute: int | None = None
    last_done: float = -math.inf
    recent: deque[float] = field(default_factory=deque)
    # A send to this chat is in flight (or a multi-part answer is under way).
    busy: bool = False
    _free: list[asyncio.Future[None]] = field(default_factory=list)

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
        """A send to this chat finished (whatever its outcome); the chat may still be held."""
        self.last_done = max(self.last_done, now)
        if self.per_minute is not None:
            self.recent.append(now)

    def hold(self, until: float) -> None:
        """The platform asked to wait (429): nothing goes to this chat before `until`."""
        self.last_done = max(self.last_done, until - self.interval)

    def release(self, now: float) -> None:
        """The holder's send finished: record it and let the next sender in."""
        self.done(now)
        self.unclaim()

    def unclaim(self) -> None:
        """The holder let go without sending."""
        self.busy = False
        waiters, self._free = self._free, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    async def wait_free(self) -> None:
        """Until the current holder releases the chat."""
        if not self.busy:
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._free.append(fut)
        try:
            await fut
        finally:
            if fut in self._free:
                self._free.remove(fut)

    def forgettable(self, now: float) -> bool:
        """True when this pacer no longer restricts anything and may be dropped."""
        if self.busy or self._free or self.last_done + self.interval > now:
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

    def __init__(self, pacer_for: Callable[[str, str], ChatPacer]) -> None:
        # Pacers come from the channel's sending budget, shared with direct answers.
        self.pacer_for = pacer_for
        self.held: set[int] = set()
        # Chats whose pacer another sender (a direct answer) holds: looked at again on `retry()`.
        self._foreign: list[Chat] = []
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
            if chat.pacer.busy:
                # A direct answer to this chat is under way: after it, in the same order.
                chat.scheduled = True
                self._foreign.append(chat)
                continue
            if chat.pacer.ready_at(now) > now:
                self._schedule(chat, now)
                continue
            msg = chat.queue.popleft()
            self.held.discard(msg.id)
            # Busy until its send finishes: no second send to this chat meanwhile.
            chat.busy = True
            chat.pacer.busy = True
            picked.append((chat, msg))
        return picked

    def retry(self, now: float) -> None:
        """Chats held by another sender get another look (their holder may be done)."""
        foreign, self._foreign = self._foreign, []
        for chat in foreign:
            chat.scheduled = False
            self._schedule(chat, now)

    def put_back(self, chat: Chat, msg: OutboxMessage, now: float) -> None:
        """A picked row was not sent after all and stays first in its chat's queue."""
        chat.busy = False
        chat.pacer.unclaim()
        chat.queue.appendleft(msg)
        self.held.add(msg.id)
        self._schedule(chat, now)

    def dropped(self, chat: Chat, now: float) -> None:
        """A picked row turned out not to be ours to send (cancelled meanwhile)."""
        chat.busy = False
        chat.pacer.unclaim()
        self._schedule(chat, now)

    def finished(self, chat: Chat, now: float) -> None:
        """A send to this chat finished, whatever its outcome."""
        chat.busy = False
        chat.pacer.release(now)
        self._schedule(chat, now)

    def next_ready_at(self) -> float:
        """When the earliest waiting chat may receive its next message (inf if none waits)."""
        return self._blocked[0][0] if self._blocked else math.inf

    def _chat(self, channel: str, chat_id: str) -> Chat:
        key = (channel, chat_id)
        chat = self._chats.get(key)
        if chat is None:
            chat = self._chats[key] = Chat(key, self.pacer_for(channel, chat_id))
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
