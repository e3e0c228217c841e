"""Channel-neutral message types shared by the adapters, the handlers and the outbox."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

Channel = Literal["telegram", "zalo"]
CHANNELS: tuple[Channel, ...] = ("telegram", "zalo")


@dataclass(frozen=True)
class Attachment:
    """A file a user sent: the platform's id for it plus what we need to validate it."""

    file_id: str
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class Incoming:
    """One thing a user did: a text, a command or a button press, already NFC-normalised."""

    channel: Channel
    chat_id: str
    user_id: str
    text: str = ""
    payload: str | None = None
    file: Attachment | None = None
    is_private: bool = True
    message_id: str | None = None
    display_name: str = ""
    # Choices the chat still offers to be picked by typing (a channel without buttons, Zalo):
    # text that means nothing else is answered with them again rather than a bare "not
    # understood". Empty on Telegram, whose buttons stay under their messages.
    offered: tuple[Option, ...] = ()

    @property
    def command(self) -> str | None:
        """The command word without the slash or bot suffix (`/start@chibo_bot x` -> `start`)."""
        if not self.text.startswith("/"):
            return None
        word = self.text.split(maxsplit=1)[0][1:]
        return word.split("@", 1)[0].casefold() or None

    @property
    def args(self) -> str:
        """Everything after the command word, stripped."""
        parts = self.text.split(maxsplit=1)
        return parts[1].strip() if len(parts) > 1 else ""


@dataclass(frozen=True)
class Option:
    """One choice under a message: a button on Telegram, a numbered line on Zalo."""

    label: str
    payload: str


@dataclass(frozen=True)
class Document:
    """A file to send: by the platform's file id once known, else from a local path."""

    path: str | None = None
    file_id: str | None = None
    file_name: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Reply:
    """What the bot says: text, optional choices (rows of options) and an optional file."""

    text: str
    options: tuple[tuple[Option, ...], ...] = ()
    document: Document | None = None
    photo: Document | None = None
    # Replace the message that carried the pressed button instead of sending a new one.
    edit: bool = False
    # The commands this person may use, for the platform's per-chat command menu (if it has one).
    menu: tuple[tuple[str, str], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """Serialise for the outbox."""
        return json.dumps(
            {
                "text": self.text,
                "options": [[[o.label, o.payload] for o in row] for row in self.options],
                "document": _doc_dict(self.document),
                "photo": _doc_dict(self.photo),
                "extra": self.extra,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, raw: str) -> Reply:
        """Inverse of `to_json`."""
        data = json.loads(raw)
        return cls(
            text=data["text"],
            options=tuple(
                tuple(Option(label, payload) for label, payload in row) for row in data["options"]
            ),
            document=_doc_from(data.get("document")),
            photo=_doc_from(data.get("photo")),
            extra=data.get("extra") or {},
        )


# Fan-outs (a reminder or check-in round for a whole province, tens of thousands of messages)
# serialise the constant parts of a reply once: `Reply.to_json` costs ~15 µs a message.
SLOT = "{slot}"


def options_json(options: tuple[tuple[Option, ...], ...]) -> str:
    """The outbox form of a reply's options (as in `Reply.to_json`)."""
    return json.dumps([[[o.label, o.payload] for o in row] for row in options], ensure_ascii=False)


_TAIL = ', "document": null, "photo": null, "extra": {}}'


def text_reply_json(text: str, options: str = "[]") -> str:
    """`Reply(text, options).to_json()` with the options already serialised by `options_json`."""
    return '{"text": ' + json.dumps(text, ensure_ascii=False) + ', "options": ' + options + _TAIL


class OptionsTemplate:
    """Options serialised once with `SLOT` in their payloads, filled in per recipient."""

    def __init__(self, options: tuple[tuple[Option, ...], ...]) -> None:
        self.pieces = tuple(options_json(options).split(SLOT))

    def fill(self, value: int) -> str:
        """The serialised options with `value` in place of every slot."""
        return str(value).join(self.pieces)


class ReplyTemplate:
    """A text reply whose options carry `SLOT`: serialised once, filled in per recipient.

    Only the options are filled: the text may hold anything a user typed.
    """

    def __init__(self, text: str, options: tuple[tuple[Option, ...], ...]) -> None:
        head = '{"text": ' + json.dumps(text, ensure_ascii=False) + ', "options": '
        pieces = OptionsTemplate(options).pieces
        # The serialised reply, cut where the slot goes: joined by a value, it is the reply.
        if len(pieces) == 1:
            self.pieces: tuple[str, ...] = (head + pieces[0] + _TAIL,)
        else:
            self.pieces = (head + pieces[0], *pieces[1:-1], pieces[-1] + _TAIL)

    def fill(self, value: int) -> str:
        """The serialised reply with `value` in place of every slot."""
        return str(value).join(self.pieces)


def _doc_dict(doc: Document | None) -> dict[str, Any] | None:
    if doc is None:
        return None
    return {"path": doc.path, "file_id": doc.file_id, "file_name": doc.file_name, "url": doc.url}


def _doc_from(data: dict[str, Any] | None) -> Document | None:
    return Document(**data) if data else None


def is_number(text: str) -> bool:
    """A number in a payload or a typed choice: ASCII digits only (`str.isdigit` also accepts
    "²", which `int()` refuses) and short enough for SQLite's 64-bit integers."""
    return text.isascii() and text.isdigit() and len(text) <= 18


def single_column(*options: Option) -> tuple[tuple[Option, ...], ...]:
    """Options laid out one per row, the most readable form on a small phone."""
    return tuple((o,) for o in options)


def split_text(text: str, limit: int) -> list[str]:
    """Split a long text at line breaks (then spaces) into parts of at most `limit` characters."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit + 1)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit + 1)
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n ")
    if rest:
        parts.append(rest)
    return parts
