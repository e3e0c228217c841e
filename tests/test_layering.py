"""The layout's boundaries: who may import whom, no import cycles, only the shell talks to a chat
platform, only storage/ writes SQL, the wall clock is read only at the entry points."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLATFORM_LIBS = {"telegram", "httpx", "aiohttp", "tornado"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_core_packages_import_no_platform_library() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & PLATFORM_LIBS)
        for package in ("handlers", "storage", "scheduler")
        for path in (ROOT / package).rglob("*.py")
        if _imports(path) & PLATFORM_LIBS
    }
    assert offenders == {}


def test_sql_is_written_only_in_storage() -> None:
    sql = re.compile(
        r"\b(INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE|SELECT\s[^\"']*?\bFROM \w+)\b"
    )
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("bot", "handlers", "scheduler")
        for path in (ROOT / package).rglob("*.py")
        if sql.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_user_facing_sentences_live_in_texts() -> None:
    # A Vietnamese letter with a diacritic inside a string literal outside texts.py is a
    # sentence that escaped the catalogue (the CLI's argparse help is the accepted exception).
    vietnamese = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủũứừửữựỳỵỷỹ]", re.I)
    allowed = {"bot/core/textnorm.py", "storage/units.py"}
    offenders = []
    for package in ("bot", "handlers", "scheduler", "storage"):
        for path in (ROOT / package).rglob("*.py"):
            rel = str(path.relative_to(ROOT))
            # The texts catalogue (bot/core/texts/), the CLI's argparse help, the sandbox's demo data.
            if rel in allowed or rel.startswith(("bot/sandbox/", "bot/core/texts/", "bot/cli")):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(
                    node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
                )
                and node.body
                and isinstance(node.body[0], ast.Expr)
            }
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in docstrings
                    and vietnamese.search(node.value)
                ):
                    offenders.append(f"{rel}:{node.lineno}")
    assert offenders == []


# Where the wall clock may be read: the entry points (the CLI's main, the app's build, the
# sandbox's clock), the clock module itself, and the fake platforms, which stand in for a
# remote server with a clock of its own. Everything else takes the injected clock.
CLOCK_ENTRY_POINTS = {
    "bot/core/clock.py",
    "bot/cli/__init__.py",
    "bot/app.py",
    "bot/sandbox/clock.py",
    "bot/sandbox/telegram_api/state.py",
    "bot/sandbox/telegram_api/__main__.py",
    "bot/sandbox/zalo_api.py",
}


def _wall_clock_reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "SystemClock":
            found.append(f"SystemClock() at line {node.lineno}")
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            call = f"{func.value.id}.{func.attr}"
            if call in {"datetime.now", "datetime.utcnow", "datetime.today", "date.today"} or (
                call in {"time.time", "time.time_ns", "time.localtime", "time.gmtime"}
            ):
                found.append(f"{call}() at line {node.lineno}")
    return found


def test_wall_clock_is_read_only_at_the_entry_points() -> None:
    offenders = {
        rel: reads
        for package in ("bot", "handlers", "storage", "scheduler")
        for path in (ROOT / package).rglob("*.py")
        if (rel := str(path.relative_to(ROOT))) not in CLOCK_ENTRY_POINTS
        and (reads := _wall_clock_reads(path))
    }
    assert offenders == {}


def test_wall_clock_check_finds_a_read(tmp_path: Path) -> None:
    # The check above must be able to fail: a module reading the clock is caught.
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import time\nfrom datetime import date, datetime\n"
        "a = datetime.now()\nb = date.today()\nc = time.time()\nd = SystemClock()\n",
        encoding="utf-8",
    )
    assert len(_wall_clock_reads(sample)) == 4


# -- layers ------------------------------------------------------------------------------------
# The vocabulary (bot.core) stands on nothing of Chibo; storage stands on it; handlers on both;
# scheduler on those; the shell (the rest of bot/) on top. Tests and benchmarks may use anything.
LAYERS = {
    "bot.core": {"bot.core"},
    "storage": {"bot.core", "storage"},
    "handlers": {"bot.core", "storage", "handlers"},
    "scheduler": {"bot.core", "storage", "handlers", "scheduler"},
}
PACKAGES = ("bot", "handlers", "storage", "scheduler")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")}


def _chibo_imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Chibo modules imported anywhere in the file (lazy imports inside functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            # The longest known module the target names (`from bot.core import texts` is
            # bot.core.texts; `from bot.core.types import Reply` is bot.core.types).
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _chibo_imports(name, path, known) for name, path in modules.items()}


def _layer(module: str) -> str | None:
    for layer in LAYERS:
        if module == layer or module.startswith(layer + "."):
            return layer
    return None


def test_layers_import_only_downward() -> None:
    offenders = sorted(
        f"{module} -> {target}"
        for module, targets in _graph().items()
        if (layer := _layer(module)) is not None
        for target in targets
        if not any(target == ok or target.startswith(ok + ".") for ok in LAYERS[layer])
    )
    assert offenders == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.append(top)
                        if top == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def test_no_import_cycles() -> None:
    graph = {
        # A package's __init__ naming its own modules is how packages re-export, not a cycle.
        module: {t for t in targets if not t.startswith(module + ".")}
        for module, targets in _graph().items()
    }
    assert _cycles(graph) == []


def test_layer_and_cycle_checks_can_fail() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _layer("storage.outbox") == "storage" and _layer("bot.app") is None
