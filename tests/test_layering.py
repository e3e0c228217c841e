"""The layout's boundaries: only bot/ may talk to a chat platform; only storage/ writes SQL."""

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
    allowed = {"bot/cli.py", "bot/textnorm.py", "storage/units.py"}
    offenders = []
    for package in ("bot", "handlers", "scheduler", "storage"):
        for path in (ROOT / package).rglob("*.py"):
            rel = str(path.relative_to(ROOT))
            # Feature text modules (bot/texts_<feature>.py) are part of the catalogue.
            if rel in allowed or rel.startswith(("bot/sandbox/", "bot/texts")):
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
    "bot/clock.py",
    "bot/cli.py",
    "bot/app.py",
    "bot/sandbox/clock.py",
    "bot/sandbox/telegram_api/fake.py",
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
