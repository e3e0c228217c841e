"""What the fake Bot API's parts share: limits, the request records and the API error."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

JSON = dict[str, Any]
T = TypeVar("T")

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "botapi_schema.json"

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER = 200
MAX_BUTTONS = 100
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
# Uploads above 50 MB are refused by Telegram; a little slack covers the multipart overhead.
MAX_REQUEST_BYTES = 51 * 1024 * 1024

_BOT_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
# Methods that post a message: these are the ones Telegram's flood limits are about.
_MESSAGE_METHODS = frozenset({"copyMessage", "copyMessages", "forwardMessage", "forwardMessages"})
_STRING_LIKE = frozenset({"String", "InputFile"})


def _is_message_send(method: str) -> bool:
    return (method.startswith("send") and method != "sendChatAction") or method in _MESSAGE_METHODS


def _targets_chat(method: str) -> bool:
    return method.startswith("send") or method in _MESSAGE_METHODS


def _utf16_len(text: str) -> int:
    # Telegram measures entity offsets and lengths in UTF-16 code units.
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    content: bytes = field(repr=False)

    @property
    def size(self) -> int:
        """Size of the content in bytes."""
        return len(self.content)


@dataclass
class ApiCall:
    """One request the fake answered."""

    method: str
    params: dict[str, Any]
    at: float
    status: int
    response: JSON = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        """Whether the call was answered with success."""
        return self.status == 200

    @property
    def chat_id(self) -> int | str | None:
        """The chat_id parameter, if any."""
        value = self.params.get("chat_id")
        return value if isinstance(value, int | str) else None


@dataclass
class StoredFile:
    """A file the fake knows: uploaded by the bot or sent by a user."""

    file_id: str
    file_unique_id: str
    kind: str
    file_name: str
    mime_type: str
    content: bytes = field(repr=False)
    file_path: str
    width: int = 0
    height: int = 0

    def document(self) -> JSON:
        """The Document object for this file."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_size": len(self.content),
        }

    def photo(self) -> list[JSON]:
        """The PhotoSize list for this file (one size: the fake does not resize)."""
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "width": self.width,
                "height": self.height,
                "file_size": len(self.content),
            }
        ]


@dataclass
class _Fault:
    method: str
    status: int
    description: str
    retry_after: int | None
    times: int
    chat_id: int | None


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> JSON:
        """The JSON body Telegram sends with this error."""
        out: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            out["parameters"] = {"retry_after": self.retry_after}
        return out


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")
