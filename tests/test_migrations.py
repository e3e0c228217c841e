"""The migration runner: every missing migration is applied, a newer database is refused."""

from __future__ import annotations

import asyncio
import itertools
import re
import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from bot import texts
from bot.cli import main
from storage import db as storage_db
from storage.db import Database, SchemaTooNew, migrations


def test_migration_numbers_are_unique_and_increasing() -> None:
    names = sorted(
        entry.name
        for entry in resources.files("storage.migrations").iterdir()
        if entry.name.endswith(".sql")
    )
    assert names, "no migrations shipped"
    assert all(re.fullmatch(r"\d{4}_[a-z0-9_]+\.sql", name) for name in names), names
    numbers = [int(name[:4]) for name in names]
    assert len(set(numbers)) == len(numbers), names
    shipped = [version for version, _, _ in migrations()]
    assert shipped == sorted(set(numbers))
    assert all(a < b for a, b in itertools.pairwise(shipped))


def _dump(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        schema = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
        applied = conn.execute("SELECT * FROM schema_migrations ORDER BY version").fetchall()
    return [*schema, *applied]


def _newer_database(path: Path) -> tuple[int, int]:
    """A database the shipped code made, then one migration further by a newer Chibo."""

    async def create() -> None:
        db = await Database.open(path)
        await db.close()

    asyncio.run(create())
    known = migrations()[-1][0]
    newer = known + 7
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
            (newer, f"{newer:04d}_from_the_future.sql", "2031-01-01T00:00:00.000000Z"),
        )
        conn.execute("CREATE TABLE from_the_future (id INTEGER PRIMARY KEY)")
    return known, newer


def test_a_database_from_a_newer_chibo_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "data" / "chibo.sqlite3"
    known, newer = _newer_database(path)
    before = _dump(path)

    async def open_it(upgrade: bool) -> None:
        db = await Database.open(path, upgrade=upgrade)
        await db.close()

    for upgrade in (True, False):
        with pytest.raises(SchemaTooNew) as raised:
            asyncio.run(open_it(upgrade))
        assert (raised.value.found, raised.value.known) == (newer, known)
    assert _dump(path) == before


def test_the_cli_says_which_versions_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "data" / "chibo.sqlite3"
    known, newer = _newer_database(path)
    before = _dump(path)
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\npath = "{path}"\n', encoding="utf-8")
    for argv in (["db", "upgrade"], ["db", "status"], ["backup", str(tmp_path / "b.sqlite3")]):
        assert main([*argv, "--config", str(config)]) == 2
        err = capsys.readouterr().err
        assert texts.CLI_DB_TOO_NEW.format(path=path, found=newer, known=known) in err
    assert _dump(path) == before
    assert not (tmp_path / "b.sqlite3").exists()


async def test_a_migration_missing_below_the_highest_applied_is_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two branches merged: the database got 0001 and 0003 before 0002 shipped.
    shipped = [
        (1, "0001_a.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);"),
        (2, "0002_b.sql", "CREATE TABLE b (id INTEGER PRIMARY KEY);\nINSERT INTO b VALUES (1);"),
        (3, "0003_c.sql", "CREATE TABLE c (id INTEGER PRIMARY KEY);"),
    ]
    path = tmp_path / "gap.sqlite3"
    monkeypatch.setattr(storage_db, "migrations", lambda: [shipped[0], shipped[2]])
    db = await Database.open(path)
    assert await db.schema_version() == 3
    await db.close()

    monkeypatch.setattr(storage_db, "migrations", lambda: shipped)
    db = await Database.open(path, upgrade=False)
    assert [name for _, name, _ in await db.pending_migrations()] == ["0002_b.sql"]
    assert await db.upgrade() == ["0002_b.sql"]
    assert await db.pending_migrations() == []
    assert [tuple(r) for r in await db.fetchall("SELECT id FROM b")] == [(1,)]
    versions = await db.fetchall("SELECT version FROM schema_migrations ORDER BY version")
    assert [r[0] for r in versions] == [1, 2, 3]
    await db.close()


async def test_real_migrations_fill_a_gap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The shipped migrations, the last one left out at first and applied later, below nothing:
    # and the same with the one before it missing while the last is applied.
    real = migrations()
    path = tmp_path / "real.sqlite3"
    monkeypatch.setattr(storage_db, "migrations", lambda: real[:-2] + real[-1:])
    db = await Database.open(path)
    await db.close()
    monkeypatch.setattr(storage_db, "migrations", lambda: real)
    db = await Database.open(path)
    versions = await db.fetchall("SELECT version FROM schema_migrations ORDER BY version")
    assert [r[0] for r in versions] == [m[0] for m in real]
    await db.close()
