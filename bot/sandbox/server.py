"""The sandbox: the real Chibo talking to the built-in fake Telegram, plus a chat page beside it.

Chibo is built exactly as `chibo run` builds it (same `Chibo.build`, handlers, worker); only the
configuration differs: the Bot API base URL points at the fake on 127.0.0.1, the database lives in
the sandbox's data directory, and the clock is a `VirtualClock` the page's clock panel moves.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import shutil
import signal
import sys
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot import datalock
from bot.app import Chibo
from bot.core import texts
from bot.core.config import Config
from bot.roster.issues import RosterError, format_issues
from bot.roster.reader import read_roster
from bot.sandbox.clock import VirtualClock
from bot.sandbox.demo import BULLETIN_NAME, DEMO_FILES, seed_demo, write_demo_bulletin
from bot.sandbox.telegram_api import FakeTelegram
from storage.db import Database
from storage.roster import RosterRepo
from storage.sandbox import SandboxRepo

logger = logging.getLogger(__name__)

DEFAULT_DATA = "sandbox-data"
DEFAULT_PORT = 8765
STATE_FILE = "sandbox.json"
# Chats and files of the built-in Bot API, saved on a clean stop.
CHATS_FILE = "chats.json"
# Where the bot keeps uploaded bulletin PDFs (handlers.bulletin_common.files_dir).
BULLETINS_DIR = "bulletins"
# Where the bot keeps the minutes drafts (handlers.minutes_files.drafts_dir).
DRAFTS_DIR = "drafts"
BOT_USERNAME = "chibo_sandbox_bot"
# Telegram's real limits, so the sandbox shows how fast things really go out.
OVERALL_PER_SECOND = 30.0
GROUP_PER_MINUTE = 20


class SandboxRefused(Exception):
    """The sandbox will not start; the message is for the person at the terminal."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class Sandbox:
    """One running sandbox: `prepare()`, then `start()` / `stop()`."""

    def __init__(
        self,
        config: Config,
        data_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int | None = None,
        roster: list[Path] | None = None,
        out: TextIO | None = None,
        reset: bool = False,
    ) -> None:
        self.base_config = config
        self.reset_first = reset
        self.data_dir = data_dir.resolve()
        self.host = host
        self.port = DEFAULT_PORT if port is None else port
        self.port_explicit = port is not None
        self.roster = roster or []
        self.out = out or sys.stdout
        self.clock = VirtualClock()
        self.fake: FakeTelegram | None = None
        self.chibo: Chibo | None = None
        self.url = ""
        self.lock: datalock.DataLock | None = None
        self._resetting = asyncio.Lock()

    @property
    def db_path(self) -> Path:
        """The sandbox's database file."""
        return self.data_dir / "chibo.sqlite3"

    @property
    def bulletin_path(self) -> Path:
        """Where the demo bulletin PDF is kept."""
        return self.data_dir / BULLETIN_NAME

    def _say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    # -- state kept between runs ------------------------------------------------------------------

    def _load_state(self) -> None:
        path = self.data_dir / STATE_FILE
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
            self.clock.offset = timedelta(seconds=float(data.get("offset_seconds", 0)))

    def save_state(self) -> None:
        """Remember the clock offset, so sandbox time never runs backwards across restarts."""
        path = self.data_dir / STATE_FILE
        data = {"offset_seconds": self.clock.offset.total_seconds()}
        path.write_text(json.dumps(data), encoding="utf-8")

    # -- lifecycle --------------------------------------------------------------------------------

    async def prepare(self, *, reset: bool = False) -> None:
        """Check the data directory is the sandbox's own, seed it on first use, link everyone;
        with `reset`, start the training over from a fresh demo organisation."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.lock is None:
            # One sandbox per data folder: a second one would share the database and the clock.
            self.lock = datalock.acquire(self.db_path)
        try:
            if reset:
                await self._check_own_data()
                self.remove_data()
                self._say(texts.CLI_SANDBOX_RESET.format(data=self.data_dir))
            self._load_state()
            await self._prepare()
        except BaseException:
            self.lock.release()
            self.lock = None
            raise

    async def _check_own_data(self) -> None:
        """Refuse a database holding real linked accounts: the sandbox never touches those."""
        if not self.db_path.exists():
            return
        db = await Database.open(self.db_path)
        try:
            foreign = await SandboxRepo(db).foreign_accounts()
        finally:
            await db.close()
        if foreign:
            raise SandboxRefused([texts.SANDBOX_REAL_DATA.format(path=self.db_path, count=foreign)])

    def remove_data(self) -> None:
        """Delete what the sandbox wrote in its data folder (nothing else there is touched)."""
        names = [
            self.db_path.name,
            f"{self.db_path.name}-wal",
            f"{self.db_path.name}-shm",
            STATE_FILE,
            CHATS_FILE,
            BULLETIN_NAME,
            *DEMO_FILES,
        ]
        for name in names:
            (self.data_dir / name).unlink(missing_ok=True)
        shutil.rmtree(self.data_dir / BULLETINS_DIR, ignore_errors=True)
        shutil.rmtree(self.data_dir / DRAFTS_DIR, ignore_errors=True)
        self.clock.offset = timedelta(0)

    async def reset(self) -> None:
        """«Làm lại từ đầu» on the page: the same as `chibo sandbox --reset`, without a restart.
        The page is served by the fake itself, so the fake stays up and forgets its chats."""
        async with self._resetting:  # a second press waits, then starts over once more
            await self._reset()

    async def _reset(self) -> None:
        if self.chibo is not None:
            await self.chibo.stop()
            self.chibo = None
        if self.fake is not None:
            self.fake.forget_chats()
        self.remove_data()
        await self._prepare()
        await self._start_bot()

    async def _prepare(self) -> None:
        db = await Database.open(self.db_path)
        try:
            repo = SandboxRepo(db)
            foreign = await repo.foreign_accounts()
            if foreign:
                raise SandboxRefused(
                    [texts.SANDBOX_REAL_DATA.format(path=self.db_path, count=foreign)]
                )
            now = self.clock.now()
            if self.roster:
                await self._import_roster(db)
            elif await repo.member_count() == 0:
                await seed_demo(db, self.data_dir, now)
                units = len(await repo.unit_order())
                self._say(
                    texts.SANDBOX_SEEDED.format(
                        units=units, members=await repo.member_count(), data=self.data_dir
                    )
                )
            else:
                self._say(
                    texts.SANDBOX_REUSED.format(
                        data=self.data_dir, members=await repo.member_count()
                    )
                )
            await repo.link_all(now)
            if not self.bulletin_path.exists():
                write_demo_bulletin(self.bulletin_path, now.date())
        finally:
            await db.close()
        self.save_state()

    async def _import_roster(self, db: Database) -> None:
        repo = RosterRepo(db)
        known = await repo.unit_parents()
        try:
            roster = await asyncio.to_thread(
                read_roster,
                self.roster,
                known_units=known,
                today=self.clock.now().astimezone(self.base_config.general.tz).date(),
            )
        except RosterError as exc:
            lines = [texts.SANDBOX_ROSTER_REFUSED.format(count=len(exc.issues))]
            lines += [f"  {line}" for line in format_issues(exc.issues, 50)]
            raise SandboxRefused(lines) from exc
        if not roster.members:
            raise SandboxRefused([texts.SANDBOX_ROSTER_EMPTY])
        await repo.import_roster(roster, self.clock.now())
        names = ", ".join(p.name for p in self.roster)
        self._say(
            texts.SANDBOX_ROSTER_IMPORTED.format(
                path=names, units=len(roster.units), members=len(roster.members)
            )
        )

    def sandbox_config(self, fake: FakeTelegram) -> Config:
        """The real configuration with the sandbox's database, Bot API and bot account."""
        base = self.base_config
        return replace(
            base,
            database=replace(base.database, path=str(self.db_path)),
            telegram=replace(
                base.telegram,
                token=fake.token,
                base_url=fake.base_url,
                base_file_url=fake.base_file_url,
                mode="polling",
                bot_username=BOT_USERNAME,
                webhook_secret="",
            ),
        )

    async def start(self) -> None:
        """Serve the fake Bot API and the page, then start Chibo against them."""
        from bot.sandbox.web_api import SandboxWeb

        token = f"{secrets.randbelow(10**9) + 10**9}:SANDBOX-{secrets.token_urlsafe(16)}"
        self.fake = FakeTelegram(
            token=token,
            bot_username=BOT_USERNAME,
            clock=self.clock,
            overall_per_second=OVERALL_PER_SECOND,
            group_per_minute=GROUP_PER_MINUTE,
        )
        self.fake.bot_user["first_name"] = "Chibo"
        chats = self.data_dir / CHATS_FILE
        if chats.is_file():
            # The bot keeps file_ids of what it uploaded: the fake must still know those files.
            self.fake.import_chats(json.loads(chats.read_text(encoding="utf-8")))
        web_api = SandboxWeb(self)
        try:
            await self.fake.start(self.host, self.port, extra_routes=web_api.add_routes)
        except OSError as exc:
            if self.port == DEFAULT_PORT and not self.port_explicit:
                # The usual port is taken (another sandbox?): any free one will do.
                await self.fake.stop()
                await self.fake.start(self.host, 0, extra_routes=web_api.add_routes)
            else:
                raise SandboxRefused(
                    [texts.SANDBOX_PORT_BUSY.format(host=self.host, port=self.port, error=exc)]
                ) from exc
        await self._start_bot()
        shown_host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        self.url = f"http://{shown_host}:{self.fake.port}/"
        self._say(texts.SANDBOX_READY.format(url=self.url))
        self._say(texts.SANDBOX_STOP_HINT)

    async def _start_bot(self) -> None:
        """Build and start Chibo against the running fake; its planners have run once when
        this returns, so the page shows the coming meetings from the first minute."""
        assert self.fake is not None
        self.chibo = await Chibo.build(self.sandbox_config(self.fake), clock=self.clock)
        for person in await SandboxRepo(self.chibo.db).people():
            self.fake.user(person.user_id, first_name=person.full_name)
        await self.chibo.start()

    async def stop(self) -> None:
        """Stop Chibo, then the fake; the database and clock offset stay for the next run."""
        if self.chibo is not None:
            await self.chibo.stop()
            self.chibo = None
        if self.fake is not None:
            await self.fake.stop()
            if self.data_dir.is_dir():
                chats = self.fake.export_chats()
                (self.data_dir / CHATS_FILE).write_text(json.dumps(chats), encoding="utf-8")
            self.fake = None
        if self.data_dir.is_dir():
            self.save_state()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    async def advance(self, delta: timedelta) -> datetime:
        """Move sandbox time, run the planners once and let the worker look at the outbox."""
        now = self.clock.advance(delta)
        self.save_state()
        if self.chibo is not None:
            await self.chibo.tick()
            self.chibo.worker.wake()
        return now

    async def run_until_signal(self) -> None:
        """Prepare, start, and run until SIGINT or SIGTERM."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await self.prepare(reset=self.reset_first)
        try:
            await self.start()
            await stop.wait()
        finally:
            await self.stop()
            self._say(texts.SANDBOX_STOPPED)


async def run_sandbox(
    config: Config,
    *,
    data: Path | None = None,
    host: str = "127.0.0.1",
    port: int | None = None,
    roster: list[Path] | None = None,
    reset: bool = False,
) -> int:
    """`chibo sandbox` and `chibo run` without a token: 0 after a clean stop, 1 if refused."""
    sandbox = Sandbox(
        config,
        data or config.base_dir / DEFAULT_DATA,
        host=host,
        port=port,
        roster=roster,
        reset=reset,
    )
    try:
        await sandbox.run_until_signal()
    except SandboxRefused as exc:
        for line in exc.lines:
            print(line, file=sys.stderr, flush=True)
        return 1
    return 0
