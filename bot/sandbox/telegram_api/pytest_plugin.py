"""The fake Bot API as a pytest plugin, the way errbot ships its test backend.

A test suite loads it with ``pytest_plugins = ["bot.sandbox.telegram_api.pytest_plugin"]`` and
gets the ``fake`` fixture: a FakeTelegram serving on 127.0.0.1, stopped after the test, which
fails the test if the bot broke any rule of the Bot API on the way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.sandbox.telegram_api.fake import FakeTelegram


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """A started fake Bot API; after the test, no request may have broken the API's rules."""
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()
    assert server.violations == [], server.violations
