"""Buttons are routed like commands: every payload prefix has one table (action -> function)
with one builder and one parser; the route table lists the prefixes literally; no payload is
written outside its feature's builder; a forged payload of any prefix is refused politely and
changes nothing."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from bot import texts
from handlers import PAYLOADS
from handlers.buttons import Buttons
from tests.conftest import World
from tests.test_meetings import last_to

ROOT = Path(__file__).resolve().parent.parent


def test_every_prefix_in_the_route_table_has_its_table() -> None:
    assert PAYLOADS, "no buttons routed"
    for prefix, buttons in PAYLOADS.items():
        assert isinstance(buttons, Buttons), prefix
        assert buttons.prefix == prefix
        assert buttons.actions, prefix


def test_the_route_table_lists_every_prefix_literally() -> None:
    tree = ast.parse((ROOT / "handlers" / "__init__.py").read_text(encoding="utf-8"))
    [table] = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.AnnAssign)
        and isinstance(node.target, ast.Name)
        and node.target.id == "PAYLOADS"
    ]
    assert isinstance(table, ast.Dict)
    keys = [k.value for k in table.keys if isinstance(k, ast.Constant)]
    assert keys == list(PAYLOADS), "a prefix given as a constant from elsewhere"


def test_builders_and_parsers_agree() -> None:
    for buttons in PAYLOADS.values():
        for action, spec in buttons.actions.items():
            args = [7 if kind == "i" else "abc" for kind in spec.args]
            press = buttons.parse(buttons.payload(action, *args))
            assert press is not None and press.action == action
            assert press.args == tuple(str(a) for a in args)
            assert len(buttons.payload(action, *args).encode()) <= 64


def _payload_literals(path: Path, prefixes: str) -> list[str]:
    """String literals (or f-string heads) that begin like a payload of a routed prefix."""
    shape = re.compile(rf"^({prefixes}):")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        head = None
        if isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]
            head = first.value if isinstance(first, ast.Constant) else None
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            head = node.value
        if isinstance(head, str) and shape.match(head):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_payloads_are_built_only_by_their_feature_builder() -> None:
    prefixes = "|".join(map(re.escape, PAYLOADS))
    offenders = [
        hit
        for package in ("bot", "handlers", "scheduler", "storage")
        for path in (ROOT / package).rglob("*.py")
        if "sandbox" not in path.parts
        for hit in _payload_literals(path, prefixes)
    ]
    assert offenders == []


def _forged(buttons: Buttons) -> list[str]:
    """Payloads no button carries: no action, an unknown one, missing, extra or non-numeric
    arguments."""
    prefix = buttons.prefix
    forged = [prefix, f"{prefix}:", f"{prefix}:zz:1:2:3:4:5"]
    for action, spec in buttons.actions.items():
        head = prefix if action == "" else f"{prefix}:{action}"
        good = ["1" if kind == "i" else "x" for kind in spec.args]
        forged.append(":".join([head, *good, "1"]))
        if spec.args:
            forged.append(":".join([head, *good[:-1]]))
        if "i" in spec.args:
            forged.append(":".join([head, *["x"] * len(spec.args)]))
    return forged


async def _snapshot(world: World) -> dict[str, list[tuple[object, ...]]]:
    # Every table but the inbox, where each update is kept before it is handled.
    tables = await world.rows(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name != 'inbox'"
    )
    return {
        t["name"]: [tuple(r) for r in await world.rows(f"SELECT * FROM {t['name']}")]
        for t in tables
    }


@pytest.mark.parametrize("prefix", sorted(PAYLOADS))
async def test_forged_payloads_get_the_polite_refusal(world: World, prefix: str) -> None:
    # A secretary who is also in the middle of nothing: every forged press is a stale button.
    for key in ("an", "cuong"):
        await world.link(key)
    before = await _snapshot(world)
    for key in ("an", "cuong"):
        for data in _forged(PAYLOADS[prefix]):
            await world.press(key, last_to(world, key), data, check=False)
            assert last_to(world, key)["text"] == texts.STALE_BUTTON, (key, data)
    assert await _snapshot(world) == before
