"""Bot API methods on files: sendDocument, sendPhoto, getFile."""

from __future__ import annotations

from typing import Any

from bot.sandbox.telegram_api.common import (
    JSON,
    MAX_DOWNLOAD_BYTES,
    StoredFile,
    UploadedFile,
    _bad,
)
from bot.sandbox.telegram_api.state import FakeState


class FileMethods(FakeState):
    """sendDocument, sendPhoto and getFile, over the fake's file store."""

    async def _send_document(self, params: dict[str, Any]) -> JSON:
        chat_id = self._chat_id(params)
        stored = self._input_file(params, "document", "document")
        body: JSON = {"document": stored.document()}
        if "caption" in params:
            body.update(self._text_body(params, "caption"))
        return self._new_bot_message(chat_id, params, body)

    async def _send_photo(self, params: dict[str, Any]) -> JSON:
        chat_id = self._chat_id(params)
        stored = self._input_file(params, "photo", "photo")
        body: JSON = {"photo": stored.photo()}
        if "caption" in params:
            body.update(self._text_body(params, "caption"))
        return self._new_bot_message(chat_id, params, body)

    async def _get_file(self, params: dict[str, Any]) -> JSON:
        stored = self._files.get(str(params["file_id"]))
        if stored is None:
            raise _bad("invalid file_id")
        if len(stored.content) > MAX_DOWNLOAD_BYTES:
            raise _bad("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "file_path": stored.file_path,
        }

    def _input_file(self, params: dict[str, Any], key: str, kind: str) -> StoredFile:
        value = params[key]
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value[len("attach://") :])
        if isinstance(value, UploadedFile):
            self.uploads += 1
            name = value.filename or ("photo.jpg" if kind == "photo" else "file")
            mime = value.content_type or "application/octet-stream"
            return self._store_file(kind, value.content, name, mime)
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            # Telegram would fetch the URL; the fake has no network, so the file is empty.
            name = value.rstrip("/").rsplit("/", 1)[-1] or "file"
            return self._store_file(kind, b"", name, "application/octet-stream")
        raise _bad("wrong file identifier/HTTP URL specified")
