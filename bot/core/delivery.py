"""What every channel adapter offers the delivery worker, and the error kinds it maps to."""

from __future__ import annotations

from typing import Protocol

from bot.core.types import Reply


class DeliveryError(Exception):
    """Sending failed; the subclass says what to do about it."""


class RetryLater(DeliveryError):
    """The platform asked us to slow down (HTTP 429): retry after `retry_after` seconds."""

    def __init__(self, retry_after: float, message: str = "flood control") -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unreachable(DeliveryError):
    """The user blocked the bot or the chat is gone: do not retry."""


class Transient(DeliveryError):
    """Network error, timeout or 5xx: retry with backoff."""


class Rejected(DeliveryError):
    """The platform refused the request itself (a bug on our side): do not retry."""


class Sender(Protocol):
    """Sends one rendered reply to one chat; returns the platform's message id."""

    channel: str

    async def send(self, chat_id: str, reply: Reply) -> str:
        """Send the reply to the chat; returns the platform's message id."""
