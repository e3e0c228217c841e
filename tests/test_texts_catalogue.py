"""The texts catalogue stays a catalogue: one module per feature, each name defined once and
re-exported, only words (limits live with their handlers), the command menu built in one place,
and no text that nothing says."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot.core import texts
from handlers import COMMANDS, checkin, dues_common, leave, meetings

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "bot" / "core" / "texts"
# Where a text is said: `texts.X` in the code, `t.X` in the dashboard's page templates.
SAID = re.compile(r"\b(?:texts|t)\.([A-Z][A-Z0-9_]*)\b")
# Written for a feature that does not say it yet (see the module that defines it); the test below
# fails once one is said, so the list cannot go stale.
NOT_YET_SAID: set[str] = set()


def _defined(path: Path) -> list[str]:
    names = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.glob("*.py") if p.name != "__init__.py")


def test_init_only_re_exports_every_feature_module() -> None:
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    star = {
        node.module
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.names[0].name == "*"
    }
    assert star == {p.stem for p in _modules()}
    assert _defined(PACKAGE / "__init__.py") == []


def test_each_name_is_defined_in_one_place() -> None:
    # A name defined twice is silently shadowed by the later definition or import.
    seen: dict[str, str] = {}
    twice = []
    for path in _modules():
        for name in _defined(path):
            if name in seen:
                twice.append(f"{name}: {seen[name]} and {path.name}")
            seen.setdefault(name, path.name)
    assert twice == []


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, tuple | list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def test_texts_hold_words_not_limits() -> None:
    # Numbers (a field's longest length, a file's size) live with the handler that enforces them.
    numbers = {
        name: leaf
        for name, value in vars(texts).items()
        if name.isupper()
        for leaf in _leaves(value)
        if isinstance(leaf, int | float) and not isinstance(leaf, bool)
    }
    assert numbers == {}


def test_every_text_is_said_somewhere() -> None:
    said: set[str] = set()
    for package in ("bot", "handlers", "storage", "scheduler"):
        for path in (ROOT / package).rglob("*"):
            if path.suffix in (".py", ".html") and PACKAGE not in path.parents:
                said |= set(SAID.findall(path.read_text(encoding="utf-8")))
    unsaid = {name for name in vars(texts) if name.isupper()} - said
    assert unsaid == NOT_YET_SAID


def test_the_command_menu_is_built_in_one_place() -> None:
    assert set(texts.COMMAND_DESCRIPTIONS) == {c.name for c in COMMANDS}
    patched = re.compile(r"COMMAND_DESCRIPTIONS(\[[^]]+\]\s*=[^=]|\.(update|setdefault|pop)\()")
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("bot", "handlers", "storage", "scheduler")
        for path in (ROOT / package).rglob("*.py")
        if patched.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_each_code_a_handler_offers_has_its_label() -> None:
    # The handler owns the codes (what is offered, in which order); the catalogue owns the words.
    assert set(texts.NGHIPHEP_LENGTHS) == set(leave.LENGTHS)
    assert set(texts.MEETING_REASONS) == set(meetings.REASONS)
    assert set(texts.DUES_METHODS) == set(dues_common.METHODS)
    assert set(texts.CHECKIN_STATUS) == set(checkin.CODES.values())
