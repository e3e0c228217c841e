"""Requests checked against the official Bot API schema (botapi_schema.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.sandbox.telegram_api.common import (
    _BOT_COMMAND,
    _BUTTON_ACTIONS,
    _SECRET_TOKEN,
    JSON,
    MAX_BUTTONS,
    MAX_CALLBACK_ANSWER,
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION,
    MAX_TEXT,
    SCHEMA_PATH,
    UploadedFile,
)
from bot.sandbox.telegram_api.entities import render_text

# ---------------------------------------------------------------------------------------------
# Schema validation.


class Schema:
    """The compact Bot API schema (see derive_schema.py) and the checks built on it."""

    def __init__(self, data: JSON) -> None:
        self.version: str = str(data.get("version"))
        self.methods: dict[str, dict[str, JSON]] = data["methods"]
        self.types: dict[str, JSON] = data["types"]
        self._by_lower = {name.lower(): name for name in self.methods}

    @classmethod
    def load(cls, path: Path = SCHEMA_PATH) -> Schema:
        """Load the compact schema file."""
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def canonical(self, method: str) -> str | None:
        """The schema's spelling of a method name (Telegram matches them case-insensitively)."""
        return self._by_lower.get(method.lower())

    def field_types(self, method: str, name: str) -> list[str] | None:
        """Types a parameter accepts, or None if the method has no such parameter."""
        spec = self.methods.get(method, {}).get(name)
        return list(spec["types"]) if spec else None

    def validate(self, method: str, params: dict[str, Any]) -> list[str]:
        """Every problem with a call, as Telegram-like error descriptions (empty when valid)."""
        fields = self.methods[method]
        errors: list[str] = []
        for name, value in params.items():
            if name not in fields:
                # Parts referenced as attach://name carry no schema field of their own.
                if not isinstance(value, UploadedFile):
                    errors.append(f"unknown parameter {name!r}")
                continue
            errors.extend(self.check(value, fields[name]["types"], name))
        errors.extend(
            f"required parameter {name!r} is missing"
            for name, spec in fields.items()
            if spec["required"] and name not in params
        )
        if errors:
            return errors
        return self._semantic(method, params)

    def _semantic(self, method: str, params: dict[str, Any]) -> list[str]:
        errors: list[str] = []
        if method in ("sendMessage", "editMessageText"):
            try:
                plain, _ = render_text(params["text"], params.get("parse_mode"), None)
            except ValueError as exc:
                return [f"can't parse entities: {exc}"]
            if not plain.strip():
                errors.append("message text is empty")
            elif len(plain) > MAX_TEXT:
                errors.append(f"message is too long ({len(plain)} > {MAX_TEXT} characters)")
        if isinstance(params.get("caption"), str):
            try:
                plain, _ = render_text(params["caption"], params.get("parse_mode"), None)
            except ValueError as exc:
                return [f"can't parse entities: {exc}"]
            if len(plain) > MAX_CAPTION:
                errors.append(
                    f"message caption is too long ({len(plain)} > {MAX_CAPTION} characters)"
                )
        if method == "answerCallbackQuery" and len(params.get("text") or "") > MAX_CALLBACK_ANSWER:
            errors.append(f"callback answer text is longer than {MAX_CALLBACK_ANSWER} characters")
        if method == "setMyCommands" and len(params["commands"]) > 100:
            errors.append("too many commands (more than 100)")
        if method == "setWebhook" and not _SECRET_TOKEN.match(params.get("secret_token", "x")):
            errors.append("secret token contains unallowed characters or has a wrong length")
        return errors

    def check(self, value: Any, types: list[str], path: str) -> list[str]:
        """Check a value against a union of schema types."""
        failures: list[list[str]] = []
        for type_name in types:
            errs = self._check_one(value, type_name, path)
            if not errs:
                return []
            failures.append(errs)
        object_failures = [
            errs
            for type_name, errs in zip(types, failures, strict=True)
            if self._is_object_type(type_name)
        ]
        if isinstance(value, dict) and object_failures:
            return min(object_failures, key=len)
        if len(failures) == 1:
            return failures[0]
        return [f"{path}: expected {' or '.join(types)}, got {_type_of(value)}"]

    def _is_object_type(self, type_name: str) -> bool:
        return type_name in self.types

    def _check_one(self, value: Any, type_name: str, path: str) -> list[str]:
        if type_name.startswith("Array of "):
            inner = type_name[len("Array of ") :]
            if not isinstance(value, list):
                return [f"{path}: expected {type_name}, got {_type_of(value)}"]
            errors: list[str] = []
            for index, item in enumerate(value):
                errors.extend(self._check_one(item, inner, f"{path}[{index}]"))
            return errors
        ok: bool
        if type_name == "Integer":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif type_name == "Float":
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        elif type_name == "String":
            ok = isinstance(value, str)
        elif type_name == "Boolean":
            ok = isinstance(value, bool)
        elif type_name == "True":
            ok = value is True
        elif type_name == "InputFile":
            ok = isinstance(value, UploadedFile)
        else:
            return self._check_object(value, type_name, path)
        return [] if ok else [f"{path}: expected {type_name}, got {_type_of(value)}"]

    def _check_object(self, value: Any, type_name: str, path: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{path}: expected {type_name} object, got {_type_of(value)}"]
        spec = self.types.get(type_name)
        if spec is None:
            return []  # A type the compact schema does not describe: any object will do.
        if "subtypes" in spec:
            return self.check(value, list(spec["subtypes"]), path)
        fields: dict[str, JSON] = spec.get("fields", {})
        if not fields:
            return []
        errors = [
            f"{path}: unknown field {name!r} in {type_name}" for name in value if name not in fields
        ]
        errors.extend(
            f"{path}: {type_name} field {name!r} is missing"
            for name, f in fields.items()
            if f["required"] and name not in value
        )
        for name, item in value.items():
            if name in fields:
                errors.extend(self.check(item, fields[name]["types"], f"{path}.{name}"))
        if errors:
            return errors
        return _object_rules(type_name, value, path)


def _object_rules(type_name: str, value: JSON, path: str) -> list[str]:
    errors: list[str] = []
    if type_name == "InlineKeyboardButton":
        if not str(value.get("text", "")).strip():
            errors.append(f"{path}: button text is empty")
        actions = [name for name in _BUTTON_ACTIONS if name in value]
        if len(actions) != 1:
            errors.append(f"{path}: a button needs exactly one action field, got {actions}")
        data = value.get("callback_data")
        if isinstance(data, str):
            size = len(data.encode("utf-8"))
            if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                errors.append(
                    f"{path}: BUTTON_DATA_INVALID (callback_data is {size} bytes,"
                    f" must be 1-{MAX_CALLBACK_DATA_BYTES})"
                )
    elif type_name == "InlineKeyboardMarkup":
        total = sum(len(row) for row in value["inline_keyboard"])
        if total > MAX_BUTTONS:
            errors.append(f"{path}: reply markup is too long ({total} > {MAX_BUTTONS} buttons)")
    elif type_name == "BotCommand":
        if not _BOT_COMMAND.match(value["command"]):
            errors.append(
                f"{path}: BOT_COMMAND_INVALID ({value['command']!r}: 1-32 characters of a-z, 0-9, _)"
            )
        if not 1 <= len(value["description"].strip()) <= 256:
            errors.append(f"{path}: BOT_COMMAND_DESCRIPTION_INVALID (must be 1-256 characters)")
    return errors


def _type_of(value: Any) -> str:
    if isinstance(value, UploadedFile):
        return "file"
    return type(value).__name__


def _image_size(content: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG image, or a placeholder for anything else."""
    if content[:8] == b"\x89PNG\r\n\x1a\n" and len(content) >= 24:
        return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")
    if content[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(content) and content[i] == 0xFF:
            marker = content[i + 1]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height = int.from_bytes(content[i + 5 : i + 7], "big")
                width = int.from_bytes(content[i + 7 : i + 9], "big")
                return width, height
            i += 2 + int.from_bytes(content[i + 2 : i + 4], "big")
    return 512, 512
