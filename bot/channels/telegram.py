"""Telegram adapter: a real PTB Application that converts updates to `Incoming` and renders `Reply`."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

# Opt in to PTB 22's coming behaviour (retry_after as a timedelta) and silence its warning.
os.environ.setdefault("PTB_TIMEDELTA", "1")

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatType, MessageLimit
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import BaseRequest, HTTPXRequest, RequestData

# The parameter type RequestData is made of, built here as `Bot` builds it (`from_input`);
# telegram.request does not export it. Covered by every test that answers a member.
from telegram.request._requestparameter import RequestParameter

from bot.channels.aiohttp_request import AiohttpRequest
from bot.channels.file_cache import UploadOnce
from bot.channels.intake import Intake
from bot.channels.per_chat import PerChatOrder
from bot.channels.telegram_inbox import InboxQueue, InboxRequest
from bot.core.config import Config
from bot.core.delivery import Rejected, RetryLater, Transient, Unreachable
from bot.core.textnorm import nfc
from bot.core.types import Attachment, Incoming, Reply, split_text
from scheduler.answers import AnswerChat, AnswerLane, Gate, GaveUp, Request, RowGate, direct
from scheduler.pacing import SendBudget

logger = logging.getLogger(__name__)

Dispatch = Callable[[Incoming], Awaitable[list[Reply]]]


def _seconds(retry_after: object) -> float:
    if isinstance(retry_after, int | float):
        return float(retry_after)
    return float(retry_after.total_seconds())  # type: ignore[attr-defined]


async def _kinds(request: Request) -> Any:
    """One request of a direct answer, with the errors worth retrying mapped to their kinds."""
    try:
        return await request()
    except RetryAfter as exc:
        raise RetryLater(_seconds(exc.retry_after)) from exc
    except BadRequest:
        raise  # a subclass of NetworkError, but never worth retrying
    except Forbidden:
        raise
    except (TimedOut, NetworkError) as exc:
        raise Transient(str(exc)) from exc


def _markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.options:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(o.label, callback_data=o.payload) for o in row]
            for row in reply.options
        ]
    )


def _keyboard(reply: Reply) -> dict[str, Any] | None:
    """The inline keyboard as the Bot API takes it (`_markup` without PTB's objects)."""
    if not reply.options:
        return None
    return {
        "inline_keyboard": [
            [{"text": o.label, "callback_data": o.payload} for o in row] for row in reply.options
        ]
    }


def to_incoming(update: Update) -> Incoming | None:
    """Convert a Telegram update to the channel-neutral form; None for updates we ignore."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None or user.is_bot:
        return None
    common = {
        "channel": "telegram",
        "chat_id": str(chat.id),
        "user_id": str(user.id),
        "is_private": chat.type == ChatType.PRIVATE,
        "display_name": nfc(user.full_name)[:64],
    }
    if update.callback_query is not None:
        query = update.callback_query
        message_id = str(query.message.message_id) if query.message is not None else None
        return Incoming(payload=nfc(query.data or "")[:64], message_id=message_id, **common)  # type: ignore[arg-type]
    message = update.effective_message
    if message is None:
        return None
    attachment = None
    if message.document is not None:
        doc = message.document
        attachment = Attachment(doc.file_id, nfc(doc.file_name), doc.mime_type, doc.file_size)
    text = nfc(message.text or message.caption or "")
    return Incoming(
        text=text,
        file=attachment,
        message_id=str(message.message_id),
        **common,  # type: ignore[arg-type]
    )


class TelegramSender:
    """Sends `Reply` objects through a PTB `Bot`, mapping its errors to the channel error kinds."""

    channel = "telegram"

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        budget: SendBudget | None = None,
    ) -> None:
        self.application = application
        # The bot's one sending budget (shared with the delivery worker); None: unpaced.
        self.budget = budget
        # A stored file goes up once per bot; every further copy is sent by its file_id.
        self.uploads = UploadOnce("telegram", application.bot.token.split(":", 1)[0])
        # Broadcast copies (reply.extra["broadcast"]) may use paid broadcasts when allowed.
        self.paid_broadcast = False
        # The Bot's own request object (build_telegram_application keeps it), for text
        # messages sent without PTB turning every answer into a `Message`.
        found = application.bot_data.get("request")
        self.request: BaseRequest | None = found if isinstance(found, BaseRequest) else None

    async def send(self, chat_id: str, reply: Reply) -> str:
        """Send (or edit) one message; platform errors become delivery errors."""
        # An outbox row may update an earlier message (a progress report) instead of posting.
        edit = reply.extra.get("edit_message_id")
        try:
            gate: Gate = RowGate(self.budget, chat_id) if self.budget is not None else direct
            message_id = await self._send(int(chat_id), reply, int(edit) if edit else None, gate)
        except RetryAfter as exc:
            raise RetryLater(_seconds(exc.retry_after)) from exc
        except Forbidden as exc:
            raise Unreachable(str(exc)) from exc
        except BadRequest as exc:
            if "chat not found" in str(exc).lower():
                raise Unreachable(str(exc)) from exc
            if edit and "not modified" in str(exc).lower():
                return str(edit)
            raise Rejected(str(exc)) from exc
        except (TimedOut, NetworkError) as exc:
            raise Transient(str(exc)) from exc
        except TelegramError as exc:
            raise Rejected(str(exc)) from exc
        return message_id

    async def _send(
        self,
        chat_id: int,
        reply: Reply,
        edit_message_id: int | None = None,
        gate: Gate = direct,
    ) -> str:
        """Every request goes through `gate`, which paces it (and retries a direct answer).
        Returns the id of the (last) message sent."""
        bot: Bot = self.application.bot
        file = reply.document or reply.photo
        if file is not None:
            markup = _markup(reply)
            source: str | Path = file.file_id or Path(file.path or "")
            caption = reply.text[: MessageLimit.CAPTION_LENGTH] or None
            if reply.document is not None:
                document = await self._send_document(chat_id, reply, caption, markup, gate)
                return str(document.message_id)
            photo: Message = await gate(
                lambda: bot.send_photo(chat_id, source, caption=caption, reply_markup=markup)
            )
            return str(photo.message_id)
        parts = split_text(reply.text, MessageLimit.MAX_TEXT_LENGTH)
        if edit_message_id is not None and len(parts) == 1:
            result = await gate(
                lambda: bot.edit_message_text(
                    parts[0],
                    chat_id=chat_id,
                    message_id=edit_message_id,
                    reply_markup=_markup(reply),
                )
            )
            if isinstance(result, Message):
                return str(result.message_id)
        keyboard = _keyboard(reply)
        sent = ""
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            sent = await gate(
                functools.partial(self._text, chat_id, part, keyboard if last else None)
            )
        return sent

    async def _text(self, chat_id: int, text: str, keyboard: dict[str, Any] | None) -> str:
        """One sendMessage; returns the message's id.

        Through the Bot's own request object when there is one: the same request, answer and
        errors (RetryAfter, Forbidden, BadRequest, ...) as `Bot.send_message`, without building
        PTB objects for the keyboard and a `Message` from the answer, which cost about as much
        CPU as the HTTP request itself (bench/README-inbound.md).
        """
        bot: Bot = self.application.bot
        if self.request is None:
            markup = InlineKeyboardMarkup.de_json(keyboard, bot) if keyboard else None
            message = await bot.send_message(chat_id, text, reply_markup=markup)
            return str(message.message_id)
        fields: dict[str, object] = {"chat_id": chat_id, "text": text}
        if keyboard is not None:
            fields["reply_markup"] = keyboard
        data = RequestData([RequestParameter.from_input(k, v) for k, v in fields.items()])
        result = await self.request.post(f"{bot.base_url}/sendMessage", data)
        if not isinstance(result, dict):
            raise TelegramError(f"sendMessage answered {type(result).__name__}")
        return str(result["message_id"])

    async def _send_document(
        self,
        chat_id: int,
        reply: Reply,
        caption: str | None,
        markup: InlineKeyboardMarkup | None,
        gate: Gate,
    ) -> Message:
        doc = reply.document
        assert doc is not None
        bot: Bot = self.application.bot
        paid = (
            {"allow_paid_broadcast": True}
            if self.paid_broadcast and reply.extra.get("broadcast")
            else {}
        )

        async def by(source: str | Path) -> Message:
            message: Message = await gate(
                lambda: bot.send_document(
                    chat_id,
                    source,
                    caption=caption,
                    filename=doc.file_name,
                    reply_markup=markup,
                    **paid,  # type: ignore[arg-type]
                )
            )
            return message

        if doc.file_id is not None or not doc.path:
            return await by(doc.file_id or Path(doc.path or ""))
        path = Path(doc.path)
        key = str(reply.extra.get("file_key") or path)

        async def upload() -> tuple[Message, str | None]:
            message = await by(path)
            return message, message.document.file_id if message.document else None

        async def by_id(file_id: str) -> Message:
            try:
                return await by(file_id)
            except BadRequest as exc:
                if "file" not in str(exc).lower():
                    raise
                # The id is no longer valid (another bot token, a purge): upload again.
                await self.uploads.forget(key)
                return await self.uploads.send(key, upload, by)

        return await self.uploads.send(key, upload, by_id)

    async def download(self, file_id: str) -> bytes:
        """A file a user sent (Telegram lets bots fetch up to 20 MB)."""
        try:
            file = await self.application.bot.get_file(file_id)
            return bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            raise Transient(str(exc)) from exc

    async def reply(
        self, incoming: Incoming, reply: Reply, answer: AnswerChat | None = None
    ) -> None:
        """Answer a user directly (not via the outbox): edits the pressed message when asked.

        With `answer` (the chat held in the answer lane) every request is paced by the bot's
        one budget and retried on 429, 5xx and network errors; `GaveUp` after the limit.
        """
        gate: Gate = direct
        if answer is not None:
            held = answer

            async def gate(request: Request) -> Any:
                return await held.send(lambda: _kinds(request))

        edit_id = (
            int(incoming.message_id)
            if reply.edit and incoming.payload and incoming.message_id
            else None
        )
        if reply.menu:
            await self.application.bot.set_my_commands(
                [BotCommand(c, d) for c, d in reply.menu],
                scope=BotCommandScopeChat(int(incoming.chat_id)),
            )
        try:
            await self._send(int(incoming.chat_id), reply, edit_id, gate)
        except BadRequest as exc:
            if edit_id is None or "not modified" in str(exc).lower():
                if edit_id is None:
                    raise
                return
            # The message may be too old to edit: send a fresh one instead.
            await self._send(int(incoming.chat_id), reply, None, gate)


def build_telegram_application(
    config: Config,
    dispatch: Dispatch,
    *,
    connection_pool_size: int | None = None,
    budget: SendBudget | None = None,
    lane: AnswerLane | None = None,
    intake: Intake | None = None,
) -> Application:  # type: ignore[type-arg]
    """The production PTB Application: every update goes through one callback into `dispatch`.

    `budget` is the bot's one sending budget (the delivery worker's too) and `lane` the answer
    lane on it; without them (benchmarks of the sender alone) nothing is paced. With an
    `intake`, updates pass through the inbox (stored before they are confirmed).
    """
    tg = config.telegram
    # The delivery worker sends many requests at once; PTB's default pool has one connection.
    # A few more than the worker's, so answers to members never wait behind a broadcast.
    pool = connection_pool_size or max(8, config.delivery.concurrency + 4)
    builder = ApplicationBuilder().token(tg.token).base_url(tg.base_url)
    builder = builder.base_file_url(tg.base_file_url)
    updates: BaseRequest
    if tg.http_client == "aiohttp":
        request: BaseRequest = AiohttpRequest(pool, pool_timeout=30.0, proxy=tg.proxy)
        updates = AiohttpRequest(2, proxy=tg.proxy)
    else:
        # As with aiohttp: a proxy from the config only, nothing from the environment.
        plain = {"proxy": tg.proxy or None, "httpx_kwargs": {"trust_env": False}}
        request = HTTPXRequest(pool, pool_timeout=30.0, **plain)  # type: ignore[arg-type]
        updates = HTTPXRequest(2, **plain)  # type: ignore[arg-type]
    builder = builder.request(request)
    inbox = InboxQueue(intake) if intake is not None else None
    if inbox is not None:
        builder = builder.update_queue(inbox)
        # Each getUpdates answer is stored, in one transaction, before PTB parses it.
        updates = InboxRequest(updates, inbox)
    builder = builder.get_updates_request(updates)
    # Updates of different chats side by side, one chat's in order: one member's answer
    # waiting for its chat's pacing (or a retry_after) holds no one else up.
    builder = builder.concurrent_updates(PerChatOrder())
    application = builder.build()
    application.bot_data["inbox"] = inbox
    application.bot_data["request"] = request
    sender = TelegramSender(application, budget)
    sender.paid_broadcast = config.delivery.allow_paid_broadcast

    async def on_update(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not isinstance(update, Update):
            return
        incoming = to_incoming(update)
        try:
            if incoming is not None:
                await handle(incoming, update.update_id)
        finally:
            if update.callback_query is not None:
                # Answered last, so the button's spinner stops once the answer is on screen.
                try:
                    await update.callback_query.answer()
                except TelegramError:
                    logger.warning("answerCallbackQuery failed for update %s", update.update_id)
            if inbox is not None:
                # Handled (or failed and logged by on_error): not handled again after a restart.
                await inbox.done(update)

    async def handle(incoming: Incoming, update_id: int) -> None:
        try:
            replies = await dispatch(incoming)
            if lane is None:
                for reply in replies:
                    await sender.reply(incoming, reply)
                return
            async with lane.chat(incoming.chat_id, f"update {update_id}") as answer:
                for reply in replies:
                    await sender.reply(incoming, reply, answer)
        except GaveUp:
            pass  # logged with ids by the lane; the rest of this answer would be out of order

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        logger.error("error while handling update %s", update_id, exc_info=context.error)

    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(on_error)
    application.bot_data["sender"] = sender
    return application


async def set_command_menu(application: Application, commands: list[tuple[str, str]]) -> None:  # type: ignore[type-arg]
    """Register the command menu shown next to the text box, with Vietnamese descriptions."""
    await application.bot.set_my_commands([BotCommand(c, d) for c, d in commands])
