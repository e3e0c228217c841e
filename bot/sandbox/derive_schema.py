"""Derive the compact Bot API schema the fake Telegram server validates requests against.

Usage: ``python -m bot.sandbox.derive_schema PATH/telegram-bot-api.schema.json [OUT]``.
The output keeps every method's parameters and the field lists of the types that can appear
inside a request (the closure of the types named by method parameters), which is all the fake
needs; response types are left out because the fake builds its answers itself.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

DEFAULT_OUT = Path(__file__).with_name("botapi_schema.json")

_ARRAY = "Array of "
_PRIMITIVES = frozenset({"Integer", "String", "Boolean", "Float", "True", "InputFile"})


def base_type(type_name: str) -> str:
    """Strip any number of leading 'Array of ' from a schema type name."""
    while type_name.startswith(_ARRAY):
        type_name = type_name[len(_ARRAY) :]
    return type_name


def _fields(spec: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: {"types": list(field["types"]), "required": bool(field["required"])}
        for name, field in spec.get("fields", {}).items()
    }


def derive(full: dict[str, Any]) -> dict[str, Any]:
    """Build the compact schema (methods -> fields, request-side types) from the full one."""
    methods = {name: _fields(spec) for name, spec in sorted(full["methods"].items())}
    all_types: dict[str, Any] = full["types"]

    # Walk from the method parameters through type fields and union subtypes, so nested
    # request objects (keyboards, scopes, input media) can be validated to the leaves.
    todo = [
        base_type(t) for fields in methods.values() for f in fields.values() for t in f["types"]
    ]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name in _PRIMITIVES or name not in all_types:
            continue
        seen.add(name)
        spec = all_types[name]
        todo.extend(spec.get("subtypes", []))
        for field in spec.get("fields", {}).values():
            todo.extend(base_type(t) for t in field["types"])

    types: dict[str, Any] = {}
    for name in sorted(seen):
        spec = all_types[name]
        if "subtypes" in spec:
            types[name] = {"subtypes": list(spec["subtypes"])}
        elif "fields" in spec:
            types[name] = {"fields": _fields(spec)}
        else:
            # Placeholder types such as CallbackGame: any object is accepted.
            types[name] = {}
    return {
        "version": full.get("version"),
        "release_date": full.get("release_date"),
        "source": full.get("source"),
        "methods": methods,
        "types": types,
    }


def dumps(compact: dict[str, Any]) -> str:
    """Serialise with one method or type per line: small, yet diffs stay readable."""
    lines = ["{"]
    for key in ("version", "release_date", "source"):
        lines.append(f"{json.dumps(key)}: {json.dumps(compact[key], ensure_ascii=False)},")
    for section in ("methods", "types"):
        items = list(compact[section].items())
        lines.append(f"{json.dumps(section)}: {{")
        for i, (name, spec) in enumerate(items):
            comma = "," if i < len(items) - 1 else ""
            body = json.dumps(spec, ensure_ascii=False, separators=(",", ":"))
            lines.append(f"{json.dumps(name)}: {body}{comma}")
        lines.append("}," if section == "methods" else "}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Read the full schema and write the compact one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("schema", type=Path, help="full telegram-bot-api.schema.json")
    parser.add_argument("out", type=Path, nargs="?", default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    full = json.loads(args.schema.read_text(encoding="utf-8"))
    compact = derive(full)
    args.out.write_text(dumps(compact), encoding="utf-8")
    print(
        f"wrote {args.out}: {len(compact['methods'])} methods, {len(compact['types'])} types"
        f" ({compact['version']})"
    )


if __name__ == "__main__":
    main()
