"""Reading the bulletin: "Đã đọc", /bantin, late joiners, the cell's and committees' read views."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

from bot.core import texts
from bot.core.textnorm import vi_sort_key
from bot.core.types import Incoming, Option, Reply, single_column
from handlers import bulletin_common as bc
from handlers.bulletin_when import vi_number, vi_percent
from handlers.buttons import Action, Buttons, Press
from handlers.context import Ctx, Who, refusal
from storage.bulletins import Bulletin
from storage.members import Member
from storage.outbox import NewMessage

logger = logging.getLogger(__name__)

# How many past issues /bantin offers.
HISTORY = 12
# A bulletin scheduled this far ahead is still "current" for a late joiner.
AHEAD = timedelta(days=366)


async def on_read_words(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """ "đã đọc" typed rather than pressed, on any channel: the newest bulletin the member
    received. Nothing (so the text goes on to the open conversation) when there is none."""
    if who.member is None:
        return []
    latest = await ctx.bulletins.latest_for(who.member.id, ctx.now(), 1)
    if not latest:
        return []
    pressed = replace(msg, payload=bc.READ_BUTTONS.payload("", latest[0].id, who.member.id))
    return await bc.READ_BUTTONS(pressed, ctx, who)


async def _mine(ctx: Ctx, member: Member) -> list[Bulletin]:
    return await ctx.bulletins.latest_for(member.id, ctx.now(), HISTORY)


async def on_bantin(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """The latest issue (the PDF itself) and the last 12 to fetch again."""
    assert who.member is not None
    found = await _mine(ctx, who.member)
    if not found:
        return [Reply(texts.BANTIN_NONE)]
    latest = found[0]
    await ctx.bulletin_reads.add_recipient(latest.id, who.member.id, who.member.unit_id)
    header = texts.BANTIN_LATEST.format(
        title=latest.title,
        issue=bc.issue_label(latest.issue),
        date=bc.published_date(latest, ctx.config),
    )
    listing = Reply(
        f"{header}\n{texts.BANTIN_LIST}",
        options=single_column(
            *(
                Option(
                    texts.BANTIN_ITEM.format(issue=bc.issue_label(b.issue), title=b.title)[:60],
                    GET_BUTTONS.payload("", b.id),
                )
                for b in found
            )
        ),
    )
    return [bc.copy_of(latest, who.member.id), listing]


async def _get(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    """A past issue from the /bantin list, if it was meant for this member."""
    if who.member is None:
        return [Reply(texts.STALE_BUTTON)]
    wanted = press.num(0)
    found = {b.id: b for b in await _mine(ctx, who.member)}
    bulletin = found.get(wanted)
    if bulletin is None:
        return [Reply(texts.BANTIN_NOT_YOURS)]
    await ctx.bulletin_reads.add_recipient(bulletin.id, who.member.id, who.member.unit_id)
    return [bc.copy_of(bulletin, who.member.id)]


async def serve_current(ctx: Ctx, member_id: int) -> int:
    """A member linked or came back: queue the current issue (and any scheduled one) for them.

    Copies already sent are not sent again; a failed copy is queued again. Returns how many.
    """
    member = await ctx.members.get(member_id)
    if member is None:
        return 0
    store = ctx.bulletins
    now = ctx.now()
    queued = 0
    current_seen = False
    for bulletin in await store.latest_for(member.id, now + AHEAD, 3):
        if bulletin.send_at <= now:
            if current_seen:
                break
            current_seen = True
        if await store.serve(
            bulletin, member.id, member.unit_id, bc.copy_of(bulletin, member.id), now
        ):
            queued += 1
    if queued:
        logger.info("queued %d bulletin copies for member %s", queued, member.id)
        ctx.wake_outbox()
    return queued


# -- the secretary's cell, committees' units ----------------------------------------------------


async def _latest_for_units(
    ctx: Ctx, unit_ids: set[int]
) -> tuple[Bulletin, dict[int, tuple[int, int]]] | None:
    store = ctx.bulletins
    for bulletin in await store.recent(ctx.now()):
        counts = await ctx.bulletin_reads.reads_by_unit(bulletin.id)
        if unit_ids & counts.keys():
            return bulletin, counts
    return None


async def cell_section(ctx: Ctx, unit_id: int) -> Reply:
    """The cell's read count for the latest issue, who has not read it, and a remind button."""
    found = await _latest_for_units(ctx, {unit_id})
    if found is None:
        return Reply(texts.BULLETIN_CELL_NONE)
    bulletin, counts = found
    total, read = counts[unit_id]
    lines = [
        texts.BULLETIN_CELL_READS.format(
            title=bulletin.title, issue=bc.issue_label(bulletin.issue), read=read, total=total
        )
    ]
    unread = [
        m
        for m in [
            await ctx.members.get(i)
            for i in await ctx.bulletin_reads.unread_in(bulletin.id, unit_id)
        ]
        if m
    ]
    if not unread:
        lines.append(texts.BULLETIN_CELL_ALL_READ)
        return Reply("\n".join(lines))
    names = sorted((m.full_name for m in unread), key=vi_sort_key)
    lines.append(texts.BULLETIN_CELL_UNREAD.format(names=", ".join(names)))
    return Reply(
        "\n".join(lines),
        options=single_column(
            Option(texts.BULLETIN_REMIND_BUTTON, REMIND_BUTTONS.payload("", bulletin.id, unit_id))
        ),
    )


async def _remind(msg: Incoming, ctx: Ctx, who: Who, press: Press) -> list[Reply]:
    """br:<bulletin>:<unit>: send the issue again to the cell's members who have not read it."""
    bulletin_id, unit_id = press.num(0), press.num(1)
    if not who.leads(unit_id):
        return [refusal(who)]
    store = ctx.bulletins
    bulletin = await store.get(bulletin_id)
    if bulletin is None:
        return [Reply(texts.STALE_BUTTON)]
    day = ctx.now().astimezone(ctx.config.general.tz).strftime("%Y%m%d")
    messages = []
    for member_id in await ctx.bulletin_reads.unread_in(bulletin.id, unit_id):
        accounts = [a for a in await ctx.members.accounts_of(member_id) if not a.unreachable]
        if accounts:
            messages.append(
                NewMessage(
                    dedupe_key=f"bulletin:{bulletin.id}:remind:{member_id}:{day}",
                    channel=accounts[0].channel,
                    chat_id=accounts[0].chat_id,
                    reply=bc.copy_of(bulletin, member_id, remind=True),
                    member_id=member_id,
                    batch=f"bulletin:{bulletin.id}:remind",
                )
            )
    added = await ctx.outbox.enqueue(messages, ctx.now()) if messages else 0
    if not added:
        return [Reply(texts.BULLETIN_REMIND_NONE)]
    ctx.wake_outbox()
    return [
        Reply(texts.BULLETIN_REMINDED.format(count=added, issue=bc.issue_label(bulletin.issue)))
    ]


def _roots(who: Who) -> list[int]:
    ids = {r.unit_id for r in who.roles if r.role in ("committee", "propaganda", "admin")}
    return sorted(ids) or who.led_unit_ids()


async def on_docbantin(msg: Incoming, ctx: Ctx, who: Who) -> list[Reply]:
    """Read rates of the latest issue for each unit under the person's committee (or cell)."""
    roots = _roots(who)
    if not roots:
        return [Reply(texts.BULLETIN_NO_SCOPE.format(role=texts.PUBLISHER_ROLE))]
    parents = await ctx.units.parents()
    children: dict[int, list[int]] = {}
    for unit_id, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(unit_id)

    def subtree(root: int) -> set[int]:
        seen, todo = set(), [root]
        while todo:
            current = todo.pop()
            seen.add(current)
            todo.extend(children.get(current, []))
        return seen

    replies = []
    for root in roots:
        under = subtree(root)
        found = await _latest_for_units(ctx, under)
        unit = await ctx.units.get(root)
        if found is None or unit is None:
            replies.append(Reply(texts.BULLETIN_RATES_NONE))
            continue
        bulletin, counts = found

        def total(ids: set[int], counts: dict[int, tuple[int, int]] = counts) -> tuple[int, int]:
            pairs = [counts[i] for i in ids if i in counts]
            return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

        all_total, all_read = total(under)
        lines = [
            texts.BULLETIN_RATES_HEADER.format(
                title=bulletin.title,
                issue=bc.issue_label(bulletin.issue),
                unit=unit.name,
                read=vi_number(all_read),
                total=vi_number(all_total),
                rate=vi_percent(all_read, all_total),
            )
        ]
        rows = []
        for child_id in children.get(root, []):
            n, r = total(subtree(child_id))
            child = await ctx.units.get(child_id)
            if n and child is not None:
                rows.append((child.name, n, r))
        for name, n, r in sorted(rows, key=lambda row: vi_sort_key(row[0])):
            lines.append(
                texts.BULLETIN_RATES_LINE.format(
                    unit=name, read=vi_number(r), total=vi_number(n), rate=vi_percent(r, n)
                )
            )
        replies.append(Reply("\n".join(lines)))
        if unit.is_cell and root in who.led_unit_ids():
            replies.append(await cell_section(ctx, root))
    return replies


# bg:<bulletin>: a past issue from the /bantin list.
GET_BUTTONS = Buttons("bg", {"": Action(_get, "i")})
# br:<bulletin>:<unit>: remind a cell's members who have not read it.
REMIND_BUTTONS = Buttons("br", {"": Action(_remind, "ii")})
