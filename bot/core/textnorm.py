"""Vietnamese text handling: NFC at entry, diacritic-insensitive keys, alphabetical sort."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_MAX_INPUT = 20_000


def nfc(text: str | None) -> str:
    """Normalise user input to NFC (phones and pasted text often send NFD) and trim it."""
    if not text:
        return ""
    return unicodedata.normalize("NFC", text[: _MAX_INPUT * 2]).strip()


def fold(text: str) -> str:
    """Key for matching without diacritics or case: 'Nguyễn Văn Đức' -> 'nguyen van duc'."""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return " ".join(stripped.casefold().split())


# Vietnamese alphabet order; tone marks sort after the base letter in the order
# none, huyền, sắc, hỏi, ngã, nặng (the order used by Vietnamese dictionaries).
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
_BASE_MARKS = {"\u0306": "ă", "\u0302": "^", "\u031b": "ư"}


@lru_cache(maxsize=1024)
def _letter_key(ch: str) -> tuple[int, int]:
    decomposed = unicodedata.normalize("NFD", ch.casefold())
    base = decomposed[0]
    tone = 0
    for mark in decomposed[1:]:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark == "\u0306":
            base = "ă"
        elif mark == "\u0302":
            base = {"a": "â", "e": "ê", "o": "ô"}.get(base, base)
        elif mark == "\u031b":
            base = {"o": "ơ", "u": "ư"}.get(base, base)
    rank = _LETTER_RANK.get(base)
    if rank is None:
        # Letters outside the Vietnamese alphabet (f, j, w, z, digits) sort by code point after it.
        return (len(_ALPHABET) + ord(base), tone)
    return (rank, tone)


def vi_sort_key(name: str) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Sort key for Vietnamese personal names: by given name (last word), then the rest."""
    words = nfc(name).split()
    if not words:
        return ()
    ordered = [words[-1], *words[:-1]]
    return tuple(tuple(_letter_key(ch) for ch in word) for word in ordered)


def _title_word(word: str) -> str:
    # A word written in one case (HỒ, dũng) is capitalised; a mixed one (H'Mai, McLean) is kept.
    if word.isupper() or word.islower():
        return re.sub(r"[^\W\d_]+", lambda m: m[0][:1].upper() + m[0][1:].lower(), word)
    return word


@lru_cache(maxsize=4096)
def display_name(name: str) -> str:
    """A personal name as people write it: 'HỒ NGỌC DŨNG' -> 'Hồ Ngọc Dũng' (Vietnamese title
    case); the roster keeps the name as imported, this is only how it is shown."""
    return " ".join(_title_word(w) for w in name.split())
