"""One sending budget per bot token: the overall rate, every chat's spacing, answers first.

Everything Chibo sends through one account — outbox rows from the delivery worker and direct
answers to members — takes its slot here, so the platform sees one paced stream:

- **Overall**: an evenly spaced token bucket aimed at `AIM` of the platform's limit, and a cap
  on our own send times in any one-second window at least one send under the limit (the
  platform counts arrivals in a strict sliding window; arrival jitter on a loaded host must not
  push a window over). Slots are counted when a request is started, not when it is answered.
- **After a 429** the rate steps down by `BACKOFF` and climbs back by `RECOVERY_PER_SECOND`:
  a slow-down that recovers, never a pause of everything (the chat that got the 429 waits its
  `retry_after`, the rest go on a little slower).
- **Per chat**: one `ChatPacer` per chat, shared by both kinds of traffic; one holder at a time.
- **Interactive first**: an answer waiting only for an overall slot is counted, and the worker
  leaves it that many slots, so a member's answer goes out at the next slot even in the middle
  of a province-wide bulletin.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

from bot.core.clock import Clock
from scheduler.ratelimit import BURST_SHARE, ChatPacer, TokenBucket

# Share of the platform's limit aimed at, as an even rate.
AIM = 0.97
# Our own sends in any one second stay at least this many under the limit: room for arrival
# jitter (measured in bench/README-outbox.md).
WINDOW_MARGIN = 1
WINDOW = 1.0
# A 429 multiplies the rate by BACKOFF (not below MIN_FACTOR); it climbs back linearly.
BACKOFF = 0.9
MIN_FACTOR = 0.5
RECOVERY_PER_SECOND = 0.02
# Several requests in flight may meet the same full window: one step down per this many seconds.
BACKOFF_COOLDOWN = 1.0
# Forget idle chats' pacers once this many are kept (and twice as many as last time).
PRUNE_AT = 4096


class SendBudget:
    """The sending budget of one bot account, on the injected clock."""

    def __init__(
        self,
        clock: Clock,
        per_second: float,
        *,
        chat_interval: float,
        group_per_minute: int | None = None,
    ) -> None:
        self.clock = clock
        self.limit = per_second
        self.chat_interval = chat_interval
        self.group_per_minute = group_per_minute
        # Sends in any WINDOW: under the limit by WINDOW_MARGIN (at 30/s: 29), and never more
        # than the even rate allows (at 1000/s: 970).
        self.window_cap = max(1, min(math.floor(per_second * AIM), math.ceil(per_second) - 1))
        self.base_rate = per_second * AIM
        now = clock.monotonic()
        # 1.5 rather than 1: a loop that wakes up to half an interval late loses no capacity
        # (2 let bursts through that a CPU-starved platform saw as 429s: bench/README-pacing.md).
        self._bucket = TokenBucket(self.base_rate, max(1.5, per_second * BURST_SHARE), now)
        self._window: deque[float] = deque()
        self.factor = 1.0
        self._factor_at = now
        self._backoff_at = -math.inf
        self.throttles = 0
        # Answers waiting only for an overall slot: the worker leaves them that many.
        self._urgent = 0
        self._pacers: dict[str, ChatPacer] = {}
        self._prune_at_size = PRUNE_AT
        # Told when an answer took its slot: bulk traffic waiting behind it may go on.
        self.listeners: list[Callable[[], None]] = []

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

    def _refresh(self, now: float) -> None:
        if self.factor < 1.0 and now > self._factor_at:
            self.factor = min(1.0, self.factor + (now - self._factor_at) * RECOVERY_PER_SECOND)
            self._bucket.set_rate(self.base_rate * self.factor, now)
        self._factor_at = now
        # The epsilon: at exactly `next_at` the oldest send must count as a second old.
        edge = now - WINDOW + 1e-9
        while self._window and self._window[0] <= edge:
            self._window.popleft()

    def available(self, now: float, *, bulk: bool = True) -> int:
        """How many sends may start now; bulk traffic leaves waiting answers their slots."""
        self._refresh(now)
        count = min(self._bucket.available(now), self.window_cap - len(self._window))
        if bulk:
            count -= self._urgent
        return max(0, count)

    def take(self, count: int, now: float) -> None:
        """Spend slots for `count` sends that start now."""
        self._refresh(now)
        self._bucket.take(count, now)
        self._window.extend([now] * count)

    def next_at(self, now: float, *, bulk: bool = True) -> float:
        """When the next send (bulk: after the waiting answers) may start.

        Bulk traffic behind waiting answers gets `inf`: a listener is told when they are served.
        """
        self._refresh(now)
        if bulk and self._urgent:
            return math.inf
        need = 1
        at = now
        short = need - self._bucket.tokens(now)
        if short > 1e-9:
            at = now + short / self._bucket.rate
        over = len(self._window) + need - self.window_cap
        if over > 0:
            at = max(at, self._window[min(over, len(self._window)) - 1] + WINDOW)
        return at

    def throttled(self, now: float) -> None:
        """The platform answered 429: slow down a step (once per cooldown), then recover."""
        self.throttles += 1
        self._refresh(now)
        if now - self._backoff_at < BACKOFF_COOLDOWN:
            return
        self._backoff_at = now
        self.factor = max(MIN_FACTOR, self.factor * BACKOFF)
        self._bucket.set_rate(self.base_rate * self.factor, now)

    # -- direct answers -------------------------------------------------------------------------

    async def acquire(self, chat_id: str, *, held: bool = False, urgent: bool = True) -> ChatPacer:
        """Wait for the chat and an overall slot; the chat is then held until `release`.

        `held`: the caller already holds the chat (a further part of one message).
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
                await self.clock.sleep(at - now)
        finally:
            if counted:
                self._urgent -= 1
