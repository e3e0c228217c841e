"""Shared pieces of the meeting features: formatting, buttons, recipients, permission checks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core import texts
from bot.core.schedule_rules import Holidays, Rule, meeting_start, parse_holidays, parse_rule
from bot.core.timefmt import format_datetime_vi
from bot.core.types import Reply
from handlers.context import Ctx, Who, refusal
from storage.attendance import Answer
from storage.meetings import Meeting
from storage.members import Contact
from storage.outbox import NewMessage


def tz(ctx: Ctx) -> ZoneInfo:
    """The configured time zone."""
    return ctx.config.general.tz


def when(ctx: Ctx, moment: datetime) -> str:
    """A meeting's date and time as members read it."""
    return format_datetime_vi(moment, tz(ctx))


def block(ctx: Ctx, meeting: Meeting, unit_name: str) -> str:
    """The meeting as members read it: kind, cell, date and time, place, agenda."""
    text = texts.MEETING_BLOCK.format(
        kind=texts.MEETING_KINDS[meeting.kind],
        unit=unit_name,
        when=when(ctx, meeting.starts_at),
        place=meeting.place or texts.MEETING_PLACE_UNSET,
    )
    if meeting.agenda:
        text += texts.MEETING_AGENDA.format(agenda=meeting.agenda)
    return text


def day(ctx: Ctx, moment: datetime) -> str:
    """The short day of a meeting in the configured zone: "05/12"."""
    return moment.astimezone(tz(ctx)).strftime("%d/%m")


def status_line(answer: Answer | None) -> str:
    """A member's answer to a meeting: none yet, attending, or excused with the reason."""
    if answer is None:
        return texts.MEETING_STATUS_NONE
    if answer.answer == "attend":
        return texts.MEETING_STATUS_ATTEND
    return texts.MEETING_STATUS_EXCUSED.format(reason=answer.reason or "")


async def led_meeting_ahead(ctx: Ctx, who: Who, meeting_id: int, too_late: str) -> Meeting | Reply:
    """The meeting, if the sender leads its cell and it can still be changed (scheduled, not
    started); else the refusal, `too_late` when it started or was cancelled."""
    meeting = await ctx.meetings.get(meeting_id)
    if meeting is None:
        return Reply(texts.STALE_BUTTON)
    if not who.leads(meeting.unit_id):
        return refusal(who)
    if meeting.status != "scheduled" or meeting.starts_at <= ctx.now():
        return Reply(too_late)
    return meeting


async def led_meeting_held(ctx: Ctx, who: Who, meeting_id: int, not_yet: str) -> Meeting | Reply:
    """The meeting, if the sender leads its cell and it has started (and was not cancelled);
    else the refusal, `not_yet` when it has not started."""
    meeting = await ctx.meetings.get(meeting_id)
    if meeting is None or meeting.status != "scheduled":
        return Reply(texts.STALE_BUTTON)
    if not who.leads(meeting.unit_id):
        return refusal(who)
    if meeting.starts_at > ctx.now():
        return Reply(not_yet)
    return meeting


def holidays(ctx: Ctx) -> Holidays:
    """The calendar meeting days avoid: configured holidays and working days."""
    cfg = ctx.config.meetings
    return parse_holidays(cfg.holidays, cfg.working_days, cfg.holiday_country)


def rule_of(ctx: Ctx, kind: str, own: str | None) -> Rule:
    """The meeting rule of a cell: its own, else the configured one for its kind."""
    return parse_rule(own or ctx.config.meetings.rule_text(kind))


def start_for_period(ctx: Ctx, rule: Rule, period: str, cal: Holidays) -> datetime:
    """When the rule puts the meeting of a month ('YYYY-MM')."""
    year, month = (int(p) for p in period.split("-"))
    return meeting_start(rule, year, month, cal, tz(ctx))


def periods(ctx: Ctx, now: datetime) -> list[str]:
    """'YYYY-MM' of the current local month and the configured months ahead."""
    local = now.astimezone(tz(ctx))
    year, month = local.year, local.month
    found = []
    for _ in range(ctx.config.meetings.months_ahead + 1):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def year_bounds(ctx: Ctx, moment: datetime) -> tuple[int, datetime, datetime]:
    """The local calendar year of `moment` and its bounds in UTC."""
    year = moment.astimezone(tz(ctx)).year
    start = datetime(year, 1, 1, tzinfo=tz(ctx)).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=tz(ctx)).astimezone(UTC)
    return year, start, end


def months_of(ctx: Ctx, moments: list[datetime]) -> list[datetime]:
    """One moment per local month (the first), so two meetings in a month count once."""
    seen: dict[tuple[int, int], datetime] = {}
    for m in sorted(moments):
        local = m.astimezone(tz(ctx))
        seen.setdefault((local.year, local.month), m)
    return list(seen.values())


def stamp(moment: datetime) -> str:
    """A moment as a compact UTC stamp for keys: '20261205120000'."""
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


async def cell_messages(
    ctx: Ctx, meeting: Meeting, reply_for: Callable[[Meeting, Contact, bool], Reply], tag: str
) -> Callable[[Meeting], list[NewMessage]]:
    """A builder of one message per linked member (and observer) of the meeting's cell.

    Contacts are read now; the returned builder gets the meeting as written (its new version),
    so the dedupe keys name the version the message is about.
    """
    scope = await scope_of(ctx, meeting)
    contacts = [
        c
        for c in (await ctx.members.contacts([meeting.unit_id])).get(meeting.unit_id, [])
        # Nobody attending elsewhere or on leave that month: the meeting is not theirs.
        if c.member_id not in scope.excluded()
    ]
    contacts += list((await ctx.members.contacts_of(set(scope.guests))).values())
    observers = (await ctx.members.observers([meeting.unit_id])).get(meeting.unit_id, [])
    members = {c.member_id for c in contacts}
    everyone = [(c, False) for c in contacts] + [
        (o, True) for o in observers if o.member_id not in members
    ]

    def build(written: Meeting) -> list[NewMessage]:
        return [
            NewMessage(
                dedupe_key=f"{written.key}member:{c.member_id}:{tag}",
                channel=c.channel,
                chat_id=c.chat_id,
                reply=reply_for(written, c, observer),
                member_id=c.member_id,
                batch=f"meeting:{written.id}",
            )
            for c, observer in everyone
        ]

    return build


def period_of(ctx: Ctx, meeting: Meeting) -> str:
    """The local month 'YYYY-MM' a meeting belongs to (leave and attachment are by month)."""
    if meeting.period:
        return meeting.period
    local = meeting.starts_at.astimezone(tz(ctx))
    return f"{local.year:04d}-{local.month:02d}"


@dataclass
class Scope:
    """Who a meeting concerns beyond its cell's roster, in the meeting's month."""

    # Members of other cells attending here temporarily (sinh hoạt tạm thời) -> their home cell.
    guests: dict[int, int] = field(default_factory=dict)
    # Members of this cell attending another cell's meetings -> the host cell.
    away: dict[int, int] = field(default_factory=dict)
    # Members of this cell on standing leave (/nghiphep): excused, not reminded.
    leave: set[int] = field(default_factory=set)

    def excluded(self) -> set[int]:
        """Members of the cell who are not reminded of this meeting."""
        return set(self.away) | self.leave


async def scopes(ctx: Ctx, meetings: Sequence[Meeting]) -> dict[int, Scope]:
    """Each meeting's guests, members away and members on leave; two queries in all."""
    if not meetings:
        return {}
    unit_ids = sorted({m.unit_id for m in meetings})
    periods = sorted({period_of(ctx, m) for m in meetings})
    attached = await ctx.attachments.touching(unit_ids, periods)
    leaves = await ctx.leaves.touching(unit_ids, periods)
    found: dict[int, Scope] = {}
    for m in meetings:
        period = period_of(ctx, m)
        scope = found[m.id] = Scope()
        for x in attached:
            if not x.covers(period) or x.host_unit_id == x.home_unit_id:
                continue
            if x.host_unit_id == m.unit_id:
                scope.guests[x.member_id] = x.home_unit_id
            elif x.home_unit_id == m.unit_id:
                scope.away[x.member_id] = x.host_unit_id
        scope.leave = {
            x.member_id for x in leaves if x.unit_id == m.unit_id and x.covers(period)
        } - set(scope.away)
    return found


async def scope_of(ctx: Ctx, meeting: Meeting) -> Scope:
    """Who the meeting concerns (see `scopes`), for one meeting."""
    return (await scopes(ctx, [meeting]))[meeting.id]


async def belongs(ctx: Ctx, meeting: Meeting, member_id: int, home_unit_id: int) -> bool:
    """Whether the member answers for this meeting: of its cell and not away, or a guest."""
    return in_scope(await scope_of(ctx, meeting), meeting, member_id, home_unit_id)


def in_scope(scope: Scope, meeting: Meeting, member_id: int, home_unit_id: int) -> bool:
    """`belongs`, given the meeting's scope (`scopes` reads several meetings' at once)."""
    if home_unit_id == meeting.unit_id:
        return member_id not in scope.away
    return member_id in scope.guests
