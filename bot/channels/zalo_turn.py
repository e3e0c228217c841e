"""The rules for answers on Zalo, where choices are numbered text and not buttons.

1. One numbered list per answer turn: every choice offered in one turn (all the replies to one
   message, or the messages the outbox sends before the member answers) has its own number,
   numbered across the whole turn, so "2" can only mean one thing. `number_turn` is the only way
   the Zalo channel numbers choices; no handler can bring back two lists that both start at 1.
2. A choice can be picked by its words: a reply that matches exactly one choice by a distinctive
   word or the start of one, without regard to diacritics or case, picks it (`match_choice`).
3. Texts never tell a Zalo member to press or scan: `zalo_wording`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from bot.core import texts
from bot.core.textnorm import fold
from bot.core.types import Option, Reply

_TOKEN = re.compile(r"[a-z0-9]+")


def number_turn(replies: Sequence[Reply], already: int = 0) -> list[tuple[Reply, int]]:
    """Each reply with the number its first choice gets: numbering runs across the whole turn,
    after `already` choices still current in the chat."""
    numbered = []
    start = already + 1
    for reply in replies:
        numbered.append((reply, start))
        start += sum(len(row) for row in reply.options)
    return numbered


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def _token_matches(typed: str, word: str) -> bool:
    if typed.isdigit() or word.isdigit():
        # "5/12" and "05/12" name the same day.
        return typed.isdigit() and word.isdigit() and int(typed) == int(word)
    return word.startswith(typed)


def match_choice(text: str, options: Sequence[Option]) -> list[int]:
    """The indexes of the options `text` names by their words: the one whose label it is
    (ignoring diacritics and case), else every option whose label has, for each typed word, a
    word starting with it. Empty when it names none; more than one when it is ambiguous."""
    if text.startswith("/"):
        return []
    key = " ".join(_tokens(text))
    if not key:
        return []
    exact = [i for i, o in enumerate(options) if " ".join(_tokens(o.label)) == key]
    if exact:
        return exact
    typed = key.split()
    found = []
    for i, option in enumerate(options):
        words = _tokens(option.label)
        if all(any(_token_matches(t, w) for w in words) for t in typed):
            found.append(i)
    return found


def ambiguous_text(text: str, options: Sequence[Option], found: Sequence[int]) -> str:
    """The re-ask for a reply that names several choices, naming them with their numbers."""
    candidates = texts.ZALO_CANDIDATE_JOIN.join(
        texts.ZALO_CANDIDATE.format(number=i + 1, label=options[i].label) for i in found
    )
    return texts.ZALO_AMBIGUOUS.format(text=text, candidates=candidates)


def zalo_wording(text: str) -> str:
    """A text with "press"/"scan" wording said the Zalo way (texts.ZALO_WORDING)."""
    for telegram, zalo in texts.ZALO_WORDING:
        if telegram in text:
            text = text.replace(telegram, zalo)
    return text


def with_zalo_wording(reply: Reply) -> Reply:
    """The reply with its text in Zalo wording (the same object when nothing changes)."""
    text = zalo_wording(reply.text)
    if text == reply.text:
        return reply
    return replace(reply, text=text)
