"""The route table: commands, button payload prefixes and conversation steps -> handlers.

Order of checks in `Dispatcher.dispatch` matters and is commented there.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.core import texts
from bot.core.textnorm import fold
from bot.core.types import Incoming, Reply, single_column
from handlers import (
    agenda,
    attendance,
    bulletin,
    bulletin_common,
    bulletin_read,
    channel_pref,
    checkin,
    dues,
    invites,
    leave,
    meeting_change,
    meetings,
    minutes,
    notice,
    onboarding,
    overview,
    progress,
    reschedule,
    task_list,
    tasks,
    tongket,
    web,
)
from handlers import help as help_
from handlers.buttons import Buttons
from handlers.context import Ctx, Who
from storage.conversations import Conversation
from storage.outbox import OutboxMessage

logger = logging.getLogger(__name__)

Handler = Callable[[Incoming, Ctx, Who], Awaitable[list[Reply]]]

# Longest text we accept from a user at all; feature-specific limits are tighter.
MAX_INPUT = 4096

# Who may use a command: None = anyone linked; otherwise any of these roles.
SECRETARY = ("secretary", "deputy")
# Who may publish the bulletin, and who sees its read rates by unit.
PUBLISHER = ("propaganda", "admin")
READ_VIEW = ("secretary", "deputy", "committee", "propaganda")


@dataclass(frozen=True)
class Command:
    name: str
    handler: Handler
    roles: tuple[str, ...] | None = None
    aliases: tuple[str, ...] = ()
    # Shown in /huongdan and in the command menu.
    listed: bool = True


# Commands, in the order /huongdan lists them.
COMMANDS: tuple[Command, ...] = (
    Command("start", onboarding.on_start, listed=False),
    Command("huongdan", help_.on_help, aliases=("help", "trogiup")),
    Command("huy", onboarding.on_cancel),
    Command("kenh", channel_pref.on_kenh),
    Command("thongbao", notice.on_notice, roles=SECRETARY),
    Command("moi", invites.on_invites, roles=SECRETARY),
    Command("bantin", bulletin_read.on_bantin),
    Command("phathanh", bulletin.on_phathanh, roles=PUBLISHER),
    Command("docbantin", bulletin_read.on_docbantin, roles=READ_VIEW),
    Command("lichhop", meetings.on_lichhop),
    Command("datlich", reschedule.on_datlich, roles=SECRETARY),
    Command("diemdanh", attendance.on_diemdanh, roles=SECRETARY),
    # The meeting's paperwork: minutes and resolution drafts (.docx).
    Command("bienban", minutes.on_bienban, roles=SECRETARY),
    # The cell's overview: the meeting's, then the bulletin's reads.
    Command("chibo", overview.on_chibo, roles=SECRETARY),
    # Tasks: assigning (leaders), the list (everyone; leaders also see the cell's).
    Command("giaoviec", tasks.on_giaoviec, roles=SECRETARY),
    Command("nhiemvu", task_list.on_nhiemvu),
    Command("baocao", checkin.on_baocao),
    Command("tiendo", progress.on_tiendo, roles=SECRETARY),
    # Standing leave: excuses a member from the check-in rounds of a span of months.
    Command("nghiphep", leave.on_nghiphep, roles=SECRETARY),
    # The year's evidence as text, then the same figures as a chart image.
    Command("tongket", tongket.on_tongket, roles=(*SECRETARY, "committee")),
    # The dashboard: a one-time sign-in link for anyone with a role.
    Command("web", web.on_web, roles=web.ROLES),
    # Party dues: the cell's book for its secretary, deputy or treasurer; one's own otherwise.
    Command("dangphi", dues.on_dangphi),
)

# Button payloads are "<prefix>:<action>:<args>"; each prefix's table (action -> function, with
# its one payload builder and parser) is the feature's `Buttons`, and every action re-checks the
# payload against the database.
PAYLOADS: dict[str, Buttons] = {
    # Notices: the cell, then send or cancel the confirmed notice.
    "ntc": notice.BUTTONS,
    # /chibo and /tongket: the cell picked by someone leading several.
    "cb": overview.BUTTONS,
    "yv": tongket.BUTTONS,
    # Bulletin: publishing, "Đã đọc", fetching a past issue, reminding a cell.
    "bt": bulletin.BUTTONS,
    "bd": bulletin_common.READ_BUTTONS,
    "bg": bulletin_read.GET_BUTTONS,
    "br": bulletin_read.REMIND_BUTTONS,
    # Meetings: answering, /datlich, the attendance checklist.
    "mt": meetings.BUTTONS,
    "dl": reschedule.BUTTONS,
    "dd": attendance.BUTTONS,
    # /kenh: the app to be reached on.
    "kn": channel_pref.BUTTONS,
    # Tasks: assigning, the list, check-in answers, progress, standing leave.
    "tv": tasks.BUTTONS,
    "tk": task_list.BUTTONS,
    "ck": checkin.BUTTONS,
    "tt": progress.BUTTONS,
    "np": leave.BUTTONS,
    # The meeting's paperwork: agenda and documents ahead ("ag"), minutes and resolution ("bb").
    "ag": agenda.BUTTONS,
    "bb": minutes.BUTTONS,
    # Party dues: the book of a cell, one's own dues.
    "df": dues.BUTTONS,
}

# Free text (and files) while a conversation of this kind is open.
CONVERSATIONS: dict[str, Handler] = {
    "notice": notice.on_notice_text,
    bulletin.KIND: bulletin.on_text,
    meetings.REASON_KIND: meetings.on_reason_text,
    reschedule.KIND: reschedule.on_datlich_text,
    tasks.KIND: tasks.on_text,
    task_list.EDIT_KIND: task_list.on_edit_text,
    checkin.NOTE_KIND: checkin.on_note_text,
    leave.KIND: leave.on_text,
    agenda.KIND: agenda.on_text,
    minutes.KIND: minutes.on_text,
    dues.KIND: dues.on_text,
}


def words_key(text: str) -> str:
    """Typed words as WORDS keys them: no diacritics, case or punctuation."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


# Free text that means one thing whatever conversation is open, on every channel; matched
# without case, diacritics or punctuation («Đã đọc», «da doc.»).
WORDS: dict[str, Handler] = {
    # The newest bulletin's «Đã đọc» button, typed (a Zalo chat has no button to press).
    words_key(texts.BULLETIN_READ_BUTTON): bulletin_read.on_read_words,
}

# The length limit of what a conversation step asks for (kind, step; step None: any step), so
# input longer than anything we accept is refused with the limit the person was told.
FIELD_LIMITS: dict[tuple[str, str | None], int] = {
    (meetings.REASON_KIND, None): meetings.REASON_MAX,
    (checkin.NOTE_KIND, None): checkin.NOTE_MAX,
    ("notice", None): notice.BODY_LIMIT,
    (task_list.EDIT_KIND, None): tasks.TASK_MAX,
    (tasks.KIND, "text"): tasks.TASK_MAX,
    (reschedule.KIND, "place"): meeting_change.PLACE_MAX,
    (reschedule.KIND, "thematic_topic"): reschedule.TOPIC_MAX,
    (agenda.KIND, "agenda"): agenda.AGENDA_MAX,
}


def field_limit(conv: Conversation | None) -> int:
    """The limit to quote when input is too long: the open step's own, else the overall one."""
    if conv is None:
        return MAX_INPUT
    found = FIELD_LIMITS.get((conv.kind, conv.step)) or FIELD_LIMITS.get((conv.kind, None))
    return found or MAX_INPUT


_BY_NAME = {name: c for c in COMMANDS for name in (c.name, *c.aliases)}


# Outbox rows queued as markers (`extra["render"]`) are written when sent, by kind.
RENDERERS: dict[str, Callable[[Ctx, OutboxMessage], Awaitable[Reply | datetime | None]]] = {
    "ck": checkin.render,
}


def renderer(ctx: Ctx) -> Callable[[OutboxMessage], Awaitable[Reply | datetime | None]]:
    """The delivery worker's `render` hook: the reply a marker stands for, None when there is
    nothing to send any more, or the time to wait for."""

    async def render(msg: OutboxMessage) -> Reply | datetime | None:
        kind = msg.reply.extra.get("render")
        found = RENDERERS.get(str(kind))
        if found is None:
            logger.error("outbox row %s: marker of unknown kind %r", msg.id, kind)
            return None
        return await found(ctx, msg)

    return render


def allowed(command: Command, who: Who) -> bool:
    """Whether this person may use the command (admins may use everything)."""
    if command.roles is None:
        return True
    return who.is_admin() or bool(who.role_names() & set(command.roles))


class Dispatcher:
    """Turns one `Incoming` into replies; never raises."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx

    async def __call__(self, msg: Incoming) -> list[Reply]:
        try:
            return await self.dispatch(msg)
        except Exception:
            # The boundary of the bot: log with ids only and answer politely, never crash.
            logger.exception("handler failed for %s user %s", msg.channel, msg.user_id)
            return [Reply(texts.GENERIC_ERROR)]

    async def who(self, msg: Incoming) -> Who:
        """The sender: member, account, cell and roles; nobody when unlinked or inactive."""
        found = await self.ctx.members.identify(msg.channel, msg.user_id)
        if found is None:
            return Who()
        account, member, unit, roles = found
        if not member.active:
            return Who()
        return Who(member=member, account=account, unit=unit, roles=tuple(roles))

    async def dispatch(self, msg: Incoming) -> list[Reply]:
        """The checks every message passes (steps 1-4), then `route`."""
        ctx = self.ctx
        # 1. Size first: nothing below should spend effort on a flood.
        if len(msg.text) > MAX_INPUT:
            conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
            return [Reply(texts.TOO_LONG.format(limit=field_limit(conv)))]
        command = _BY_NAME.get(msg.command or "")
        # 2. Group chats: membership data is never discussed in public.
        if not msg.is_private:
            return [Reply(texts.PRIVATE_ONLY)] if (msg.command or msg.payload) else []
        # 3. /start works for strangers (it is how they link); a bare invite code too.
        if command is not None and command.name == "start":
            return await onboarding.on_start(msg, ctx, await self.who(msg))
        who = await self.who(msg)
        if not who.linked:
            if onboarding.is_bare_code(msg):
                return await onboarding.on_start(msg, ctx, who)
            return [Reply(texts.STRANGER)]
        replies: list[Reply] = []
        # 4. A member who had blocked the bot is writing again: deliveries may resume.
        if who.account is not None and who.account.unreachable:
            await ctx.members.mark_reachable(msg.channel, msg.user_id)
            replies.append(Reply(texts.ACCOUNT_BACK))
            # What failed while they were away: the current bulletin is queued again.
            await bulletin_read.serve_current(ctx, who.account.member_id)
        return [*replies, *await self.route(msg, who)]

    async def route(self, msg: Incoming, who: Who) -> list[Reply]:
        """A linked member's button, command or text, to its handler (steps 5-7)."""
        ctx = self.ctx
        # 5. Buttons, by payload prefix.
        if msg.payload is not None:
            buttons = PAYLOADS.get(msg.payload.split(":", 1)[0])
            if buttons is None:
                return [Reply(texts.STALE_BUTTON)]
            return await buttons(msg, ctx, who)
        # 6. Commands, checked against the person's roles.
        if msg.command is not None:
            command = _BY_NAME.get(msg.command)
            if command is None:
                return [Reply(texts.UNKNOWN_COMMAND)]
            if not allowed(command, who):
                return [refused(command)]
            return await command.handler(msg, ctx, who)
        # 7. Words that mean the same whatever is open (WORDS); a handler with nothing to do
        # for this person answers nothing and the text goes on.
        words = WORDS.get(words_key(msg.text)) if msg.text and msg.file is None else None
        if words is not None:
            answered = await words(msg, ctx, who)
            if answered:
                return answered
        # 8. Free text or a file: the open conversation, if any, else a hint.
        conv = await ctx.conversations.get(msg.channel, msg.user_id, ctx.now())
        if conv is not None and conv.kind in CONVERSATIONS:
            return await CONVERSATIONS[conv.kind](msg, ctx, who)
        if msg.file is not None:
            # A publisher's PDF starts a bulletin; a cell leader is shown where meeting
            # documents go; anyone else's file is not expected.
            return await agenda.on_file(msg, ctx, who)
        if msg.offered:
            # Typed choices are open (Zalo): the likeliest slip is a wrong pick, so show them.
            return [Reply(texts.ZALO_CHOICE_HINT, options=single_column(*msg.offered))]
        return [Reply(texts.NOT_UNDERSTOOD)]


def refused(command: Command) -> Reply:
    """The refusal of a command the person's roles do not allow, naming who may use it."""
    role = (
        texts.SECRETARY_ROLE
        if command.roles == SECRETARY
        else ", ".join(texts.ROLE_NAMES[r] for r in command.roles or ())
    )
    return Reply(texts.NO_PERMISSION.format(role=role))


def menu_commands(who: Who | None = None) -> list[tuple[str, str]]:
    """(command, description) for the command menu: everyone's by default, or this person's."""
    return [
        (c.name, texts.COMMAND_DESCRIPTIONS[c.name])
        for c in COMMANDS
        if (c.listed or c.name == "start")
        and (c.roles is None or (who is not None and allowed(c, who)))
    ]
