"""Every public function, and every public method of a public class, says what it does."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "storage", "scheduler")

# Files whose methods are not checked yet (none now: issue 13's moves of the CLI and the roster
# files have landed). A path here has only its module-level functions checked.
METHODS_LATER: tuple[str, ...] = ()


def _public_defs(body: list[ast.stmt], methods: bool) -> Iterator[tuple[str, ast.AST]]:
    """Public functions in `body` by qualified name; with `methods`, those of public classes too."""
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if not node.name.startswith("_"):
                yield node.name, node
        elif methods and isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for name, inner in _public_defs(node.body, methods):
                yield f"{node.name}.{name}", inner


def _undocumented(
    package: str, root: Path = ROOT, later: tuple[str, ...] = METHODS_LATER
) -> list[str]:
    found = []
    for path in sorted((root / package).rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        methods = not relative.startswith(later)
        for name, node in _public_defs(ast.parse(path.read_text(encoding="utf-8")).body, methods):
            assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            if ast.get_docstring(node) is None:
                found.append(f"{relative}:{node.lineno} {name}")
    return found


def test_public_functions_and_methods_have_docstrings() -> None:
    assert [f for package in PACKAGES for f in _undocumented(package)] == []


def test_the_docstring_check_finds_a_missing_one(tmp_path: Path) -> None:
    module = tmp_path / "pkg" / "m.py"
    module.parent.mkdir()
    module.write_text("def shown() -> None:\n    pass\n\n\ndef _hidden() -> None:\n    pass\n")
    assert _undocumented("pkg", tmp_path) == ["pkg/m.py:1 shown"]


def test_the_docstring_check_finds_a_method_without_one(tmp_path: Path) -> None:
    module = tmp_path / "pkg" / "m.py"
    module.parent.mkdir()
    module.write_text(
        "class Repo:\n"
        '    """A repository."""\n\n'
        "    def __init__(self) -> None:\n        pass\n\n"
        "    @property\n    def size(self) -> int:\n        return 0\n\n"
        '    async def get(self) -> None:\n        """Documented."""\n\n'
        "    def _helper(self) -> None:\n        pass\n\n\n"
        "class _Private:\n    def run(self) -> None:\n        pass\n"
    )
    assert _undocumented("pkg", tmp_path) == ["pkg/m.py:8 Repo.size"]
    # A file on the later list is checked for module-level functions only.
    assert _undocumented("pkg", tmp_path, later=("pkg/m.py",)) == []
