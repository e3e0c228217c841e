"""Starting the sandbox from the command line: fresh data, second start, rosters, real data."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bot.core import texts
from storage.sandbox import SANDBOX_USER_BASE
from tests.rosters import build_roster, write_xlsx

ROOT = Path(__file__).resolve().parent.parent
READY = texts.SANDBOX_READY.split("{", 1)[0]


class Running:
    """A `chibo` process whose stdout is read line by line on a thread."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, prefix: str, timeout: float = 30.0) -> str:
        """The first stdout line starting with `prefix`; fails if the process ends first."""
        while True:
            line = self.lines.get(timeout=timeout)
            if line is None:
                raise AssertionError(f"process ended before {prefix!r}; stdout: {self.seen}")
            self.seen.append(line)
            if line.startswith(prefix):
                return line


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIBO_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


@contextmanager
def chibo(tmp_path: Path, *args: str) -> Iterator[Running]:
    stderr = (tmp_path / "stderr.log").open("a", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(tmp_path / "config.toml"), *args],
        cwd=tmp_path,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )
    try:
        yield Running(proc)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
            stderr.close()


def run_to_end(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(tmp_path / "config.toml"), *args],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )


def _members(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM members").fetchone()[0])


def test_run_without_token_opens_the_sandbox_and_a_second_start_reuses_it(
    tmp_path: Path,
) -> None:
    assert run_to_end(tmp_path, "init").returncode == 0
    with chibo(tmp_path, "run") as running:
        line = running.wait_for(READY, timeout=30)
        url = line.split(": ", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:")
        people = httpx.get(url + "api/people", timeout=10).json()
        names = [p["name"] for g in people["groups"] for p in g["people"]]
        assert len(set(names)) == 30
        assert any(line.startswith(texts.SANDBOX_SEEDED.split("{")[0]) for line in running.seen)
        running.proc.send_signal(signal.SIGINT)
        running.wait_for(texts.SANDBOX_STOPPED)
        assert running.proc.wait(timeout=30) == 0
    data = tmp_path / "sandbox-data"
    assert (data / "thong-tin-tu-tuong-demo.pdf").read_bytes().startswith(b"%PDF")
    assert _members(data / "chibo.sqlite3") == 30
    # The real database from `chibo init` stays untouched.
    assert _members(tmp_path / "data" / "chibo.sqlite3") == 0

    with chibo(tmp_path, "sandbox", "--port", "0") as running:
        running.wait_for(READY)
        reused = texts.SANDBOX_REUSED.format(data=data, members=30)
        assert reused in running.seen
    assert _members(data / "chibo.sqlite3") == 30


def test_bad_roster_is_refused_with_the_vietnamese_errors(tmp_path: Path) -> None:
    bad = tmp_path / "ds.csv"
    header = ",".join(texts.ROSTER_MEMBER_HEADERS.values())
    bad.write_text(f"{header}\n1,,01/01/1970,Nam,,,KHONG-CO,,\n", encoding="utf-8")
    result = run_to_end(
        tmp_path, "sandbox", "--port", "0", "--data", "tap-huan", "--roster", str(bad)
    )
    assert result.returncode == 1
    refused = texts.SANDBOX_ROSTER_REFUSED.split("{")[0]
    assert refused in result.stderr
    assert "ds.csv" in result.stderr
    assert READY not in result.stdout
    assert _members(tmp_path / "tap-huan" / "chibo.sqlite3") == 0


def test_a_real_roster_trains_on_its_members(tmp_path: Path) -> None:
    roster = write_xlsx(build_roster(members=40, cells=3, seed=7), tmp_path / "ds.xlsx")
    with chibo(tmp_path, "sandbox", "--port", "0", "--roster", str(roster)) as running:
        url = running.wait_for(READY).split(": ", 1)[1].strip()
        people = httpx.get(url + "api/people", timeout=10).json()
        ids = {p["user_id"] for g in people["groups"] for p in g["people"]}
        assert len(ids) == 40
        assert min(ids) > SANDBOX_USER_BASE
