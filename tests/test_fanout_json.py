"""Fan-outs serialise replies from pieces (bot.core): the result must be what Reply.to_json gives."""

from __future__ import annotations

from bot.core import (
    SLOT,
    Option,
    OptionsTemplate,
    Reply,
    ReplyTemplate,
    options_json,
    text_reply_json,
)
from handlers import meeting_common as mc
from handlers.checkin import status_options

# User text that looks like the slot, quotes, a backslash, a control character, NFD marks.
AWKWARD = 'Họp «chi bộ» {slot} "ấp 3" \\ tab\there\x00 Nguye\u0302\u0303n'


def test_text_reply_json_is_reply_to_json() -> None:
    options = status_options(12, 34)
    assert text_reply_json(AWKWARD, options_json(options)) == Reply(AWKWARD, options).to_json()
    assert Reply.from_json(text_reply_json(AWKWARD)) == Reply(AWKWARD)


def test_templates_fill_only_the_options() -> None:
    template = ReplyTemplate(AWKWARD, mc.answer_options(7, SLOT))
    for member_id in (1, 45_000):
        assert Reply.from_json(template.fill(member_id)) == Reply(
            AWKWARD, mc.answer_options(7, member_id)
        )
    assert OptionsTemplate(status_options(5, SLOT)).fill(9) == options_json(status_options(5, 9))


def test_an_option_label_is_kept_whole() -> None:
    options = ((Option("Có", f"x:{SLOT}"), Option("Không", f"y:{SLOT}")),)
    assert OptionsTemplate(options).fill("ab") == options_json(
        ((Option("Có", "x:ab"), Option("Không", "y:ab")),)
    )
