"""The delivery worker end to end: real SQLite, the real PTB Application, a fake Bot API on HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram.ext import Application

from bot.channels.aiohttp_request import AiohttpRequest
from bot.channels.telegram import TelegramSender, build_telegram_application
from bot.core.clock import FakeClock
from bot.core.config import Config, parse_config
from bot.core.delivery import Sender
from bot.core.types import Document, Incoming, Reply
from bot.sandbox.telegram_api import FakeTelegram
from scheduler.worker import DeliveryWorker
from storage.db import Database
from storage.outbox import NewMessage, OutboxMessage, OutboxRepo, Outcome

GROUP = -1001234567890


async def _no_dispatch(incoming: Incoming) -> list[Reply]:
    return []


class CountingSender:
    """Wraps the real sender to observe concurrency, and to fail in ways Telegram cannot."""

    channel = "telegram"

    def __init__(self, inner: Sender) -> None:
        self.inner = inner
        self.in_flight = 0
        self.max_in_flight = 0
        self.started = 0
        self.raise_next: list[BaseException] = []
        self.changed = asyncio.Event()

    async def send(self, chat_id: str, reply: Reply) -> str:
        self.in_flight += 1
        self.started += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        self.changed.set()
        try:
            if self.raise_next:
                raise self.raise_next.pop(0)
            return await self.inner.send(chat_id, reply)
        finally:
            self.in_flight -= 1

    async def wait_started(self, count: int) -> None:
        async with asyncio.timeout(10):
            while self.started < count:
                self.changed.clear()
                await self.changed.wait()


@dataclass
class Env:
    tmp_path: Path
    clock: FakeClock
    fake: FakeTelegram
    db: Database
    config: Config
    application: Application  # type: ignore[type-arg]
    sender: CountingSender
    running: list[tuple[DeliveryWorker, asyncio.Task[None]]] = field(default_factory=list)

    @property
    def outbox(self) -> OutboxRepo:
        return OutboxRepo(self.db)

    def worker(
        self,
        *,
        on_unreachable: Callable[[OutboxMessage], Any] | None = None,
        batch_size: int = 500,
        **delivery: Any,
    ) -> DeliveryWorker:
        """A worker on this environment, started; stopped at teardown."""
        raw = {"overall_per_second": 1_000_000.0, **delivery}
        config = parse_config(
            {"telegram": _telegram(self.fake), "delivery": raw}, self.tmp_path, env={}
        )
        worker = DeliveryWorker(
            self.db,
            {"telegram": self.sender},
            self.clock,
            config.delivery,
            on_unreachable=on_unreachable,
            batch_size=batch_size,
        )
        task = asyncio.create_task(worker.run())
        self.running.append((worker, task))
        return worker

    async def enqueue(self, chats: list[int], key: str = "m", text: str = "Tin {n}") -> int:
        messages = [
            NewMessage(f"{key}:{n}", "telegram", str(chat), Reply(text.format(n=n)))
            for n, chat in enumerate(chats)
        ]
        return await self.outbox.enqueue(messages, self.clock.now())

    async def rows(self) -> list[Any]:
        return await self.db.fetchall("SELECT * FROM outbox ORDER BY id")

    def sends(self, chat: int | None = None) -> list[Any]:
        return [
            c
            for c in self.fake.calls
            if c.method == "sendMessage" and (chat is None or c.params.get("chat_id") == chat)
        ]


def _telegram(fake: FakeTelegram) -> dict[str, str]:
    return {"token": fake.token, "base_url": fake.base_url, "base_file_url": fake.base_file_url}


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Env]:
    clock = FakeClock()
    # The fake enforces Telegram's limits on the same fake clock: any 429 it sends on its own
    # (`too_many_requests`) means the worker broke a limit.
    fake = FakeTelegram(clock=clock, private_chat_interval=1.0, group_per_minute=20)
    await fake.start()
    db = await Database.open(tmp_path / "db.sqlite3")
    config = parse_config({"telegram": _telegram(fake)}, tmp_path, env={})
    application = build_telegram_application(config, _no_dispatch)
    async with application:
        env = Env(
            tmp_path,
            clock,
            fake,
            db,
            config,
            application,
            CountingSender(TelegramSender(application)),
        )
        try:
            yield env
        finally:
            for worker, task in env.running:
                await worker.stop()
                await task
    await db.close()
    await fake.stop()
    assert fake.violations == [], fake.violations
    assert fake.too_many_requests == 0


async def step_until(
    env: Env, worker: DeliveryWorker, done: Callable[[], bool], step: float
) -> float:
    """Advance the fake clock in small steps until `done()`; returns the fake time it took."""
    start = env.clock.monotonic()
    for _ in range(100_000):
        await worker.wait_quiet()
        if done():
            return env.clock.monotonic() - start
        await env.clock.advance(step)
    raise AssertionError("never done")


async def test_every_recipient_gets_exactly_one_message(env: Env) -> None:
    chats = [10_000 + i for i in range(200)]
    env.fake.delay = 0.005  # keep sends overlapping, to see the concurrency cap at work
    worker = env.worker(concurrency=8)
    assert await env.enqueue(chats) == 200
    worker.wake()
    await worker.wait_idle()

    for n, chat in enumerate(chats):
        [message] = env.fake.sent_to(chat)
        assert message["text"] == f"Tin {n}"
    rows = await env.rows()
    assert {r["status"] for r in rows} == {"sent"}
    by_chat = {int(r["chat_id"]): r for r in rows}
    for chat in chats:
        assert by_chat[chat]["message_id"] == str(env.fake.sent_to(chat)[0]["message_id"])
        assert by_chat[chat]["attempts"] == 1
    assert (worker.sent, worker.failed, worker.retried) == (200, 0, 0)
    assert env.sender.max_in_flight == 8


async def test_dedupe_key_makes_double_enqueue_harmless(env: Env) -> None:
    worker = env.worker()
    assert await env.enqueue([501, 502]) == 2
    assert await env.enqueue([501, 502]) == 0  # a planner running twice
    worker.wake()
    await worker.wait_idle()
    assert await env.enqueue([501, 502]) == 0  # and again after delivery
    worker.wake()
    await worker.wait_idle()
    assert len(env.sends(501)) == 1
    assert len(env.sends(502)) == 1
    assert len(await env.rows()) == 2


async def test_private_chat_gets_at_most_one_message_per_second(env: Env) -> None:
    worker = env.worker()
    await env.enqueue([700, 700, 700, 701], text="Phần {n}")
    worker.wake()
    await env.fake.wait_sent(700, 1)
    await env.fake.wait_sent(701, 1)  # the busy chat does not hold the other one back
    await worker.wait_quiet()
    assert len(env.sends(700)) == 1

    await env.clock.advance(0.9)
    await worker.wait_quiet()
    assert len(env.sends(700)) == 1
    await env.clock.advance(0.1)
    await env.fake.wait_sent(700, 2)
    await worker.wait_quiet()
    assert len(env.sends(700)) == 2
    await env.clock.advance(1.0)
    await worker.wait_idle()
    assert [m["text"] for m in env.fake.sent_to(700)] == ["Phần 0", "Phần 1", "Phần 2"]
    times = [c.at for c in env.sends(700)]
    assert times[1] - times[0] >= 1.0
    assert times[2] - times[1] >= 1.0


async def test_overall_rate_stays_under_30_per_second_and_close_to_it(env: Env) -> None:
    env.fake.overall_per_second = 30.0
    env.fake.reset()  # start its token bucket afresh with the new limit
    chats = [20_000 + i for i in range(90)]
    worker = env.worker(overall_per_second=30.0)
    await env.enqueue(chats)
    worker.wake()
    took = await step_until(env, worker, lambda: len(env.sends()) == 90, 0.01)

    times = [c.at for c in env.sends()]
    for i in range(len(times) - 30):
        assert times[i + 30] - times[i] > 1.0, "31 sends within one second"
    # Close to it: no slower than 95 % of the limit. (Not "first to last at most 30/s": the
    # platform counts any one second, above, and 30 may go at once when the window allows.)
    rate = 89 / (times[-1] - times[0])
    assert rate >= 0.95 * 30
    assert took < 90 / (0.95 * 30)
    await worker.wait_idle()


async def test_group_chat_gets_at_most_20_a_minute_and_does_not_block_others(env: Env) -> None:
    worker = env.worker()
    await env.enqueue([GROUP] * 22, key="g")
    await env.enqueue([800], key="p")
    worker.wake()
    await env.fake.wait_sent(800, 1)
    took = await step_until(env, worker, lambda: len(env.sends(GROUP)) == 20, 1.0)
    assert took < 25
    # The 21st waits for the first one to leave the 60-second window.
    await step_until(env, worker, lambda: len(env.sends(GROUP)) == 22, 1.0)
    times = [c.at for c in env.sends(GROUP)]
    assert times[20] - times[0] >= 60.0
    assert times[21] - times[1] >= 60.0
    await worker.wait_idle()


async def test_429_holds_its_chat_for_retry_after_and_slows_the_rest_without_stopping(
    env: Env,
) -> None:
    env.fake.fail_next("sendMessage", status=429, retry_after=5, chat_id=901)
    worker = env.worker(overall_per_second=100.0)
    await env.enqueue([901], key="a")
    worker.wake()
    await env.fake.wait_for(lambda c: c.status == 429)
    await worker.wait_quiet()
    [row] = await env.rows()
    assert (row["status"], row["attempts"], row["last_error"]) == ("pending", 1, "retry_after")
    budget = worker.budgets["telegram"]
    assert budget.factor < 1.0  # a step slower

    # Another chat is not paused: no blanket stop for the whole bot.
    await env.enqueue([902], key="b")
    worker.wake()
    await env.fake.wait_sent(902, 1)
    await env.enqueue([901], key="c")  # but the chat that got the 429 waits its retry_after
    worker.wake()
    await worker.wait_quiet()
    await env.clock.advance(4.9)
    await worker.wait_quiet()
    assert env.fake.sent_to(901) == []

    await env.clock.advance(0.1)
    await env.fake.wait_sent(901, 1)
    await worker.wait_quiet()
    await env.clock.advance(1.0)
    await env.fake.wait_sent(901, 2)
    await worker.wait_idle()
    assert [m["text"] for m in env.fake.sent_to(901)] == ["Tin 0", "Tin 0"]
    assert {r["status"] for r in await env.rows()} == {"sent"}
    assert (worker.sent, worker.retried) == (3, 1)
    # The slow-down recovers with time.
    await env.clock.advance(30.0)
    assert budget.available(env.clock.monotonic()) >= 1
    budget.take(0, env.clock.monotonic())
    assert budget.factor == 1.0


async def test_server_errors_are_retried_with_backoff_then_succeed(env: Env) -> None:
    env.fake.fail_next("sendMessage", status=502, times=1, chat_id=950)
    env.fake.fail_next("sendMessage", status=500, times=1, chat_id=950)
    worker = env.worker(backoff_base=2.0)
    await env.enqueue([950])
    worker.wake()
    await env.fake.wait_for(lambda c: c.status == 502)
    await worker.wait_quiet()
    # First retry after 2 s (plus up to 10% jitter), the second after 4 s.
    await env.clock.advance(1.9)
    await worker.wait_quiet()
    assert len(env.sends(950)) == 1
    await env.clock.advance(0.4)
    await env.fake.wait_for(lambda c: c.status == 500)
    await worker.wait_quiet()
    await env.clock.advance(3.9)
    await worker.wait_quiet()
    assert len(env.sends(950)) == 2
    await env.clock.advance(0.5)
    await env.fake.wait_sent(950, 1)
    await worker.wait_idle()
    [row] = await env.rows()
    assert (row["status"], row["attempts"]) == ("sent", 3)
    assert (worker.sent, worker.retried) == (1, 2)


async def test_a_timeout_is_retried(env: Env) -> None:
    # A short read timeout, so the test does not wait PTB's default 5 s (the Application and
    # its request backend stay the production ones).
    request = env.application.bot.request
    assert isinstance(request, AiohttpRequest)
    request.timeouts = (0.2, 0.2, 0.2, 0.2)
    env.fake.delay = 0.4
    worker = env.worker()
    await env.enqueue([960])
    worker.wake()
    # The fake answers the slow request after the client gave up on it.
    await env.fake.wait_for(lambda c: c.method == "sendMessage")
    await worker.wait_quiet()
    [row] = await env.rows()
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert row["last_error"].startswith("transient")

    env.fake.delay = 0.0
    request.timeouts = (10.0, 10.0, 10.0, 10.0)  # the retry must not time out on a busy machine
    await env.clock.advance(2.2)
    await worker.wait_idle()
    [row] = await env.rows()
    assert (row["status"], row["attempts"]) == ("sent", 2)
    # The slow first request reached Telegram after all: a timeout can duplicate a message.
    assert len(env.fake.sent_to(960)) == 2


async def test_gives_up_after_max_attempts(env: Env) -> None:
    env.fake.fail_next("sendMessage", status=500, times=100, chat_id=970)
    worker = env.worker(max_attempts=3, backoff_base=1.0)
    await env.enqueue([970])
    worker.wake()
    await step_until(env, worker, lambda: len(env.sends(970)) == 3, 0.5)
    await worker.wait_idle()
    [row] = await env.rows()
    assert (row["status"], row["attempts"]) == ("failed", 3)
    assert row["last_error"].startswith("transient")
    await env.clock.advance(3600)
    await worker.wait_idle()
    assert len(env.sends(970)) == 3
    assert (worker.failed, worker.retried) == (1, 2)


async def test_blocked_user_fails_at_once_and_is_reported_once(env: Env) -> None:
    reported: list[OutboxMessage] = []

    async def on_unreachable(msg: OutboxMessage) -> None:
        reported.append(msg)
        raise RuntimeError("the callback's own bug must not stop deliveries")

    env.fake.block(980)
    worker = env.worker(on_unreachable=on_unreachable)
    await env.enqueue([980], key="x")
    worker.wake()
    await worker.wait_idle()
    [row] = await env.rows()
    assert (row["status"], row["last_error"], row["attempts"]) == ("failed", "unreachable", 1)
    assert [m.id for m in reported] == [row["id"]]

    await env.clock.advance(3600)
    await env.enqueue([981], key="y")
    worker.wake()
    await env.fake.wait_sent(981, 1)
    await worker.wait_idle()
    assert len(env.sends(980)) == 1
    assert len(reported) == 1


async def test_bad_request_fails_without_retry(env: Env) -> None:
    env.fake.fail_next("sendMessage", status=400, chat_id=990)
    worker = env.worker()
    await env.enqueue([990])
    worker.wake()
    await worker.wait_idle()
    [row] = await env.rows()
    assert row["status"] == "failed"
    assert row["last_error"].startswith("rejected")
    await env.clock.advance(3600)
    await worker.wait_idle()
    assert len(env.sends(990)) == 1


async def test_an_unexpected_sender_error_costs_a_retry_not_the_worker(env: Env) -> None:
    env.sender.raise_next.append(ValueError("adapter bug"))
    worker = env.worker(backoff_base=2.0)
    await env.enqueue([995])
    worker.wake()
    await worker.wait_quiet()
    [row] = await env.rows()
    assert (row["status"], row["last_error"]) == ("pending", "error: ValueError")
    await env.clock.advance(2.2)
    await env.fake.wait_sent(995, 1)
    await worker.wait_idle()
    [row] = await env.rows()
    assert (row["status"], row["attempts"]) == ("sent", 2)


async def test_a_row_cancelled_while_waiting_for_its_chat_is_not_sent(env: Env) -> None:
    worker = env.worker()
    await env.enqueue([1100, 1100], key="meeting:7:remind")
    worker.wake()
    await env.fake.wait_sent(1100, 1)
    await worker.wait_quiet()  # the second is in memory, waiting for the 1 s gap
    assert await env.outbox.cancel("meeting:7:") == 1
    await env.clock.advance(1.0)
    await worker.wait_idle()
    assert len(env.sends(1100)) == 1
    assert [r["status"] for r in await env.rows()] == ["sent", "cancelled"]


async def test_rows_for_a_channel_without_sender_stay_queued(env: Env) -> None:
    worker = env.worker()
    await env.outbox.enqueue(
        [NewMessage("z:1", "zalo", "a1b2c3", Reply("Xin chào"))], env.clock.now()
    )
    await env.enqueue([1200])
    worker.wake()
    await worker.wait_idle()
    assert [r["status"] for r in await env.rows()] == ["pending", "sent"]


async def test_stop_lets_in_flight_sends_finish_and_loses_nothing(env: Env) -> None:
    chats = [1300 + i for i in range(10)]
    env.fake.delay = 0.2
    worker = env.worker(concurrency=4)
    await env.enqueue(chats)
    worker.wake()
    await env.sender.wait_started(4)
    await worker.stop()  # what SIGTERM does

    rows = await env.rows()
    statuses = [r["status"] for r in rows]
    assert "sending" not in statuses
    assert statuses.count("sent") == 4
    assert statuses.count("pending") == 6
    assert all(r["attempts"] == 0 for r in rows if r["status"] == "pending")
    assert len(env.sends()) == 4

    env.fake.delay = 0.0
    again = env.worker(concurrency=4)
    again.wake()
    await again.wait_idle()
    for chat in chats:
        assert len(env.sends(chat)) == 1
    assert {r["status"] for r in await env.rows()} == {"sent"}


async def test_recover_after_a_crash_resends_only_what_was_in_flight(env: Env) -> None:
    # The state a kill -9 leaves: two rows delivered and recorded, two claimed and in flight.
    await env.enqueue([1400, 1401, 1402, 1403])
    ids = [r["id"] for r in await env.rows()]
    assert await env.outbox.claim(ids) == {i: 1 for i in ids}
    now = env.clock.now()
    await env.outbox.record(
        [Outcome(i, "sent", now, message_id="1") for i in ids[:2]]
        + [Outcome(ids[3], "pending", now, next_attempt_at=now + timedelta(hours=1))]
    )
    assert [r["status"] for r in await env.rows()] == ["sent", "sent", "sending", "pending"]

    worker = env.worker()
    await worker.wait_idle()
    assert [len(env.sends(c)) for c in (1400, 1401, 1402, 1403)] == [0, 0, 1, 0]
    rows = await env.rows()
    assert [r["status"] for r in rows] == ["sent", "sent", "sent", "pending"]
    assert rows[2]["attempts"] == 2
    await env.clock.advance(3600)
    await env.fake.wait_sent(1403, 1)
    await worker.wait_idle()
    assert [len(env.sends(c)) for c in (1400, 1401, 1402, 1403)] == [0, 0, 1, 1]


@pytest.mark.parametrize("backend", ["aiohttp", "httpx"])
async def test_both_networking_backends_send_text_and_upload_a_file(
    backend: str, fake: FakeTelegram, tmp_path: Path
) -> None:
    """`[telegram] http_client`: the same sends through aiohttp (default) and PTB's httpx."""
    telegram = {**_telegram(fake), "http_client": backend}
    config = parse_config({"telegram": telegram}, tmp_path, env={})
    pdf = tmp_path / "Thông tin tư tưởng 12.pdf"
    pdf.write_bytes("%PDF-1.4\n% Thông tin tư tưởng\n%%EOF\n".encode())
    application = build_telegram_application(config, _no_dispatch)
    async with application:
        sender = TelegramSender(application)
        assert (backend == "aiohttp") == isinstance(application.bot.request, AiohttpRequest)
        text_id = await sender.send("4242", Reply("Chào đồng chí «Tư»"))
        doc_id = await sender.send(
            "4242", Reply("Bản tin", document=Document(path=str(pdf), file_name=pdf.name))
        )
    sent = fake.sent_to(4242)
    assert [m["message_id"] for m in sent] == [int(text_id), int(doc_id)]
    assert sent[0]["text"] == "Chào đồng chí «Tư»"
    # The name as members will see it: UTF-8, not percent-encoded.
    assert sent[1]["document"]["file_name"] == "Thông tin tư tưởng 12.pdf"
    assert fake.uploads == 1


async def test_a_long_queue_held_back_by_pacing_does_not_spin_the_loop(env: Env) -> None:
    """More rows in memory than the refill mark, and the poll deadline passes meanwhile."""
    worker = env.worker(overall_per_second=10.0)
    await env.enqueue([30_000 + i for i in range(600)])
    worker.wake()
    await worker.wait_quiet()
    # 1.5 s at once: the poll deadline is passed while ~490 rows wait for the overall rate.
    # Before the fix the worker never parked again (wait_quiet hung, the loop spun).
    await env.clock.advance(1.5)
    async with asyncio.timeout(30):
        await worker.wait_quiet()
    before = worker.steps
    for _ in range(20):
        await env.clock.advance(0.1)
        await worker.wait_quiet()
    # One send every 0.1 s: a few iterations each, not thousands.
    assert worker.steps - before < 200
    assert 20 <= len(env.sends()) <= 40


@pytest.mark.parametrize("backend", ["aiohttp", "httpx"])
async def test_proxy_comes_from_the_config_never_from_the_environment(
    backend: str, fake: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTP(S)_PROXY in the environment is ignored; `[telegram] proxy` carries every request."""
    forwarded: list[str] = []

    async def forward(request: web.Request) -> web.Response:
        # A plain-HTTP forward proxy: the request line holds the absolute URL.
        forwarded.append(request.url.path.rsplit("/", 1)[-1])
        async with (
            aiohttp.ClientSession() as session,
            session.request(
                request.method,
                str(request.url),
                data=await request.read(),
                headers={"Content-Type": request.headers.get("Content-Type", "")},
            ) as res,
        ):
            return web.Response(
                body=await res.read(), status=res.status, content_type="application/json"
            )

    proxy_app = web.Application()
    proxy_app.router.add_route("*", "/{tail:.*}", forward)
    runner = web.AppRunner(proxy_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    # Nothing listens on port 9: a client honouring these would fail to connect.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    try:
        for proxy in ("", f"http://127.0.0.1:{port}"):
            telegram = {**_telegram(fake), "http_client": backend, "proxy": proxy}
            config = parse_config({"telegram": telegram}, tmp_path, env={})
            application = build_telegram_application(config, _no_dispatch)
            async with application:
                await TelegramSender(application).send("4243", Reply(f"Qua «{proxy}»"))
            assert bool(forwarded) == bool(proxy)
    finally:
        await runner.cleanup()
    assert [m["text"] for m in fake.sent_to(4243)] == ["Qua «»", f"Qua «http://127.0.0.1:{port}»"]
    assert "sendMessage" in forwarded
