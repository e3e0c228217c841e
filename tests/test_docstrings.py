"""Every public module-level function in the shell, storage and scheduler says what it does."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _undocumented(package: str, root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted((root / package).rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (
                isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                and not node.name.startswith("_")
                and ast.get_docstring(node) is None
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno} {node.name}")
    return found


def test_public_functions_have_docstrings() -> None:
    # handlers/ joins the list once its button tables land (issue 13, the handlers half).
    assert [f for package in ("bot", "storage", "scheduler") for f in _undocumented(package)] == []


def test_the_docstring_check_finds_a_missing_one(tmp_path: Path) -> None:
    module = tmp_path / "pkg" / "m.py"
    module.parent.mkdir()
    module.write_text("def shown() -> None:\n    pass\n\n\ndef _hidden() -> None:\n    pass\n")
    assert _undocumented("pkg", tmp_path) == ["pkg/m.py:1 shown"]
