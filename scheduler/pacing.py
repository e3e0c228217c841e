"""One sending budget per bot token: the overall rate, every chat's spacing, answers first.

Everything Chibo sends through one account — outbox rows from the delivery worker and direct
answers to members — takes its slot here, so the platform sees one paced stream:

- **Overall**: the platform's own rule is the constraint, not an even spacing. Telegram counts
  the requests that *arrive* in any one-second window (a strict sliding window). A request of
  ours arrives somewhere between the moment we issue it and the moment its answer comes back,
  so it may share a platform window with a new request while it is in flight and until one
  second after its answer came back. A new send may start when fewer than `window_cap`
  (the limit less `WINDOW_MARGIN`: 30 at 30/s) of our requests could fall in one window with
  it. Whatever the arrival jitter, the platform then never sees more than `window_cap` in a
  second; and a loop that wakes late loses only the lateness of that one slot, not the rest
  of an even schedule (bench/README-pacing.md).
- **After a 429** the window cap steps down by `BACKOFF` and climbs back by
  `RECOVERY_PER_SECOND`: a slow-down that recovers, never a pause of everything (the chat that
  got the 429 waits its `retry_after`, the rest go on a little slower).
- **Per chat**: one `ChatPacer` per chat, shared by both kinds of traffic; one holder at a time.
- **Interactive first**: an answer waiting only for an overall slot is counted, and the worker
  leaves it that many slots, so a member's answer goes out at the next slot even in the middle
  of a province-wide bulletin.

Every `take` (or `acquire`) must be matched by a `finished` when the request's answer (or
error) came back; until then the send counts as in flight.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Callable

from bot.core.clock import Clock
from scheduler.ratelimit import ChatPacer

# Our requests that may share one platform window stay this many under the limit. None: the
# count above is already conservative (a request counts from before it can arrive until after
# it surely has, and every message send of the account, edits included, takes a slot), so a
# platform counting a strict window never sees more than the limit. A margin of 1 (29 of 30)
# cost 3-4 points of the limit on a loaded host (bench/README-pacing.md). The one 429 it does
# not prevent: a restarted bot within a second of the old one's last sends (a new budget knows
# nothing of them); that row is retried after its `retry_after`.
WINDOW_MARGIN = 0
WINDOW = 1.0
# A 429 multiplies the window cap by BACKOFF (not below MIN_FACTOR); it climbs back linearly.
BACKOFF = 0.9
MIN_FACTOR = 0.5
RECOVERY_PER_SECOND = 0.02
# Several requests in flight may meet the same full window: one step down per this many seconds.
BACKOFF_COOLDOWN = 1.0
# Forget idle chats' pacers once this many are kept (and twice as many as last time).
PRUNE_AT = 4096
# Float rounding of `window_cap * factor` must not cost a slot.
_EPSILON = 1e-9


class SendBudget:
    """The sending budget of one bot account, on the injected clock."""

    def __init__(
        self,
        clock: Clock,
        per_second: float,
        *,
        chat_interval: float,
        group_per_minute: int | None = None,
        margin: int = WINDOW_MARGIN,
    ) -> None:
        self.clock = clock
        self.limit = per_second
        self.chat_interval = chat_interval
        self.group_per_minute = group_per_minute
        # Requests that may share one platform window: at 30/s 30, at 20/s (Zalo) 20.
        self.window_cap = max(1, math.ceil(per_second) - margin)
        now = clock.monotonic()
        # Started and not yet answered.
        self.inflight = 0
        # When answered, oldest first: each counts until WINDOW after it.
        self._answered: deque[float] = deque()
        self.factor = 1.0
        self._factor_at = now
        self._backoff_at = -math.inf
        self.throttles = 0
        # Answers waiting only for an overall slot: the worker leaves them that many.
        self._urgent = 0
        self._pacers: dict[str, ChatPacer] = {}
        self._prune_at_size = PRUNE_AT
        # Answers waiting for an in-flight send to come back (the window is full of them).
        self._freed: list[asyncio.Future[None]] = []
        # Told when an answer took its slot (bulk traffic waiting behind it may go on) and when
        # a send came back while the window was full (the next slot's time is known now).
        self.listeners: list[Callable[[], None]] = []
        # A caller was told the next slot depends on a send coming back (`next_at` = inf).
        self._stalled = False

    # -- per chat -------------------------------------------------------------------------------

    def pacer(self, chat_id: str) -> ChatPacer:
        """The chat's pacer, shared by the worker and direct answers."""
        pacer = self._pacers.get(chat_id)
        if pacer is None:
            # Telegram group and channel ids are negative, private chats positive. Telegram
            # asks for at most one message a second in any chat, and twenty a minute in groups.
            group = self.group_per_minute if chat_id.startswith("-") else None
            pacer = self._pacers[chat_id] = ChatPacer(self.chat_interval, group)
            if len(self._pacers) > self._prune_at_size:
                self._prune(self.clock.monotonic())
        return pacer

    def _prune(self, now: float) -> None:
        for chat_id, pacer in list(self._pacers.items()):
            if pacer.forgettable(now):
                del self._pacers[chat_id]
        self._prune_at_size = max(PRUNE_AT, 2 * len(self._pacers))

    # -- overall --------------------------------------------------------------------------------

    @property
    def cap(self) -> int:
        """Requests that may share one platform window now (lower for a while after a 429)."""
        return max(1, math.floor(self.window_cap * self.factor + _EPSILON))

    def _refresh(self, now: float) -> None:
        if self.factor < 1.0 and now > self._factor_at:
            self.factor = min(1.0, self.factor + (now - self._factor_at) * RECOVERY_PER_SECOND)
        self._factor_at = now
        # The same sum as `next_at`, so at exactly that time the send no longer counts.
        while self._answered and self._answered[0] + WINDOW <= now:
            self._answered.popleft()

    def in_window(self, now: float) -> int:
        """Our requests that may share a platform window with one starting now."""
        self._refresh(now)
        return self.inflight + len(self._answered)

    def available(self, now: float, *, bulk: bool = True) -> int:
        """How many sends may start now; bulk traffic leaves waiting answers their slots."""
        used = self.in_window(now)  # first: it brings the factor up to date
        count = self.cap - used
        if bulk:
            count -= self._urgent
        return max(0, count)

    def take(self, count: int, now: float) -> None:
        """`count` sends start now: in flight until `finished`."""
        self._refresh(now)
        self.inflight += count

    def finished(self, now: float, count: int = 1) -> None:
        """`count` sends came back (answer or error): they count until WINDOW from now."""
        full = self.in_window(now) >= self.cap
        self.inflight = max(0, self.inflight - count)
        self._answered.extend([now] * count)
        # Someone waits for a send to come back (the window was full of sends in flight, at
        # the cap of that moment: the cap may have risen since, so not only when full now).
        if full or self._freed or self._stalled:
            # The next slot's time is known now.
            self._stalled = False
            waiters, self._freed = self._freed, []
            for fut in waiters:
                if not fut.done():
                    fut.set_result(None)
            for listener in self.listeners:
                listener()

    def next_at(self, now: float, *, bulk: bool = True) -> float:
        """When the next send (bulk: after the waiting answers) may start.

        `inf` when it depends on an event, not on time: bulk traffic behind waiting answers
        (a listener is told when they are served), or a window full of sends still in flight
        (a listener is told when one comes back).
        """
        self._refresh(now)
        if bulk and self._urgent:
            return math.inf
        over = self.inflight + len(self._answered) + 1 - self.cap
        if over <= 0:
            return now
        if over > len(self._answered):
            self._stalled = True
            return math.inf
        return self._answered[over - 1] + WINDOW

    def throttled(self, now: float) -> None:
        """The platform answered 429: slow down a step (once per cooldown), then recover."""
        self.throttles += 1
        self._refresh(now)
        if now - self._backoff_at < BACKOFF_COOLDOWN:
            return
        self._backoff_at = now
        self.factor = max(MIN_FACTOR, self.factor * BACKOFF)

    async def _wait_freed(self) -> None:
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._freed.append(fut)
        try:
            await fut
        finally:
            if fut in self._freed:
                self._freed.remove(fut)

    # -- direct answers -------------------------------------------------------------------------

    async def acquire(self, chat_id: str, *, held: bool = False, urgent: bool = True) -> ChatPacer:
        """Wait for the chat and an overall slot; the chat is then held until `release`.

        The caller calls `finished` when the request comes back. `held`: the caller already
        holds the chat (a further part of one message).
        """
        pacer = self.pacer(chat_id)
        counted = False
        try:
            while True:
                if pacer.busy and not held:
                    await pacer.wait_free()
                    continue
                now = self.clock.monotonic()
                ready = pacer.ready_at(now)
                if ready > now:
                    if counted:
                        self._urgent -= 1
                        counted = False
                    await self.clock.sleep(ready - now)
                    continue
                if urgent and not counted:
                    self._urgent += 1
                    counted = True
                at = self.next_at(now, bulk=False)
                if at <= now:
                    self.take(1, now)
                    pacer.busy = True
                    if counted:
                        self._urgent -= 1
                        counted = False
                    for listener in self.listeners:
                        listener()
                    return pacer
                if math.isinf(at):
                    await self._wait_freed()
                else:
                    await self.clock.sleep(at - now)
        finally:
            if counted:
                self._urgent -= 1
