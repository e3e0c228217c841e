"""Telegram's HTML parse mode: text and entities as Telegram stores them."""

from __future__ import annotations

import re
from typing import Any

from bot.sandbox.telegram_api.common import JSON, _utf16_len

# ---------------------------------------------------------------------------------------------
# Text formatting: Telegram parses HTML into plain text + entities and measures the plain text.

_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[A-Za-z][A-Za-z0-9_-]*"
    r"(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*>"
)
_ATTR = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")
_ENTITY_REF = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|lt|gt|amp|quot);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_HTML_TAGS = frozenset({*_SIMPLE_TAGS, "a", "span", "tg-emoji", "tg-time"})


def parse_html(text: str) -> tuple[str, list[JSON]]:
    """Parse Telegram-flavoured HTML into plain text and entities; ValueError if Telegram would."""
    out: list[str] = []
    entities: list[JSON] = []
    stack: list[tuple[str, int, dict[str, str], int]] = []  # tag, utf16 start, attrs, byte pos
    offset = 0  # in UTF-16 code units
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            m = _TAG.match(text, i)
            byte_pos = len(text[:i].encode("utf-8"))
            if m is None:
                raise ValueError(f"unsupported start tag at byte offset {byte_pos}")
            closing, name, attr_text = m.group(1) == "/", m.group(2).lower(), m.group(3)
            if name not in _HTML_TAGS:
                raise ValueError(f'unsupported start tag "{name}" at byte offset {byte_pos}')
            if closing:
                if not stack or stack[-1][0] != name:
                    expected = f'"</{stack[-1][0]}>"' if stack else "no end tag"
                    raise ValueError(
                        f"unmatched end tag at byte offset {byte_pos}, expected {expected},"
                        f' found "</{name}>"'
                    )
                tag, start, attrs, _ = stack.pop()
                _close_entity(tag, start, offset, attrs, stack, entities)
            else:
                attrs = {
                    a.group(1).lower(): next((g for g in a.groups()[1:] if g is not None), "")
                    for a in _ATTR.finditer(attr_text)
                }
                stack.append((name, offset, attrs, byte_pos))
            i = m.end()
            continue
        if ch == "&":
            m = _ENTITY_REF.match(text, i)
            if m is not None:
                ref = m.group(1)
                if ref in _NAMED:
                    decoded = _NAMED[ref]
                elif ref[1:2] in ("x", "X"):
                    decoded = chr(int(ref[2:], 16))
                else:
                    decoded = chr(int(ref[1:]))
                out.append(decoded)
                offset += _utf16_len(decoded)
                i = m.end()
                continue
            # Like Telegram, a lone '&' that starts no known entity stays literal.
        out.append(ch)
        offset += _utf16_len(ch)
        i += 1
    if stack:
        raise ValueError(f'can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _close_entity(
    tag: str,
    start: int,
    end: int,
    attrs: dict[str, str],
    stack: list[tuple[str, int, dict[str, str], int]],
    entities: list[JSON],
) -> None:
    if end <= start:
        return  # Telegram drops empty entities.
    entity: JSON = {"offset": start, "length": end - start}
    if tag == "code" and attrs.get("class", "").startswith("language-") and stack:
        parent = stack[-1]
        if parent[0] == "pre":
            # <pre><code class="language-x"> becomes one pre entity with a language.
            parent[2]["language"] = attrs["class"][len("language-") :]
            return
    if tag == "a":
        href = attrs.get("href", "")
        m = re.match(r"^tg://user\?id=(\d+)$", href)
        if m:
            entity["type"] = "text_mention"
            entity["user"] = {"id": int(m.group(1)), "is_bot": False, "first_name": "User"}
        elif href:
            entity["type"] = "text_link"
            entity["url"] = href
        else:
            return
    elif tag == "span":
        if attrs.get("class") != "tg-spoiler":
            raise ValueError('tag "span" must have class "tg-spoiler"')
        entity["type"] = "spoiler"
    elif tag == "tg-emoji":
        entity["type"] = "custom_emoji"
        entity["custom_emoji_id"] = attrs.get("emoji-id", "")
    elif tag == "tg-time":
        entity["type"] = "date_time"
        entity["unix_time"] = int(attrs.get("unix", "0") or 0)
    elif tag == "blockquote":
        entity["type"] = "expandable_blockquote" if "expandable" in attrs else "blockquote"
    else:
        entity["type"] = _SIMPLE_TAGS[tag]
        if tag == "pre" and attrs.get("language"):
            entity["language"] = attrs["language"]
    entities.append(entity)


def render_text(text: str, parse_mode: Any, entities: Any) -> tuple[str, list[JSON]]:
    """Plain text and entities as Telegram stores them for a text or caption."""
    mode = parse_mode.lower() if isinstance(parse_mode, str) else ""
    if mode == "html":
        return parse_html(text)
    # Markdown modes are not parsed: the text is kept (and measured) as sent.
    return text, list(entities) if isinstance(entities, list) else []
