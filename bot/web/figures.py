"""The dashboard's figures: computed through the viewer's scope, kept a short while (a page, its
charts and its exports are read together), and the largest units' computed ahead in a worker
thread so their pages do not wait."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.core import texts
from bot.web.session import Refused
from handlers.context import Ctx
from handlers.dashboard import Dashboard, Period, build
from storage.db import Database

logger = logging.getLogger(__name__)

# Computed figures are kept this long (seconds): a page, its charts and its exports are read
# together, and a province's figures take a while.
CACHE_SECONDS = 120
CACHE_SIZE = 64


class Figures:
    """Units' figures for the pages, from a small cache; `start_warming` keeps the top units'."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.web = ctx.config.web
        self.scope = ctx.dashboard
        self._cache: dict[tuple[Any, ...], tuple[datetime, Dashboard]] = {}
        # Units whose figures the warming task keeps (kept when the cache is trimmed).
        self._warm_units: set[int] = set()
        self._warm_task: asyncio.Task[None] | None = None

    async def board(
        self, unit_id: int, roots: list[int], period: Period, *, members: bool = True
    ) -> Dashboard:
        """The unit's figures if it is within `roots` (checked in SQL on every call), from the
        cache when fresh, with the path above it as far as the viewer may see."""
        ancestors = await self.scope.ancestors_in_scope(unit_id, roots)
        if not ancestors:
            raise Refused(403, texts.PAGE_FORBIDDEN, home=True)
        key = (unit_id, period, members)
        now = self.ctx.now()
        hit = self._cache.get(key)
        if hit is not None and hit[0] > now:
            board = hit[1]
        else:
            found = await build(self.ctx, unit_id, roots, period, with_members=members)
            if found is None:
                raise Refused(403, texts.PAGE_FORBIDDEN, home=True)
            board = found
            self._remember(key, board, now + timedelta(seconds=CACHE_SECONDS))
        # A copy: the list of units below may be sorted, the path is the viewer's.
        return replace(board, path=ancestors, children=list(board.children))

    async def board_for(self, unit_id: int, roots: list[int], period: Period) -> Dashboard | None:
        """`board` for other callers (the /tongket chart): None when out of scope."""
        try:
            return await self.board(unit_id, roots, period, members=False)
        except Refused:
            return None

    def _remember(self, key: tuple[Any, ...], board: Dashboard, until: datetime) -> None:
        if len(self._cache) >= CACHE_SIZE:
            self._cache = {k: v for k, v in self._cache.items() if k[0] in self._warm_units}
        self._cache[key] = (until, board)

    # -- warming: the largest units' figures computed ahead, away from the event loop ------

    def start_warming(self) -> None:
        """Keep the top units' figures warm in the background, when configured."""
        if self.web.warm_minutes > 0:
            self._warm_task = asyncio.create_task(self._warm_loop(), name="dashboard-warm")

    async def stop_warming(self) -> None:
        """Stop the background warming, if it runs."""
        if self._warm_task is not None:
            self._warm_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._warm_task
            self._warm_task = None

    async def warm_once(self) -> int:
        """Compute the top units' figures for this month and year in a worker thread (its own
        event loop and database connection) and keep them; returns how many were computed."""
        started = self.ctx.now()
        boards = await asyncio.to_thread(asyncio.run, self._warm_boards())
        interval = timedelta(minutes=max(self.web.warm_minutes, 1))
        for key, board in boards:
            self._warm_units.add(key[0])
            self._remember(key, board, started + 2 * interval)
        logger.info("dashboard figures warmed: %s boards", len(boards))
        return len(boards)

    async def _warm_boards(self) -> list[tuple[tuple[Any, ...], Dashboard]]:
        db = await Database.open(self.ctx.db.path, upgrade=False)
        try:
            ctx = Ctx.build(db, self.ctx.config, self.ctx.clock)
            local = ctx.now().astimezone(ctx.config.general.tz)
            found = []
            for unit in await ctx.dashboard.top_units():
                for period in (Period(local.year, local.month), Period(local.year, None)):
                    board = await build(ctx, unit, [unit], period)
                    if board is not None:
                        found.append(((unit, period, True), board))
            return found
        finally:
            await db.close()

    async def _warm_loop(self) -> None:
        while True:
            try:
                await self.warm_once()
            except Exception:
                logger.exception("warming the dashboard's figures failed")
            await self.ctx.clock.sleep(self.web.warm_minutes * 60)
