"""The Zalo channel: long polling or a webhook in, numbered text out, choices kept in the database."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import json
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from aiohttp import web

from bot.channels.intake import Intake
from bot.channels.zalo import (
    SECRET_HEADER,
    TEXT_EVENT,
    ZaloClient,
    ZaloError,
    ZaloSent,
    ZaloUpdate,
    choice_number,
    flat_options,
    map_error,
    render_text,
    to_incoming,
)
from bot.channels.zalo_turn import ambiguous_text, match_choice, number_turn, with_zalo_wording
from bot.core import texts
from bot.core.clock import Clock
from bot.core.config import Config
from bot.core.delivery import DeliveryError, Transient
from bot.core.textnorm import fold
from bot.core.types import Incoming, Option, Reply, single_column
from scheduler.answers import AnswerChat, AnswerLane, GaveUp, Request, RowGate
from scheduler.pacing import SendBudget
from storage.channels import ChoiceRepo
from storage.db import Database
from storage.inbox import InboxRow

logger = logging.getLogger(__name__)

Dispatch = Callable[[Incoming], Awaitable[list[Reply]]]
T = TypeVar("T")

# Choices the outbox offered stay answerable this long, numbered on by later outbox messages
# (a reminder, then a check-in prompt: "1", "2", then "3" to "6"), up to this many.
CHOICES_KEPT = timedelta(days=3)
CHOICES_KEPT_MAX = 30
# Bulletin files and meeting documents are stored under their SHA-256; only such names are
# ever served.
_FILE_NAME = re.compile(r"^[0-9a-f]{64}\.(pdf|docx)$")
_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_BACKOFF_MAX = 30.0


def file_url(public_base: str, reply: Reply) -> str | None:
    """The public link to a reply's file: its own URL, or the bulletin file under the base URL."""
    doc = reply.document or reply.photo
    if doc is None:
        return None
    if doc.url:
        return doc.url
    key = str(reply.extra.get("file_key") or "")
    if public_base and re.fullmatch(r"[0-9a-f]{64}", key):
        return f"{public_base.rstrip('/')}/{key}.pdf"
    return None


class ZaloSender:
    """Renders `Reply` as Zalo text and sends it, mapping Zalo's errors to the channel kinds."""

    channel = "zalo"

    def __init__(
        self, client: ZaloClient, choices: ChoiceRepo, clock: Clock, config: Config
    ) -> None:
        self.client = client
        self.choices = choices
        self.clock = clock
        self.public_base = config.zalo.files_public_url
        # The Zalo account's one sending budget, with Zalo's own limits: the delivery worker
        # and the direct answers (the lane) share it.
        self.budget = SendBudget(
            clock, config.zalo.overall_per_second, chat_interval=config.zalo.private_chat_interval
        )
        self.lane = AnswerLane(
            self.budget,
            clock,
            max_attempts=config.delivery.max_attempts,
            backoff_base=config.delivery.backoff_base,
        )

    async def post(
        self, chat_id: str, reply: Reply, start: int = 1, answer: AnswerChat | None = None
    ) -> str:
        """Send without touching the stored choices, numbering them from `start`; returns the
        last message id.

        From the outbox (no `answer`) the worker paced the first message and later parts wait
        their turn; a direct answer goes through the lane: paced, retried, in order.
        """
        reply = with_zalo_wording(reply)
        if answer is not None:
            held = answer

            async def gate(request: Request) -> Any:
                return await held.send(request)

        else:
            gate = RowGate(self.budget, chat_id)
        photo = reply.photo
        if photo is not None and photo.url and reply.document is None:
            url = photo.url
            sent: ZaloSent = await gate(
                functools.partial(_kinds, self.client.send_photo, chat_id, url, reply.text[:2000])
            )
            return sent.message_id
        message_id = ""
        for part in render_text(reply, file_url(self.public_base, reply), start):
            sent = await gate(functools.partial(_kinds, self.client.send_message, chat_id, part))
            message_id = sent.message_id
        return message_id

    async def send(self, chat_id: str, reply: Reply) -> str:
        """The outbox's entry point: a message with choices adds them to the chat's current
        ones, numbered after those (see zalo_turn), so an earlier message's numbers still hold."""
        if not reply.options:
            return await self.post(chat_id, reply)
        since = self.clock.now() - CHOICES_KEPT
        kept = [
            Option(label, payload)
            for label, payload in await self.choices.offered_since("zalo", chat_id, since)
        ]
        offered = flat_options(reply)
        if len(kept) + len(offered) > CHOICES_KEPT_MAX:
            kept = []
        [(_, start)] = number_turn([reply], len(kept))
        message_id = await self.post(chat_id, reply, start)
        await self.remember(chat_id, kept + offered)
        return message_id

    async def remember(self, chat_id: str, options: list[Option]) -> None:
        """Keep the numbered choices shown in a chat, so a typed number maps back to one."""
        pairs = [(o.label, o.payload) for o in options]
        await self.choices.put("zalo", chat_id, pairs, self.clock.now())


class ZaloChannel:
    """Receives Zalo events (polling or webhook), dispatches them and answers in numbered text."""

    def __init__(self, config: Config, db: Database, clock: Clock, dispatch: Dispatch) -> None:
        self.config = config
        self.zc = config.zalo
        self.dispatch = dispatch
        self.db = db
        self.clock = clock
        self.client = ZaloClient(self.zc.token, self.zc.base_url, timeout=30.0)
        self.choices = ChoiceRepo(db)
        self.sender = ZaloSender(self.client, self.choices, clock, config)
        self.files_dir: Path | None = None
        self._poll_task: asyncio.Task[None] | None = None
        self._runners: list[web.AppRunner] = []
        self._secret = ""
        self._stopping = False
        # Every event is stored before it is handled; one task handles them in arrival order.
        # Polling takes the next event once the last is handled: getUpdates hands an event over
        # for good (no offset), so none should wait in a long poll that a stop abandons.
        self.intake = Intake(db, "zalo", clock, backlog=1)
        self._feeder: asyncio.Task[None] | None = None
        self._handling = asyncio.Lock()

    # -- incoming --------------------------------------------------------------------------------

    async def receive(self, update: ZaloUpdate) -> None:
        """Store an event durably (once, whatever Zalo redelivers); the feeder handles it."""
        body = json.dumps(
            {"event_name": update.event_name, "message": update.message}, ensure_ascii=False
        )
        key = str(update.message.get("message_id") or "")
        if not key:
            key = "sha256:" + hashlib.sha256(body.encode()).hexdigest()
        chat = update.message.get("chat")
        chat_id = str(chat.get("id") or "") if isinstance(chat, dict) else ""
        await self.intake.store(key, chat_id, body)

    async def _handle_row(self, row: InboxRow) -> None:
        async with self._handling:
            try:
                data = json.loads(row.body)
                update = ZaloUpdate(str(data["event_name"]), dict(data["message"]))
                await self.handle(update)
            finally:
                await self.intake.done(row.update_key)

    async def handle(self, update: ZaloUpdate) -> None:
        """One event in, the answers out; never raises for a failed answer (logs instead)."""
        incoming = to_incoming(update)
        if incoming is None:
            logger.info("zalo %s without a sender or chat: ignored", update.event_name or "event")
            return
        try:
            replies = await self.answer(incoming, update.event_name)
            await self.reply(incoming.chat_id, replies, f"message {incoming.message_id}")
        except GaveUp:
            pass  # logged with ids by the answer lane
        except DeliveryError as exc:
            logger.warning("zalo reply to chat failed: %s", exc)
        except Exception:
            # A broken event must not stop the ones after it; it is marked handled and logged.
            logger.exception("zalo event in chat failed")

    async def answer(self, msg: Incoming, event_name: str) -> list[Reply]:
        """Map numbers, choice labels and typed command words, then run the dispatcher."""
        current = [
            Option(label, payload) for label, payload in await self.choices.get("zalo", msg.chat_id)
        ]
        options = single_column(*current)
        if event_name != TEXT_EVENT:
            return [Reply(texts.ZALO_NOT_TEXT, options=options)]
        if not msg.text:
            return [Reply(texts.ZALO_EMPTY_INPUT, options=options)]
        number = choice_number(msg.text)
        if number is not None and current:
            if not 1 <= number <= len(current):
                return [
                    Reply(texts.ZALO_NUMBER_OUT_OF_RANGE.format(number=number), options=options)
                ]
            return await self.dispatch(_pick(msg, current[number - 1]))
        found = match_choice(msg.text, current)
        if len(found) == 1:
            return await self.dispatch(_pick(msg, current[found[0]]))
        if found:
            return [Reply(ambiguous_text(msg.text, current, found), options=options)]
        # Anything else is the dispatcher's, with the choices still open: typed words such as
        # «đã đọc» are its WORDS, and it answers text it cannot place with these choices.
        return await self.dispatch(replace(_as_command(msg), offered=tuple(current)))

    async def reply(self, chat_id: str, replies: list[Reply], ref: str = "answer") -> None:
        """Answer directly: every choice of the turn, numbered across the turn (zalo_turn),
        becomes the chat's current ones. Paced, retried and in order through the answer lane."""
        offered: list[Option] = []
        async with self.sender.lane.chat(chat_id, ref) as answer:
            for reply, start in number_turn(replies):
                await self.sender.post(chat_id, reply, start, answer)
                offered += flat_options(reply)
        await self.sender.remember(chat_id, offered)

    # -- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Check the token, then take events by webhook or long polling; serve files if asked."""
        try:
            me = await self.client.get_me()
        except ZaloError as exc:
            raise map_error(exc) from exc
        logger.info("zalo bot %s ready (%s mode)", me.account_name or me.id, self.zc.mode)
        # What a previous run stored but did not handle goes first.
        await self.intake.open()
        self._feeder = asyncio.create_task(self.intake.feed(self._handle_row), name="zalo-inbox")
        if self.zc.mode == "webhook":
            self._secret = self.zc.webhook_secret or secrets.token_urlsafe(32)
            path = urlsplit(self.zc.webhook_url).path or "/"
            app = web.Application()
            app.router.add_post(path, self._on_webhook)
            await self._serve(app, self.zc.webhook_listen, self.zc.webhook_port)
            await self.client.set_webhook(self.zc.webhook_url, self._secret)
        else:
            # getUpdates does not work while a webhook is set.
            await self.client.delete_webhook()
            self._poll_task = asyncio.create_task(self._poll(), name="zalo-poll")
        if self.zc.files_port and self.files_dir is not None:
            app = web.Application()
            prefix = urlsplit(self.zc.files_public_url).path.rstrip("/")
            app.router.add_get(prefix + "/{name}", self._on_file)
            await self._serve(app, self.zc.files_listen, self.zc.files_port)

    async def stop(self) -> None:
        """Stop taking events, let the one being handled finish, close the servers."""
        self._stopping = True
        for runner in self._runners:
            await runner.cleanup()
        self._runners.clear()
        if self._poll_task is not None:
            self._poll_task.cancel()
            await asyncio.gather(self._poll_task, return_exceptions=True)
        if self._feeder is not None:
            # The event being handled finishes; stored ones wait for the next start.
            async with self._handling:
                self._feeder.cancel()
            await asyncio.gather(self._feeder, return_exceptions=True)
        await self.client.close()

    async def _serve(self, app: web.Application, host: str, port: int) -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._runners.append(runner)

    async def _poll(self) -> None:
        delay = 1.0
        while not self._stopping:
            await self.intake.wait_room()
            try:
                update = await self.client.get_updates(self.zc.poll_timeout)
            except (ZaloError, Transient) as exc:
                logger.warning("zalo getUpdates failed: %s; retrying in %.0f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, _BACKOFF_MAX)
                continue
            delay = 1.0
            if update is not None:
                await self.receive(update)

    async def _on_webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._secret.encode()):
            # Anything without our secret is not Zalo: refuse it and do nothing else.
            return web.json_response({"ok": False, "description": "forbidden"}, status=403)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"ok": False, "description": "bad json"}, status=400)
        result = body.get("result", body) if isinstance(body, dict) else None
        update = ZaloUpdate.parse(result)
        if update is not None:
            # Answered only once stored: a crash before that makes Zalo deliver it again.
            await self.receive(update)
        return web.json_response({"ok": True})

    async def _on_file(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        assert self.files_dir is not None
        path = self.files_dir / name
        found = _FILE_NAME.match(name)
        if not found or not path.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(path, headers={"Content-Type": _CONTENT_TYPES[found.group(1)]})


async def _kinds(call: Callable[..., Awaitable[T]], *args: Any) -> T:
    """One Zalo request with its error answer mapped to the kind the caller acts on."""
    try:
        return await call(*args)
    except ZaloError as exc:
        raise map_error(exc) from exc


def _pick(msg: Incoming, option: Option) -> Incoming:
    """The chosen option, as if its button had been pressed."""
    return Incoming(
        channel=msg.channel,
        chat_id=msg.chat_id,
        user_id=msg.user_id,
        payload=option.payload,
        is_private=msg.is_private,
        message_id=None,
        display_name=msg.display_name,
    )


def _as_command(msg: Incoming) -> Incoming:
    """ "lịch họp", "lich hop", "Hướng dẫn" typed as words become the command they name."""
    if msg.text.startswith("/"):
        return msg
    # Imported here: the route table imports the handlers, which must not import adapters.
    from handlers import COMMANDS

    key = fold(msg.text).replace(" ", "")
    if any(key in (c.name, *c.aliases) for c in COMMANDS):
        return Incoming(
            channel=msg.channel,
            chat_id=msg.chat_id,
            user_id=msg.user_id,
            text="/" + key,
            is_private=msg.is_private,
            message_id=msg.message_id,
            display_name=msg.display_name,
        )
    return msg
