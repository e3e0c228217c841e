"""/datlich «Nội dung và tài liệu»: the secretary types the meeting's agenda (several items) and
attaches PDF or DOCX documents; members get them ahead, and once more after each change."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

from bot.core import texts
from bot.core.delivery import DeliveryError
from bot.core.types import Incoming, Option, Reply, single_column
from handlers import bulletin, papers
from handlers import bulletin_common as bc
from handlers import meeting_common as mc
from handlers.buttons import Action, ButtonHandler, Buttons, Press
from handlers.context import Ctx, Who
from storage.conversations import Conversation
from storage.meetings import Meeting
from storage.minutes import MeetingDocument

logger = logging.getLogger(__name__)

KIND = "papers"
AGENDA_MAX = 2000


async def checked_meeting(ctx: Ctx, who: Who, meeting_id: int) -> Meeting | Reply:
    """The meeting, if the sender leads its cell and it has not started or been cancelled."""
    return await mc.led_meeting_ahead(ctx, who, meeting_id, texts.PAPERS_TOO_LATE)


async def panel(ctx: Ctx, meeting: Meeting, *, edit: bool = False, note: str = "") -> Reply:
    """The agenda and documents of the meeting, with what the secretary can do."""
    unit = await ctx.units.get(meeting.unit_id)
    docs = await ctx.papers.documents(meeting.id)
    sent = (await ctx.papers.papers(meeting.id)).sent_version > 0
    text = texts.PAPERS_MENU.format(
        block=mc.block(ctx, replace(meeting, agenda=""), unit.name if unit else ""),
        agenda=papers.agenda_text(meeting.agenda),
        documents="\n".join(f"{i}. {d.file_name}" for i, d in enumerate(docs, 1))
        or texts.PAPERS_NO_DOCUMENTS,
        status=texts.PAPERS_SENT
        if sent
        else texts.PAPERS_NOT_SENT.format(days=ctx.config.meetings.documents_days_before),
    )
    options = single_column(
        Option(texts.PAPERS_EDIT_AGENDA, BUTTONS.payload("a", meeting.id)),
        Option(texts.PAPERS_ADD_DOCUMENT, BUTTONS.payload("d", meeting.id)),
        Option(texts.PAPERS_DONE, BUTTONS.payload("x", meeting.id)),
    )
    return Reply((note + "\n\n" if note else "") + text, options=options, edit=edit)


async def _open(msg: Incoming, ctx: Ctx, meeting: Meeting) -> list[Reply]:
    return [await panel(ctx, meeting, edit=True)]


async def _ask_agenda(msg: Incoming, ctx: Ctx, meeting: Meeting) -> list[Reply]:
    await _converse(msg, ctx, "agenda", meeting.id)
    return [Reply(texts.PAPERS_ASK_AGENDA.format(limit=AGENDA_MAX))]


async def _ask_document(msg: Incoming, ctx: Ctx, meeting: Meeting) -> list[Reply]:
    if msg.channel == "zalo":
        return [Reply(texts.PAPERS_NOT_ON_ZALO)]
    await _converse(msg, ctx, "document", meeting.id)
    return [Reply(texts.PAPERS_ASK_DOCUMENT.format(limit=bc.CHAT_MAX_BYTES // bc.MB))]


async def _close(msg: Incoming, ctx: Ctx, meeting: Meeting) -> list[Reply]:
    await ctx.conversations.clear(msg.channel, msg.user_id)
    return [Reply(texts.PAPERS_CLOSED, edit=True)]


def _on_meeting(fn: Callable[[Incoming, Ctx, Meeting], Awaitable[list[Reply]]]) -> ButtonHandler:
    """`fn` on the meeting the payload names, checked (`checked_meeting`)."""

    async def run(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
        checked = await checked_meeting(ctx, who, press.num(0))
        if isinstance(checked, Reply):
            return [checked]
        return await fn(msg, ctx, checked)

    return run


# ag:<action>:<meeting>: open the panel, type the agenda, send a document, close.
BUTTONS = Buttons(
    "ag",
    {
        "o": Action(_on_meeting(_open), "i"),
        "a": Action(_on_meeting(_ask_agenda), "i"),
        "d": Action(_on_meeting(_ask_document), "i"),
        "x": Action(_on_meeting(_close), "i"),
    },
)


async def _converse(msg: Incoming, ctx: Ctx, step: str, meeting_id: int) -> None:
    conv = Conversation(KIND, step, {"meeting_id": meeting_id})
    await ctx.conversations.set(msg.channel, msg.user_id, conv, ctx.now())


async def on_file(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """A file outside any conversation: a cell leader who may not publish bulletins is shown
    where meeting documents go; anyone else's file is the bulletin's business."""
    kind = papers.document_kind(msg.file.file_name, msg.file.mime_type) if msg.file else None
    if kind is not None and who.led_unit_ids() and not bc.can_publish(who):
        return [Reply(texts.PAPERS_FILE_HINT)]
    return await bulletin.on_file(msg, ctx, who)


async def on_text(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """The agenda typed, or a document sent, while the conversation is open."""
    conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
    if conv is None or conv.kind != KIND:
        return [Reply(texts.STALE_BUTTON)]
    checked = await checked_meeting(ctx, who, int(conv.data["meeting_id"]))
    if isinstance(checked, Reply):
        await ctx.conversations.clear(msg.channel, msg.user_id)
        return [checked]
    if conv.step == "agenda":
        return await _set_agenda(msg, ctx, checked)
    return await _take_document(msg, ctx, who, checked)


async def _set_agenda(msg: Incoming, ctx: Ctx, meeting: Meeting) -> list[Reply]:
    if msg.file is not None:
        return [Reply(texts.PAPERS_AGENDA_NOT_FILE)]
    items = papers.agenda_items(msg.text)
    agenda = "\n".join(items)
    if not items:
        return [Reply(texts.PAPERS_EMPTY_AGENDA)]
    if len(agenda) > AGENDA_MAX:
        return [Reply(texts.TOO_LONG.format(limit=AGENDA_MAX))]
    updated = replace(meeting, agenda=agenda)
    build = await papers.builder(ctx, updated, updated=True)
    done = await ctx.papers.set_agenda(meeting, agenda, ctx.now(), build)
    await ctx.conversations.clear(msg.channel, msg.user_id)
    if done is None:
        return [Reply(texts.PAPERS_TOO_LATE)]
    return [await _after_change(ctx, updated, texts.PAPERS_AGENDA_SAVED, done[1])]


async def _after_change(ctx: Ctx, meeting: Meeting, note: str, queued: int) -> Reply:
    if queued:
        ctx.wake_outbox()
        recipients = len((await ctx.members.contacts([meeting.unit_id])).get(meeting.unit_id, []))
        note += texts.PAPERS_RESENT.format(count=recipients)
        logger.info("papers of meeting %s changed after sending: %d rows", meeting.id, queued)
    return await panel(ctx, meeting, note=note)


async def _take_document(msg: Incoming, ctx: Ctx, who: Who, meeting: Meeting) -> list[Reply]:
    file = msg.file
    if file is None:
        return [Reply(texts.PAPERS_NEED_FILE)]
    name = file.file_name or "tai-lieu"
    kind = papers.document_kind(file.file_name, file.mime_type)
    if kind is None:
        return [Reply(texts.PAPERS_BAD_TYPE.format(name=name))]
    if file.size is not None and file.size > bc.CHAT_MAX_BYTES:
        return [
            Reply(
                texts.PAPERS_TOO_BIG.format(
                    name=name,
                    size=bc.megabytes(file.size),
                    limit=bc.CHAT_MAX_BYTES // bc.MB,
                    cli_limit=bc.CLI_MAX_BYTES // bc.MB,
                )
            )
        ]
    if file.size == 0:
        return [Reply(texts.PAPERS_EMPTY_FILE.format(name=name))]
    if ctx.download_file is None:
        return [Reply(texts.PAPERS_DOWNLOAD_FAILED)]
    try:
        content = await ctx.download_file(msg.channel, file.file_id)
    except DeliveryError:
        logger.warning("could not download a meeting document for user %s", msg.user_id)
        return [Reply(texts.PAPERS_DOWNLOAD_FAILED)]
    if not content:
        return [Reply(texts.PAPERS_EMPTY_FILE.format(name=name))]
    if len(content) > bc.CHAT_MAX_BYTES or not papers.content_matches(kind, content):
        return [Reply(texts.PAPERS_BAD_TYPE.format(name=name))]
    return await attach(ctx, who, meeting, content, name, kind)


async def attach(
    ctx: Ctx, who: Who | None, meeting: Meeting, content: bytes, name: str, kind: str
) -> list[Reply]:
    """Store a checked document and attach it to the meeting (also used by the CLI)."""
    path, digest = await asyncio.to_thread(
        papers.store_document, content, papers.files_dir(ctx), kind
    )
    doc = MeetingDocument(0, meeting.id, name, str(path), digest, len(content), kind)
    by = who.member.id if who is not None and who.member is not None else None
    build = await papers.builder(ctx, meeting, updated=True)
    before = {d.sha256 for d in await ctx.papers.documents(meeting.id)}
    done = await ctx.papers.add_document(meeting, doc, by, ctx.now(), build)
    if done is None:
        return [Reply(texts.PAPERS_TOO_LATE)]
    if digest in before:
        return [await panel(ctx, meeting, note=texts.PAPERS_DUPLICATE.format(name=name))]
    size = bc.megabytes(len(content))
    note = texts.PAPERS_DOCUMENT_SAVED.format(name=name, size=size)
    return [await _after_change(ctx, meeting, note, done[1])]
