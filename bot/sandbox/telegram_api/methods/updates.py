"""Bot API methods that deliver updates: getUpdates (long polling) and the webhook."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import aiohttp

from bot.sandbox.telegram_api.common import (
    JSON,
    ApiError,
)
from bot.sandbox.telegram_api.state import FakeState

log = logging.getLogger(__name__)


class UpdateMethods(FakeState):
    """getUpdates, setWebhook, deleteWebhook, getWebhookInfo, and webhook delivery."""

    async def _get_updates(self, params: dict[str, Any]) -> list[JSON]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active;"
                " use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        limit = min(100, max(1, int(params.get("limit") or 100)))
        timeout = max(0.0, float(params.get("timeout") or 0))
        if isinstance(params.get("allowed_updates"), list):
            # Telegram remembers allowed_updates until the next call that sets it.
            self._allowed_updates = list(params["allowed_updates"]) or None
        if isinstance(offset, int):
            if offset < 0:
                self._updates = self._updates[offset:]
            else:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
        # A newer getUpdates ends the one still waiting, with 409 as on Telegram.
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_updates()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._updates_event
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request;"
                    " make sure that only one bot instance is running",
                )
            if self._allowed_updates is not None:
                allowed = set(self._allowed_updates)
                self._updates = [u for u in self._updates if allowed & u.keys()]
            if self._updates or self._closing or self.webhook_url:
                return self._updates[:limit]
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = str(params["url"])
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if not url:
            return await self._delete_webhook({})
        self.webhook_url = url
        self.webhook_secret = params.get("secret_token")
        self._webhook_info = {
            "max_connections": int(params.get("max_connections") or 40),
        }
        if isinstance(params.get("allowed_updates"), list):
            self._webhook_info["allowed_updates"] = params["allowed_updates"]
        self._wake_updates()
        if self._webhook_task is None or self._webhook_task.done():
            self._webhook_task = asyncio.create_task(self._deliver_webhook())
        return True

    async def _delete_webhook(self, params: dict[str, Any]) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook_url = ""
        self.webhook_secret = None
        self._webhook_info = {}
        self._wake_updates()
        return True

    async def _get_webhook_info(self, params: dict[str, Any]) -> JSON:
        info: JSON = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook_url:
            info.update(self._webhook_info)
        return info

    async def _deliver_webhook(self) -> None:
        backoff = 0.1
        while self.webhook_url and not self._closing:
            event = self._updates_event
            if not self._updates:
                await event.wait()
                continue
            update = self._updates[0]
            headers: dict[str, str] = {}
            if self.webhook_secret:
                headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook_secret
            status = 0
            error = ""
            try:
                assert self._session is not None
                async with self._session.post(
                    self.webhook_url,
                    json=update,
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=30),
                ) as resp:
                    status = resp.status
                    await resp.read()
            except (aiohttp.ClientError, TimeoutError) as exc:
                error = f"Connection failed: {exc}"
            if 200 <= status < 300:
                if self._updates and self._updates[0] is update:
                    self._updates.pop(0)
                backoff = 0.1
                continue
            self._webhook_info["last_error_date"] = self._now()
            self._webhook_info["last_error_message"] = (
                error or f"Wrong response from the webhook: {status}"
            )
            log.warning(
                "webhook delivery of update %s failed: %s", update["update_id"], status or error
            )
            # Telegram retries with growing pauses; so does the fake, at test-friendly scale.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), backoff)
            backoff = min(2.0, backoff * 2)
