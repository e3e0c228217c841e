"""Sending one claimed outbox row and mapping what happened to the outcome to record."""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from bot.core.clock import Clock
from bot.core.config import DeliveryConfig
from bot.core.delivery import Rejected, RetryLater, Sender, Transient, Unreachable
from bot.core.types import Reply
from scheduler.pacing import SendBudget
from storage.outbox import OutboxMessage, Outcome

logger = logging.getLogger(__name__)

# last_error is for an operator reading the table, not a log dump.
MAX_ERROR_LENGTH = 200

# Writes the reply of a row queued as a marker (`extra["render"]`), as things stand at sending
# time; None when there is nothing to say any more; a time when it must wait until then (a
# nudge that a long queue pushed into the night).
Renderer = Callable[[OutboxMessage], Awaitable[Reply | datetime | None]]


def _short(exc: BaseException) -> str:
    return str(exc)[:MAX_ERROR_LENGTH]


class RowSender:
    """Sends one claimed row through its channel's sender; counts what became of the rows."""

    def __init__(
        self,
        senders: Mapping[str, Sender],
        budgets: Mapping[str, SendBudget],
        clock: Clock,
        config: DeliveryConfig,
        render: Renderer | None,
    ) -> None:
        self.senders = senders
        # The worker's own mapping: a budget added there later is seen here.
        self.budgets = budgets
        self.clock = clock
        self.config = config
        self.render = render
        self.sent = 0
        self.failed = 0
        self.retried = 0
        self._rng = random.Random()

    async def attempt(self, msg: OutboxMessage, attempts: int) -> tuple[Outcome, bool]:
        """Send one claimed row; map the result to an outcome (and whether it was unreachable)."""
        sender = self.senders[msg.channel]
        reply = msg.reply
        try:
            if "render" in reply.extra:
                rendered = await self.render(msg) if self.render is not None else None
                if rendered is None:
                    logger.info("outbox row %s: nothing to send any more", msg.id)
                    return Outcome(msg.id, "cancelled", self.clock.now()), False
                if isinstance(rendered, datetime):
                    logger.info("outbox row %s: held until %s", msg.id, rendered.isoformat())
                    at = self.clock.now()
                    return Outcome(msg.id, "pending", at, next_attempt_at=rendered), False
                reply = rendered
            message_id = await sender.send(msg.chat_id, reply)
        except RetryLater as exc:
            now = self.clock.monotonic()
            # Not a pause of everything: the chat waits `retry_after`, the rest slows down a
            # step and recovers (scheduler/pacing.py).
            budget = self.budgets[msg.channel]
            budget.pacer(msg.chat_id).hold(now + exc.retry_after)
            budget.throttled(now)
            logger.warning(
                "flood control: row %s retried in %ss; rate now %.0f%%",
                msg.id,
                exc.retry_after,
                100 * budget.factor,
            )
            return self._retry(msg, attempts, exc.retry_after, "retry_after"), False
        except Unreachable:
            logger.info("outbox row %s: chat unreachable", msg.id)
            return self._fail(msg, "unreachable"), True
        except Rejected as exc:
            logger.error("outbox row %s rejected by %s: %s", msg.id, msg.channel, _short(exc))
            return self._fail(msg, f"rejected: {_short(exc)}"), False
        except Transient as exc:
            return self._backoff(msg, attempts, f"transient: {_short(exc)}"), False
        except Exception as exc:
            # A bug in an adapter must cost one retry, never the worker.
            logger.exception("unexpected error sending outbox row %s", msg.id)
            return self._backoff(msg, attempts, f"error: {type(exc).__name__}"), False
        self.sent += 1
        logger.debug("outbox row %s sent", msg.id)
        return Outcome(msg.id, "sent", self.clock.now(), message_id=message_id), False

    def _backoff(self, msg: OutboxMessage, attempts: int, error: str) -> Outcome:
        cfg = self.config
        delay = min(cfg.backoff_max, cfg.backoff_base * 2 ** (attempts - 1))
        # A little jitter, only upwards, so retries of one broadcast do not arrive in lockstep.
        delay *= 1.0 + 0.1 * self._rng.random()
        return self._retry(msg, attempts, delay, error)

    def _retry(self, msg: OutboxMessage, attempts: int, delay: float, error: str) -> Outcome:
        if attempts >= self.config.max_attempts:
            logger.warning("outbox row %s failed after %d attempts", msg.id, attempts)
            return self._fail(msg, error)
        self.retried += 1
        logger.info("outbox row %s: attempt %d failed, retry in %.1fs", msg.id, attempts, delay)
        now = self.clock.now()
        return Outcome(
            msg.id, "pending", now, next_attempt_at=now + timedelta(seconds=delay), error=error
        )

    def _fail(self, msg: OutboxMessage, error: str) -> Outcome:
        self.failed += 1
        return Outcome(msg.id, "failed", self.clock.now(), error=error)
