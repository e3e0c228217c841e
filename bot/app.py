"""Wiring: storage, handlers, the Telegram adapter, the scheduler and the delivery worker."""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
from urllib.parse import urlsplit

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from telegram.ext import Application

from bot import datalock
from bot.channels.intake import Intake
from bot.channels.telegram import build_telegram_application, set_command_menu
from bot.channels.zalo_channel import ZaloChannel
from bot.core.clock import Clock, SystemClock
from bot.core.config import Config
from bot.core.delivery import Sender
from bot.web.photos import chart_photo
from bot.web.server import WebDashboard
from handlers import Dispatcher, menu_commands, renderer
from handlers.bulletin_common import files_dir
from handlers.context import Ctx
from handlers.minutes_files import drafts_dir, sweep_stray_drafts
from scheduler import (
    checkin_planner,
    dues_planner,
    meeting_planner,
    papers_planner,
    planners,
    retention,
)
from scheduler.answers import AnswerLane
from scheduler.bulletin_progress import report_bulletins
from scheduler.pacing import SendBudget
from scheduler.worker import DeliveryWorker, budget_for
from storage.db import Database
from storage.files import FileIdRepo
from storage.outbox import OutboxMessage

logger = logging.getLogger(__name__)

# How often the planners look for due work. Everything they do is derived from the database,
# so a missed tick only delays work.
TICK_SECONDS = 30
RETENTION_SECONDS = 3600


class Chibo:
    """One running bot: build with `Chibo.build`, then `start()` / `stop()`."""

    def __init__(
        self,
        config: Config,
        db: Database,
        ctx: Ctx,
        application: Application | None,  # type: ignore[type-arg]
        worker: DeliveryWorker,
        zalo: ZaloChannel | None = None,
    ) -> None:
        self.config = config
        self.db = db
        self.ctx = ctx
        # Either channel may be configured alone; at least one is.
        self.application = application
        self.zalo = zalo
        self.worker = worker
        self.scheduler: AsyncIOScheduler | None = None
        self._worker_task: asyncio.Task[None] | None = None
        self._stopped = False
        self.lock: datalock.DataLock | None = None
        self.web: WebDashboard | None = None

    @classmethod
    async def build(cls, config: Config, *, clock: Clock | None = None) -> Chibo:
        """Open the database and build every part; nothing talks to the network yet."""
        if not config.telegram.token and not config.zalo.token:
            raise ValueError("no Telegram or Zalo token configured")
        clock = clock or SystemClock()
        # A second `chibo run` on the same database is refused before anything is opened.
        lock = datalock.acquire(config.db_path)
        try:
            db = await Database.open(config.db_path)
        except BaseException:
            lock.release()
            raise
        ctx = Ctx.build(db, config, clock)
        dispatcher = Dispatcher(ctx)
        senders: dict[str, Sender] = {}
        # One sending budget per bot account, shared by its direct answers and the delivery
        # worker (scheduler/pacing.py); the worker is told when an answer lets a chat go.
        budgets: dict[str, SendBudget] = {}
        lanes: list[AnswerLane] = []

        def lane_for(budget: SendBudget) -> AnswerLane:
            lane = AnswerLane(
                budget,
                clock,
                max_attempts=config.delivery.max_attempts,
                backoff_base=config.delivery.backoff_base,
            )
            lanes.append(lane)
            return lane

        application = None
        if config.telegram.token:
            budgets["telegram"] = budget_for(config.delivery, clock)
            intake = Intake(db, "telegram", clock)
            application = build_telegram_application(
                config,
                dispatcher,
                budget=budgets["telegram"],
                lane=lane_for(budgets["telegram"]),
                intake=intake,
            )
            sender = application.bot_data["sender"]
            senders["telegram"] = sender
            # Bulletin files: uploaded once per bot, the file id kept across restarts.
            sender.uploads.store = FileIdRepo(db)

            async def download(channel: str, file_id: str) -> bytes:
                data: bytes = await sender.download(file_id)
                return data

            ctx.download_file = download
        zalo = None
        if config.zalo.token:
            zalo = ZaloChannel(config, db, clock, dispatcher)
            zalo.files_dir = files_dir(config)
            zalo.drafts_dir = drafts_dir(config)
            senders["zalo"] = zalo.sender
            budgets["zalo"] = zalo.sender.budget
            lanes.append(zalo.sender.lane)

        async def unreachable(msg: OutboxMessage) -> None:
            await planners.on_unreachable(ctx, msg)

        worker = DeliveryWorker(
            db,
            senders,
            clock,
            config.delivery,
            on_unreachable=unreachable,
            render=renderer(ctx),
            budgets=budgets,
        )
        for lane in lanes:
            lane.on_release = worker.kick
        ctx.wake_outbox = worker.wake
        chibo = cls(config, db, ctx, application, worker, zalo)
        chibo.lock = lock
        # The committees' dashboard, served beside the bot when [web] port is set; the /tongket
        # chart then uses its figures (cached, and warmed ahead for the largest units).
        chibo.web = WebDashboard(ctx) if config.web.port else None
        ctx.chart_photo = chart_photo(ctx, chibo.web.board_for if chibo.web else None)
        return chibo

    async def tick(self) -> None:
        """Run every planner once."""
        await planners.report_notices(self.ctx)
        await report_bulletins(self.ctx)
        await meeting_planner.plan_meetings(self.ctx)
        # After the meetings: check-in rounds follow the meeting dates just planned.
        await checkin_planner.plan_checkins(self.ctx)
        # The agenda and documents ahead follow the meeting dates too.
        await papers_planner.plan_papers(self.ctx)
        await dues_planner.plan_dues(self.ctx)

    async def _safe_tick(self) -> None:
        try:
            await self.tick()
        except Exception:
            # A failing planner must not stop the scheduler; the next tick retries.
            logger.exception("planner tick failed")

    async def _safe_prune(self) -> None:
        try:
            await retention.prune(self.ctx)
        except Exception:
            logger.exception("retention pass failed")

    async def start(self) -> None:
        """Run the planners once, then connect to Telegram and/or Zalo, start receiving updates,
        the worker and the scheduler."""
        # Before the first update is taken: `/lichhop` in the first minute finds the meetings
        # the planner creates, rather than nothing until the first interval tick.
        await self._safe_tick()
        # Nothing is uploaded yet, so no document's file can be mistaken for a stray draft.
        try:
            await sweep_stray_drafts(self.ctx)
        except OSError:
            logger.exception("sweeping old drafts failed")
        if self.application is not None:
            await self._start_telegram(self.application)
        if self.zalo is not None:
            await self.zalo.start()
        self._start_background()
        if self.web is not None:
            await self.web.start()
        logger.info(
            "chibo ready: telegram %s, zalo %s",
            self.config.telegram.mode if self.application is not None else "off",
            self.config.zalo.mode if self.zalo is not None else "off",
        )

    async def _start_telegram(self, app: Application) -> None:  # type: ignore[type-arg]
        await app.initialize()
        if not self.ctx.bot_username:
            self.ctx.bot_username = app.bot.username
        await set_command_menu(app, menu_commands())
        inbox = app.bot_data.get("inbox")
        if inbox is not None:
            # Before the Updater runs: what a previous run left unhandled goes first.
            await inbox.start(app.bot)
        await app.start()
        assert app.updater is not None
        tg = self.config.telegram
        if tg.mode == "webhook":
            secret = tg.webhook_secret or secrets.token_urlsafe(32)
            await app.updater.start_webhook(
                listen=tg.webhook_listen,
                port=tg.webhook_port,
                url_path=urlsplit(tg.webhook_url).path.lstrip("/"),
                webhook_url=tg.webhook_url,
                secret_token=secret,
                allowed_updates=["message", "callback_query"],
            )
        else:
            await app.updater.start_polling(allowed_updates=["message", "callback_query"])

    def _start_background(self) -> None:
        self._worker_task = asyncio.create_task(self.worker.run(), name="delivery-worker")
        self.scheduler = AsyncIOScheduler(timezone=self.config.general.tz)
        self.scheduler.add_job(
            self._safe_tick,
            "interval",
            seconds=TICK_SECONDS,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=TICK_SECONDS,
        )
        # Hourly: a chunked delete of what fell out of the retention window, cheap when nothing did.
        self.scheduler.add_job(
            self._safe_prune,
            "interval",
            seconds=RETENTION_SECONDS,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=RETENTION_SECONDS,
        )
        self.scheduler.start()

    async def stop(self) -> None:
        """Stop taking updates, let in-flight sends finish, close everything. Queued rows stay."""
        if self._stopped:
            return
        self._stopped = True
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        app = self.application
        if app is not None and app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app is not None and app.running:
            await app.stop()
        if self.zalo is not None:
            await self.zalo.stop()
        if self.web is not None:
            await self.web.stop()
        await self.worker.stop()
        if self._worker_task is not None:
            await self._worker_task
        if app is not None:
            await app.shutdown()
        await self.db.close()
        if self.lock is not None:
            self.lock.release()
        logger.info("chibo stopped")

    async def run_until_signal(self) -> None:
        """Run until SIGINT or SIGTERM, then stop cleanly."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await self.start()
        try:
            await stop.wait()
        finally:
            await self.stop()
