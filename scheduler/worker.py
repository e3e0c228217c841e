"""The delivery worker: drains the outbox at the platforms' limits, retries, survives crashes."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable, Mapping

from bot.core.clock import Clock
from bot.core.config import DeliveryConfig
from bot.core.delivery import Sender
from scheduler.attempts import Renderer, RowSender
from scheduler.pacing import SendBudget
from scheduler.parking import Parking
from scheduler.ratelimit import Chat, ChatPacer
from scheduler.recorder import OutcomeRecorder
from scheduler.supply import POLL_SECONDS, RowSupply
from storage.db import Database
from storage.outbox import OutboxMessage, OutboxRepo, Outcome

logger = logging.getLogger(__name__)

# Telegram's ceiling when paid broadcasts are allowed.
PAID_BROADCAST_PER_SECOND = 1000.0
# Rows claimed ahead of a free slot at least (see `__init__`).
CLAIM_RESERVE = 64

UnreachableCallback = Callable[[OutboxMessage], Awaitable[None]]


def budget_for(config: DeliveryConfig, clock: Clock) -> SendBudget:
    """The Telegram sending budget the `[delivery]` section describes."""
    limit = PAID_BROADCAST_PER_SECOND if config.allow_paid_broadcast else config.overall_per_second
    return SendBudget(
        clock,
        limit,
        chat_interval=config.private_chat_interval,
        group_per_minute=config.group_per_minute,
    )


class DeliveryWorker:
    """Sends due outbox rows through the channel senders, paced, with retries and batching."""

    def __init__(
        self,
        db: Database,
        senders: Mapping[str, Sender],
        clock: Clock,
        config: DeliveryConfig,
        *,
        on_unreachable: UnreachableCallback | None = None,
        batch_size: int = 500,
        render: Renderer | None = None,
        budgets: Mapping[str, SendBudget] | None = None,
    ) -> None:
        self.outbox = OutboxRepo(db)
        self.senders = dict(senders)
        self.clock = clock
        self.config = config
        self.on_unreachable = on_unreachable
        self.batch_size = max(1, batch_size)
        # Dispatcher iterations, for tests and benchmarks that check the loop does not spin.
        self.steps = 0
        # One sending budget per channel (bot account), shared with the direct answers.
        self.budgets = dict(budgets or {})
        for channel in self.senders:
            if channel not in self.budgets:
                self.budgets[channel] = budget_for(config, clock)
        for budget in self.budgets.values():
            budget.listeners.append(self._kick)
        limit = max(b.limit for b in self.budgets.values()) if self.budgets else 1.0
        # Sends one row and maps what happened to an outcome; keeps the counts.
        self._rows = RowSender(self.senders, self.budgets, clock, config, render)
        # Claimed ahead of a free slot, so a finishing send is replaced without waiting for the
        # database. Under load one aiosqlite round trip waits for a whole busy loop iteration
        # (several ms, and on a loaded host with the outcomes being written far more), so the
        # reserve must outlast a claim and a fetch: 64 rows or twice the concurrency, but no
        # more than a second's worth at the overall rate (at 30/s a quarter second's worth
        # left the budget idle while a claim waited). Topped up when half used.
        reserve = max(CLAIM_RESERVE, 2 * config.concurrency)
        self._supply = RowSupply(
            self.outbox,
            clock,
            list(self.senders),
            self._pacer_for,
            batch_size=self.batch_size,
            claim_ahead=max(1, min(reserve, math.ceil(limit))),
        )

        self._inflight = 0
        # Long-lived senders, one per concurrency slot. A task per send would cost about half
        # a millisecond more CPU each: httpcore/anyio set up per-task state on first use.
        self._lanes: list[asyncio.Task[None]] = []
        self._lane_queue: asyncio.Queue[tuple[Chat, OutboxMessage, int]] = asyncio.Queue()
        self._tasks: set[asyncio.Task[None]] = set()
        self._callbacks = 0
        self._recorder = OutcomeRecorder(
            self.outbox,
            clock,
            sending=lambda: self._inflight > 0,
            recorded=self._recorded,
            retry_seconds=POLL_SECONDS,
        )
        self._flusher: asyncio.Task[None] | None = None

        self._parking = Parking(clock)
        self._running = False
        self._stopping = False
        self._finished = asyncio.Event()

    # -- public API -----------------------------------------------------------------------------

    def wake(self) -> None:
        """New rows were queued: look at the database now rather than at the next poll."""
        self._supply.dirty = True
        self._kick()

    def kick(self) -> None:
        """Something outside changed what may be sent (a direct answer let a chat go)."""
        self._kick()

    async def stop(self) -> None:
        """Stop claiming rows, let in-flight sends finish and record their outcomes, then return."""
        self._stopping = True
        self._kick()
        self._notify()
        if self._running:
            await self._finished.wait()

    async def wait_idle(self) -> None:
        """Wait until no due row is waiting, nothing is in flight and every outcome is recorded."""
        await self._wait(
            lambda: self._quiet() and not self._supply.queues and not self._supply.claimed_count()
        )

    async def wait_quiet(self) -> None:
        """Wait until nothing can happen before the clock moves or `wake()` is called.

        Rows held back by pacing may still wait; nothing is in flight or unrecorded.
        """
        await self._wait(self._quiet)

    @property
    def in_flight(self) -> int:
        """Sends started and not yet answered."""
        return self._inflight

    @property
    def sent(self) -> int:
        """Rows sent since the worker was built."""
        return self._rows.sent

    @property
    def failed(self) -> int:
        """Rows given up on since the worker was built."""
        return self._rows.failed

    @property
    def retried(self) -> int:
        """Failed attempts put back for a retry since the worker was built."""
        return self._rows.retried

    async def run(self) -> None:
        """Deliver until `stop()`; first puts rows a crash left in 'sending' back in the queue."""
        if self._running:
            raise RuntimeError("delivery worker is already running")
        self._running = True
        self._finished.clear()
        try:
            recovered = await self.outbox.recover()
            if recovered:
                logger.warning("recovered %d outbox rows left in 'sending' by a crash", recovered)
            self._flusher = asyncio.create_task(self._recorder.run(), name="outbox-flusher")
            self._lanes = [
                asyncio.create_task(self._lane(), name=f"outbox-lane-{n}")
                for n in range(self.config.concurrency)
            ]
            await self._dispatch_loop()
            await self._supply.release()
            # Stopping: wait for the answers to the sends in flight (and their callbacks).
            await self._wait(lambda: self._inflight == 0 and not self._callbacks)
            self._recorder.close()
            await self._flusher
            logger.info(
                "delivery worker stopped: %d sent, %d failed, %d retried",
                self.sent,
                self.failed,
                self.retried,
            )
        finally:
            # On cancellation (not a clean stop) unanswered rows stay 'sending'; `recover()`
            # puts them back on the next start.
            if self._flusher is not None and not self._flusher.done():
                self._flusher.cancel()
            for task in [*self._lanes, *self._tasks]:
                task.cancel()
            self._running = False
            self._stopping = True
            self._finished.set()
            self._notify()

    # -- dispatching ----------------------------------------------------------------------------

    async def _dispatch_loop(self) -> None:
        while not self._stopping:
            try:
                await self._step()
            except Exception:
                # A database hiccup must not end deliveries; try again after a poll interval.
                logger.exception("delivery worker step failed")
                await self._parking.park(
                    self.clock.monotonic() + POLL_SECONDS, stopping=self._stopping
                )

    async def _step(self) -> None:
        self.steps += 1
        now = self.clock.monotonic()
        self._supply.queues.retry(now)
        self._launch(now)
        if now >= self._supply.fetch_at:
            self._supply.dirty = True
            if len(self._supply.queues) >= self._supply.low_water:
                # Enough rows in memory to skip this poll: the next one is a poll interval
                # away. Left in the past, the deadline would make `_park` return at once and
                # the loop spin at a full core while pacing holds the rows back.
                self._supply.fetch_at = now + POLL_SECONDS
        if self._supply.dirty and len(self._supply.queues) < self._supply.low_water:
            await self._supply.fetch()
            if self._stopping:
                return
            now = self.clock.monotonic()
        picked = self._supply.queues.pick(now, self._supply.claim_room())
        if picked:
            await self._supply.claim(picked)
            self._launch(self.clock.monotonic())
            return
        await self._parking.park(
            min(self._wake_at(now), self._supply.fetch_at), stopping=self._stopping
        )

    def _launch(self, now: float) -> None:
        """Start sends from the claimed rows, as slots and each channel's budget allow."""
        if self._stopping:
            return
        for channel, claimed in self._supply.claimed.items():
            free = self.config.concurrency - self._inflight
            if not claimed or free <= 0:
                continue
            budget = self.budgets[channel]
            count = min(len(claimed), free, budget.available(now))
            if count <= 0:
                continue
            # Counted as started now: the lanes pick them up in this loop iteration.
            budget.take(count, now)
            for _ in range(count):
                self._inflight += 1
                # Never blocks: no more rows are queued than there are idle lanes.
                self._lane_queue.put_nowait(claimed.popleft())

    def _wake_at(self, now: float) -> float:
        """When the dispatcher has something to do again, short of a kick."""
        wake_at = math.inf
        if self._inflight < self.config.concurrency:
            # With every slot taken, a finishing send kicks the loop.
            for channel, claimed in self._supply.claimed.items():
                if claimed:
                    wake_at = min(wake_at, self.budgets[channel].next_at(now))
        if self._supply.claim_room():
            wake_at = min(wake_at, self._supply.queues.next_ready_at())
        return wake_at

    def _pacer_for(self, channel: str, chat_id: str) -> ChatPacer:
        budget = self.budgets.get(channel)
        if budget is None:
            # Rows of a channel without a sender are never fetched; only for completeness.
            budget = self.budgets[channel] = budget_for(self.config, self.clock)
        return budget.pacer(chat_id)

    # -- sending --------------------------------------------------------------------------------

    async def _lane(self) -> None:
        while True:
            chat, msg, attempts = await self._lane_queue.get()
            await self._deliver(chat, msg, attempts)

    async def _deliver(self, chat: Chat, msg: OutboxMessage, attempts: int) -> None:
        outcome: Outcome | None = None
        unreachable = False
        try:
            outcome, unreachable = await self._rows.attempt(msg, attempts)
        finally:
            # Runs on cancellation too, so the bookkeeping never leaks a slot.
            now = self.clock.monotonic()
            # The row's first request came back (or none was made): its slot starts to age.
            self.budgets[msg.channel].finished(now)
            self._supply.queues.finished(chat, now)
            self._inflight -= 1
            if outcome is not None:
                self._recorder.add(outcome)
            self._launch(now)
            self._kick()
            self._notify()
        if unreachable and self.on_unreachable is not None:
            # In its own task, so a slow callback does not hold a sending lane.
            self._callbacks += 1
            task = asyncio.create_task(self._report_unreachable(self.on_unreachable, msg))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _report_unreachable(self, callback: UnreachableCallback, msg: OutboxMessage) -> None:
        try:
            await callback(msg)
        except Exception:
            logger.exception("on_unreachable failed for outbox row %s", msg.id)
        finally:
            self._callbacks -= 1
            self._notify()

    # -- waiting --------------------------------------------------------------------------------

    def _kick(self) -> None:
        self._parking.kick()

    def _recorded(self) -> None:
        # Recorded rows may have freed a chat's place in the queue or be due again.
        self._supply.dirty = True
        self._kick()

    def _quiet(self) -> bool:
        if not self._running:
            return self._stopping
        return (
            self._parking.parked
            and self._inflight == 0
            and not self._recorder.outcomes
            and not self._recorder.writing
            and not self._callbacks
        )

    async def _wait(self, predicate: Callable[[], bool]) -> None:
        await self._parking.wait(predicate)

    def _notify(self) -> None:
        self._parking.notify()
