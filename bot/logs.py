"""Logging to stderr in a form journald keeps, with secrets scrubbed from every line."""

from __future__ import annotations

import logging
import sys


class RedactSecrets(logging.Filter):
    """Replace the bot token (and other secrets) wherever they appear, e.g. in request URLs."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def scrub(self, text: str) -> str:
        """The text with every known secret replaced by "<redacted>"."""
        for secret in self.secrets:
            text = text.replace(secret, "<redacted>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Scrub the record's message and traceback in place; always keeps the record."""
        if not self.secrets:
            return True
        record.msg, record.args = self.scrub(record.getMessage()), None
        # A traceback quotes exception messages and request URLs too: the formatter prints
        # `exc_text` when it is set, so it is formatted and scrubbed here, once.
        if record.exc_info and not record.exc_text:
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self.scrub(record.stack_info)
        return True


_FORMATTER = logging.Formatter()


def setup_logging(level: str, secrets: list[str]) -> None:
    """Log lines to stderr without timestamps (journald adds them) and without secrets."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # httpx logs every request URL at INFO, and Telegram URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
