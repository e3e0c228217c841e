"""Helpers for the bulletin tests: a PDF, a publisher, and the chat publishing dialogue."""

from __future__ import annotations

from typing import Any

from storage.members import MemberRepo
from tests.conftest import World
from tests.seed import TG_IDS

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PUBLISHER = "binh"


async def make_publisher(world: World, key: str = PUBLISHER, unit: str = "T") -> None:
    """Give a seeded member the propaganda role on a unit (the province by default)."""
    await MemberRepo(world.db).grant(
        world.seeded.member_ids[key], "propaganda", world.seeded.unit_ids[unit]
    )


async def send_file(
    world: World,
    key: str,
    *,
    content: bytes = PDF,
    file_name: str = "thong-tin-tu-tuong-12-2026.pdf",
    mime_type: str = "application/pdf",
    count: int = 1,
) -> list[dict[str, Any]]:
    """A user sends a document; wait for `count` bot messages in their chat."""
    uid = TG_IDS[key]
    before = len(world.fake.sent_to(uid))
    world.fake.send_document(uid, file_name=file_name, mime_type=mime_type, content=content)
    return (await world.fake.wait_sent(uid, before + count))[before:]


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, callback data) of every button under a message."""
    return [
        (b["text"], b["callback_data"])
        for row in message.get("reply_markup", {}).get("inline_keyboard", [])
        for b in row
    ]


def button(message: dict[str, Any], label: str) -> str:
    for text, data in buttons(message):
        if text == label:
            return data
    raise AssertionError(f"no button {label!r} in {buttons(message)}")


async def press_and_get(world: World, key: str, message: dict[str, Any], data: str, count: int = 1):  # type: ignore[no-untyped-def]
    """Press a button and return the next `count` messages the bot sends to that chat."""
    uid = TG_IDS[key]
    before = len(world.fake.sent_to(uid))
    await world.press(key, message, data)
    return (await world.fake.wait_sent(uid, before + count))[before:]


async def publish_in_chat(
    world: World, *, key: str = PUBLISHER, scope_label: str | None = None
) -> dict[str, Any]:
    """Send the PDF, take the default title, issue and scope, send now; return the confirmation."""
    from bot.core import texts

    [ask_title] = await send_file(world, key)
    [ask_issue] = await press_and_get(
        world, key, ask_title, button(ask_title, texts.BULLETIN_DEFAULT_TITLE)
    )
    [ask_scope] = await press_and_get(world, key, ask_issue, button(ask_issue, "Số 12/2026"))
    [ask_when] = await press_and_get(
        world, key, ask_scope, button(ask_scope, scope_label or texts.BULLETIN_SCOPE_HAMLET)
    )
    [confirm] = await press_and_get(world, key, ask_when, button(ask_when, texts.BULLETIN_NOW))
    return confirm
