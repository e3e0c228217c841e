"""Direct answers to members: paced by the channel's one budget, in order per chat, retried.

Why not through the outbox: an answer is computed while its update is being handled, and the
update counts as handled only once its answers are out (the handler awaits them). A crash
before that leaves the update unhandled, so it is the update that must survive (the inbox), not
the answer; writing every answer to the outbox first would add three database round trips to
each answer (queue, claim, record) for no extra guarantee. What the outbox gives rows — one
pacing budget, retries that honour `retry_after`, order within the chat, a log line with ids
when it gives up — the answer lane gives answers, in memory.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from bot.core.clock import Clock
from bot.core.delivery import RetryLater, Transient
from scheduler.pacing import SendBudget
from scheduler.ratelimit import ChatPacer

logger = logging.getLogger(__name__)

T = TypeVar("T")
Request = Callable[[], Awaitable[Any]]
# Runs one request to the platform: paced, and for a direct answer retried.
Gate = Callable[[Request], Awaitable[Any]]

# Backoff for network errors and 5xx on an answer: doubling from `backoff_base`, at most this.
ANSWER_BACKOFF_MAX = 60.0


async def direct(request: Request) -> Any:
    """No pacing: benchmarks of a sender alone, and tests of one."""
    return await request()


class RowGate:
    """The requests of one outbox row: the worker paced the first, later parts wait their turn.

    A long text goes out in several messages; each further one waits for the chat's interval
    and an overall slot, like any other send.
    """

    def __init__(self, budget: SendBudget, chat_id: str) -> None:
        self.budget = budget
        self.chat_id = chat_id
        self.count = 0

    async def __call__(self, request: Request) -> Any:
        # The first request uses the slot the worker took for the row (the worker marks it
        # finished); each further one takes and finishes its own.
        own = self.count > 0
        if own:
            # The worker holds the chat: wait for its interval and a slot (not an urgent one).
            await self.budget.acquire(self.chat_id, held=True, urgent=False)
        self.count += 1
        try:
            return await request()
        finally:
            now = self.budget.clock.monotonic()
            self.budget.pacer(self.chat_id).done(now)
            if own:
                self.budget.finished(now)


class GaveUp(Exception):
    """An answer could not be delivered after the retry limit (already logged with ids)."""


class AnswerLane:
    """Direct answers of one channel (bot account)."""

    def __init__(
        self,
        budget: SendBudget,
        clock: Clock,
        *,
        max_attempts: int,
        backoff_base: float,
        on_release: Callable[[], None] | None = None,
    ) -> None:
        self.budget = budget
        self.clock = clock
        self.max_attempts = max(1, max_attempts)
        self.backoff_base = backoff_base
        # Told when a chat is let go, so the delivery worker looks at that chat's rows again.
        self.on_release = on_release
        self.sent = 0
        self.retried = 0
        self.given_up = 0

    @asynccontextmanager
    async def chat(self, chat_id: str, ref: str) -> AsyncIterator[AnswerChat]:
        """Hold the chat for one update's answers: nothing else goes to it in between."""
        pacer = self.budget.pacer(chat_id)
        while pacer.busy:
            await pacer.wait_free()
        pacer.busy = True
        try:
            yield AnswerChat(self, pacer, chat_id, ref)
        finally:
            pacer.release(self.clock.monotonic())
            if self.on_release is not None:
                self.on_release()


class AnswerChat:
    """The answers to one update in one chat, sent one request at a time."""

    def __init__(self, lane: AnswerLane, pacer: ChatPacer, chat_id: str, ref: str) -> None:
        self.lane = lane
        self.pacer = pacer
        self.chat_id = chat_id
        self.ref = ref

    async def send(self, request: Callable[[], Awaitable[T]], what: str = "message") -> T:
        """One request, paced; 429, 5xx and network errors are retried, others raised.

        Raises `GaveUp` after the retry limit; the caller stops the rest of this answer, so
        what the member sees stays in order.
        """
        lane = self.lane
        budget = lane.budget
        for attempt in range(1, lane.max_attempts + 1):
            await budget.acquire(self.chat_id, held=True)
            try:
                result = await request()
            except RetryLater as exc:
                now = lane.clock.monotonic()
                budget.finished(now)
                self.pacer.done(now)
                self.pacer.hold(now + exc.retry_after)
                budget.throttled(now)
                error = f"retry_after {exc.retry_after:g}s"
                delay = 0.0  # the hold above is the wait
            except Transient as exc:
                budget.finished(lane.clock.monotonic())
                self.pacer.done(lane.clock.monotonic())
                error = f"transient: {type(exc.__cause__ or exc).__name__}"
                delay = min(ANSWER_BACKOFF_MAX, lane.backoff_base * 2 ** (attempt - 1))
            except BaseException:
                budget.finished(lane.clock.monotonic())
                self.pacer.done(lane.clock.monotonic())
                raise
            else:
                budget.finished(lane.clock.monotonic())
                self.pacer.done(lane.clock.monotonic())
                lane.sent += 1
                return result
            if attempt == lane.max_attempts:
                break
            lane.retried += 1
            logger.info(
                "answer %s to chat %s (%s): attempt %d failed (%s), retrying",
                what,
                self.chat_id,
                self.ref,
                attempt,
                error,
            )
            if delay > 0:
                await lane.clock.sleep(delay)
        lane.given_up += 1
        logger.error(
            "answer %s to chat %s (%s) given up after %d attempts (%s)",
            what,
            self.chat_id,
            self.ref,
            lane.max_attempts,
            error,
        )
        raise GaveUp(f"{what} to chat {self.chat_id}")
