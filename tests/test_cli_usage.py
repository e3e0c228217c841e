"""The command line as people type it: --config anywhere, --version, help, `chibo init`."""

from __future__ import annotations

import argparse
import logging
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from bot.core import texts

ROOT = Path(__file__).resolve().parent.parent

# Every leaf command with its required arguments. The test below fails when a command is added
# to the parser and not here, so each new one is checked too.
COMMANDS: dict[str, list[str]] = {
    "init": ["init"],
    "run": ["run"],
    "sandbox": ["sandbox"],
    "web": ["web", "--port", "0"],
    "db": ["db", "status"],
    "backup": ["backup", "copy.sqlite3"],
    "roster template": ["roster", "template", "t.xlsx"],
    "roster import": ["roster", "import", "r.xlsx"],
    "invites": ["invites", "--unit", "T", "--out", "inv"],
    "roles": ["roles", "grant", "--member", "1", "--role", "admin", "--unit", "T"],
    "bulletin publish": ["bulletin", "publish", "b.pdf"],
    "bulletin status": ["bulletin", "status", "1"],
    "meetings list": ["meetings", "list", "--unit", "T"],
    "meetings set": ["meetings", "set", "--unit", "T", "--place", "x"],
    "meetings agenda": ["meetings", "agenda", "--unit", "T", "--text", "x"],
    "meetings observe": ["meetings", "observe", "--unit", "T", "--member", "1"],
    "tasks list": ["tasks", "list", "--unit", "T"],
    "checkins export": ["checkins", "export", "--unit", "T", "--month", "2026-12", "--out", "x"],
    "dues export": ["dues", "export", "--unit", "T", "--year", "2026", "--out", "x.xlsx"],
    "members find": ["members", "find", "an"],
    "members attach": ["members", "attach", "--member", "1", "--unit", "A"],
    "members category": ["members", "category", "--member", "1", "--category", "exempt"],
    "minutes export": ["minutes", "export", "--unit", "T", "--year", "2026", "--out", "x"],
}


def _leaves(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, str]:
    """Each leaf command's name and its description."""
    found: dict[str, str] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                full = f"{prefix} {name}".strip()
                found |= _leaves(child, full) or {full: child.description or ""}
    return found


def test_every_command_has_a_vietnamese_one_line_description() -> None:
    leaves = _leaves(build_parser())
    assert set(leaves) == set(COMMANDS)
    vietnamese = re.compile(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủũứừửữựỳỵỷỹđăâêôơư]")
    for name, description in leaves.items():
        assert description and "\n" not in description, name
        assert vietnamese.search(description), name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_config_is_read_before_or_after_the_command(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CHIBO_CONFIG", raising=False)
    argv = COMMANDS[name]
    parser = build_parser()
    # A config somewhere other than ./config.toml, which is wrong on purpose: a command that
    # read it says so; one that fell back to the default would not.
    config = tmp_path / "elsewhere" / "chibo.toml"
    config.parent.mkdir()
    for args in ([*argv, "--config", str(config)], ["--config", str(config), *argv]):
        assert getattr(parser.parse_args(args), "config", None) == str(config)
    if name == "roster template":
        return  # writes an empty workbook; reads no config
    if name == "init":
        assert main([*argv, "--config", str(config)]) == 0
        assert config.is_file() and not (tmp_path / "config.toml").exists()
        config.unlink()
        assert main(["--config", str(config), *argv]) == 0
        assert config.is_file() and not (tmp_path / "config.toml").exists()
        return
    config.write_text("[telegram]\nmode = 'carrier-pigeon'\n", encoding="utf-8")
    error = texts.CLI_CONFIG_ERROR.split("{")[0]
    for args in ([*argv, "--config", str(config)], ["--config", str(config), *argv]):
        assert main(args) == 2, args
        assert capsys.readouterr().err.startswith(error), args
    assert not (tmp_path / "config.toml").exists()


def run_chibo(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`chibo ARGS` in a child process in `cwd`, with no CHIBO_ variable from this shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIBO_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_version_and_run_help(tmp_path: Path) -> None:
    version = run_chibo(tmp_path, "--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"chibo {metadata.version('chibo')}"
    helped = run_chibo(tmp_path, "run", "--help")
    assert helped.returncode == 0
    text = " ".join(helped.stdout.split())
    assert "sandbox" in text and "Telegram" in text and "Zalo" in text
    assert "chưa có token" in text


def test_init_says_the_next_step_without_log_lines(tmp_path: Path) -> None:
    done = run_chibo(tmp_path, "init", "--config", "site/config.toml")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    next_step = texts.CLI_INIT_NEXT.format(path=Path("site/config.toml"))
    assert next_step in done.stdout
    assert "[telegram] token" in next_step and "[zalo] token" in next_step
    assert "sandbox" in next_step and "chibo run" in next_step
    assert (tmp_path / "site" / "data" / "chibo.sqlite3").is_file()


def test_a_traceback_never_shows_the_token(capsys: pytest.CaptureFixture[str]) -> None:
    from bot.logs import setup_logging

    token = "123456:SECRET-token-in-a-url"
    setup_logging("INFO", [token, "webhook-hush"])
    log = logging.getLogger("chibo.test")
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{token}/sendMessage failed")
    except RuntimeError:
        log.exception("sending failed for chat %s", 42)
    try:
        try:
            raise ValueError("webhook-hush")
        except ValueError as inner:
            raise OSError(f"cause chained from {token}") from inner
    except OSError as exc:
        log.warning("chained", exc_info=exc, stack_info=True)
    err = capsys.readouterr().err
    assert "Traceback" in err and "sending failed for chat 42" in err
    assert "RuntimeError: POST https://api.telegram.org/bot<redacted>/sendMessage" in err
    assert "OSError: cause chained from <redacted>" in err
    assert token not in err and "webhook-hush" not in err
