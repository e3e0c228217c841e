"""Pacing for the delivery worker: an overall token bucket and per-chat limits, on an injected clock."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

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
