"""Zalo adapter: a thin httpx client for the Zalo Bot API and the conversion to and from core types.

Zalo has no buttons and no documents: choices become a numbered list ("Trả lời 1 hoặc 2"), files
become a link, and texts over 2,000 characters go out as numbered parts.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import httpx

from bot.core import texts
from bot.core.delivery import DeliveryError, Rejected, RetryLater, Transient, Unreachable
from bot.core.textnorm import nfc
from bot.core.types import Incoming, Option, Reply, split_text

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
MAX_TEXT = 2000
MAX_CAPTION = 2000
SECRET_HEADER = "X-Bot-Api-Secret-Token"
# getUpdates answers this code when nothing new arrived within the timeout.
NO_UPDATES = 408

# Events whose `message.text` is what the user typed; others carry media we answer politely.
TEXT_EVENT = "message.text.received"


class ZaloError(Exception):
    """An error answer from the Zalo Bot API (`ok: false`)."""

    def __init__(self, error_code: int, description: str, status: int = 0) -> None:
        super().__init__(f"{error_code}: {description}")
        self.error_code = error_code
        self.description = description
        # The HTTP status of the answer: what an undocumented `error_code` is judged by.
        self.status = status


@dataclass(frozen=True)
class ZaloBot:
    """getMe."""

    id: str
    account_name: str
    account_type: str = ""


@dataclass(frozen=True)
class ZaloSent:
    """sendMessage / sendPhoto: the message id and the time (Zalo gives milliseconds)."""

    message_id: str
    date_ms: int


@dataclass(frozen=True)
class ZaloWebhookInfo:
    """getWebhookInfo."""

    url: str
    updated_at: int = 0


@dataclass(frozen=True)
class ZaloUpdate:
    """One event from getUpdates or a webhook call."""

    event_name: str
    message: dict[str, Any]

    @classmethod
    def parse(cls, result: Any) -> ZaloUpdate | None:
        """Build from the `result` object; None when it has no message at all."""
        if not isinstance(result, dict):
            return None
        message = result.get("message")
        if not isinstance(message, dict):
            return None
        return cls(str(result.get("event_name") or ""), message)


# The error codes the Zalo Bot Platform is known to answer, by kind. Sources:
# - https://bot.zaloplatforms.com/docs (the official Bot API pages, "cập nhật 10/12/2025"):
#   every answer is `{"ok": false, "error_code", "description"}`, Telegram-shaped; getUpdates
#   answers 408 when nothing arrived in time. The pages publish no table of error codes.
# - The official SDKs are ports of python-telegram-bot / node-telegram-bot-api and keep Telegram's
#   meaning of the HTTP-like codes: 400 bad request, 401 bad token, 403 the user blocked the bot
#   or does not follow it ("User has blocked the OA or is not reachable"), 404 unknown chat or
#   method, 429 too many requests, 5xx the platform's own failure.
# - Community clients on bot-api.zaloplatforms.com (e.g. lamdt1/ckvn-bot) stop on 401 and treat
#   408 as "nothing new".
# Anything else is undocumented: logged with its code and judged by the HTTP status, else by
# its range, so an unknown 4xx is rejected once instead of retried forever.
BLOCKED = frozenset({403, 404})
DOCUMENTED = frozenset({400, 401, NO_UPDATES, 429, *BLOCKED})


def map_error(exc: ZaloError) -> DeliveryError:
    """Zalo's error answers mapped to the kinds the delivery worker acts on."""
    code = exc.error_code
    if code not in DOCUMENTED and not 500 <= code < 600:
        logger.warning("zalo answered an undocumented error code %s (HTTP %s)", code, exc.status)
        code = exc.status if exc.status in DOCUMENTED or exc.status >= 500 else code
    if code == 429:
        return RetryLater(1.0, exc.description)
    if code in BLOCKED:
        # The user blocked the bot, does not follow it, or the chat is unknown: no point
        # retrying; the member's other app, if any, gets the message instead.
        return Unreachable(str(exc))
    if code == NO_UPDATES or code >= 500:
        return Transient(str(exc))
    return Rejected(str(exc))


class ZaloClient:
    """The documented methods of the Zalo Bot API over one shared httpx client."""

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        http: httpx.AsyncClient | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._url = f"{base_url.rstrip('/')}/bot{token}/"
        self._http = http or httpx.AsyncClient(timeout=timeout)
        self._own_http = http is None

    async def close(self) -> None:
        """Close the HTTP client, if this client made it."""
        if self._own_http:
            await self._http.aclose()

    async def call(self, method: str, params: dict[str, Any], *, wait: float | None = None) -> Any:
        """POST one method; returns `result` or raises ZaloError / Transient."""
        try:
            response = await self._http.post(
                self._url + method,
                json=params,
                timeout=wait if wait is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.TimeoutException as exc:
            raise Transient(f"{method}: timeout") from exc
        except httpx.HTTPError as exc:
            # Never the URL: it holds the token.
            raise Transient(f"{method}: {type(exc).__name__}") from exc
        try:
            body = response.json()
        except ValueError as exc:
            raise Transient(f"{method}: HTTP {response.status_code}, not JSON") from exc
        if not isinstance(body, dict):
            raise Transient(f"{method}: unexpected answer")
        if not body.get("ok"):
            code = _int(body.get("error_code")) or response.status_code
            raise ZaloError(code, str(body.get("description") or ""), response.status_code)
        return body.get("result")

    async def get_me(self) -> ZaloBot:
        """The bot's own account."""
        result = await self.call("getMe", {})
        return ZaloBot(
            str(result.get("id", "")),
            str(result.get("account_name", "")),
            str(result.get("account_type", "")),
        )

    async def get_updates(self, wait: int = 30) -> ZaloUpdate | None:
        """One event, or None when nothing arrived within `wait` seconds (error 408)."""
        try:
            result = await self.call("getUpdates", {"timeout": str(wait)}, wait=wait + 10.0)
        except ZaloError as exc:
            if exc.error_code == NO_UPDATES:
                return None
            raise
        return ZaloUpdate.parse(result)

    async def set_webhook(self, url: str, secret_token: str) -> bool:
        """Ask Zalo to post updates to `url` with the secret token."""
        return bool(await self.call("setWebhook", {"url": url, "secret_token": secret_token}))

    async def delete_webhook(self) -> bool:
        """Stop webhook delivery (updates are then polled)."""
        return bool(await self.call("deleteWebhook", {}))

    async def get_webhook_info(self) -> ZaloWebhookInfo:
        """The webhook URL Zalo has, if any, and when it was set."""
        result = await self.call("getWebhookInfo", {}) or {}
        return ZaloWebhookInfo(str(result.get("url") or ""), int(result.get("updated_at") or 0))

    async def send_message(self, chat_id: str, text: str) -> ZaloSent:
        """Send a text message."""
        return _sent(await self.call("sendMessage", {"chat_id": chat_id, "text": text}))

    async def send_photo(self, chat_id: str, photo_url: str, caption: str = "") -> ZaloSent:
        """Send a photo by URL, with an optional caption."""
        params = {"chat_id": chat_id, "photo": photo_url}
        if caption:
            params["caption"] = caption
        return _sent(await self.call("sendPhoto", params))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> bool:
        """Show an action (typing) in the chat."""
        return bool(await self.call("sendChatAction", {"chat_id": chat_id, "action": action}))


def _int(value: Any) -> int:
    """An error code as given (number or numeric string); 0 when it is neither."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _sent(result: Any) -> ZaloSent:
    result = result if isinstance(result, dict) else {}
    return ZaloSent(str(result.get("message_id", "")), int(result.get("date") or 0))


# -- conversion ------------------------------------------------------------------------------

_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.)]?\s*$")


def to_incoming(update: ZaloUpdate) -> Incoming | None:
    """A Zalo event as `Incoming`; None when it names no sender or chat (nothing to answer)."""
    message = update.message
    sender = message.get("from")
    chat = message.get("chat")
    if not isinstance(chat, dict):
        return None
    private = str(chat.get("chat_type") or "PRIVATE").upper() == "PRIVATE"
    if not isinstance(sender, dict):
        # Events shaped like the documentation's samples may name only the chat: in a private
        # chat that is the person writing.
        if not private:
            return None
        sender = {"id": chat.get("id")}
    user_id = str(sender.get("id") or "")
    chat_id = str(chat.get("id") or "")
    if not user_id or not chat_id or sender.get("is_bot"):
        return None
    text = message.get("text") if update.event_name == TEXT_EVENT else None
    return Incoming(
        channel="zalo",
        chat_id=chat_id,
        user_id=user_id,
        text=nfc(text if isinstance(text, str) else "").strip(),
        is_private=private,
        message_id=str(message.get("message_id") or "") or None,
        display_name=nfc(str(sender.get("display_name") or sender.get("first_name") or ""))[:64],
    )


def choice_number(text: str) -> int | None:
    """ "2", " 2 ", "2." -> 2; anything else None."""
    match = _NUMBER.match(text)
    return int(match.group(1)) if match else None


def flat_options(reply: Reply) -> list[Option]:
    """The reply's buttons in reading order (Zalo shows them as one numbered list)."""
    return [option for row in reply.options for option in row]


def render_choices(options: list[Option], start: int = 1) -> str:
    """The numbered list and the "Trả lời 1 hoặc 2" line under a message, numbered from `start`
    (later lists of one answer turn continue the numbers of the earlier ones)."""
    lines = [
        texts.ZALO_CHOICE_LINE.format(number=i, label=o.label) for i, o in enumerate(options, start)
    ]
    lines.append(answer_hint(len(options), start))
    return "\n".join(lines)


def answer_hint(count: int, start: int = 1) -> str:
    """The line under a numbered list saying which numbers may be typed back."""
    last = start + count - 1
    if start != 1:
        if count == 1:
            return texts.ZALO_ANSWER_ONE_AT.format(number=start)
        if count == 2:
            return texts.ZALO_ANSWER_PAIR.format(first=start, last=last)
        return texts.ZALO_ANSWER_RANGE.format(first=start, last=last)
    if count == 1:
        return texts.ZALO_ANSWER_ONE
    if count == 2:
        return texts.ZALO_ANSWER_TWO
    return texts.ZALO_ANSWER_MANY.format(last=count)


def render_text(reply: Reply, file_url: str | None = None, start: int = 1) -> list[str]:
    """The whole reply as Zalo texts of at most 2,000 characters, numbered when split; its
    choices are numbered from `start`."""
    blocks = [reply.text] if reply.text else []
    if reply.document is not None or (reply.photo is not None and not reply.photo.url):
        blocks.append(
            texts.ZALO_FILE_LINK.format(url=file_url) if file_url else texts.ZALO_FILE_UNAVAILABLE
        )
    options = flat_options(reply)
    if options:
        blocks.append(render_choices(options, start))
    return number_parts("\n\n".join(blocks) or texts.ZALO_EMPTY, MAX_TEXT)


def number_parts(text: str, limit: int) -> list[str]:
    """Split at line breaks; each part gets "(1/3)" in front, still within `limit`."""
    if len(text) <= limit:
        return [text]
    # Room for the "(12/12) " prefix.
    parts = split_text(text, limit - 10)
    total = len(parts)
    return [texts.ZALO_PART.format(index=i, total=total, text=p) for i, p in enumerate(parts, 1)]
