"""The overall budget follows the platform's sliding window, on the injected clock.

A request may arrive at the platform any time between its start and its answer, so it counts
against a new send while in flight and for one second after its answer came back.
"""

from __future__ import annotations

import asyncio
import math

from bot.core.clock import FakeClock
from scheduler.pacing import SendBudget


async def test_a_send_counts_while_in_flight_and_a_second_after_its_answer(
    clock: FakeClock,
) -> None:
    budget = SendBudget(clock, 30.0, chat_interval=1.0)
    start = clock.monotonic()
    # Up to the platform's limit: the count is conservative already.
    assert budget.available(start) == 30
    budget.take(30, start)
    assert budget.available(start) == 0
    # All in flight: the next slot depends on an answer, not on time.
    assert budget.next_at(start) == math.inf
    await clock.advance(0.3)
    budget.finished(clock.monotonic(), 10)
    assert budget.next_at(clock.monotonic()) == start + 1.3
    await clock.advance(0.99)
    assert budget.available(clock.monotonic()) == 0
    await clock.advance(0.01)
    assert budget.available(clock.monotonic()) == 10


async def test_a_late_wake_up_catches_up_in_full(clock: FakeClock) -> None:
    """Waking 0.4 s late loses no slots: everything that aged out may go at once."""
    budget = SendBudget(clock, 30.0, chat_interval=1.0)
    start = clock.monotonic()
    budget.take(30, start)
    budget.finished(start, 30)
    await clock.advance(1.4)
    assert budget.available(clock.monotonic()) == 30


async def test_an_answer_waiting_for_a_full_window_goes_when_a_send_comes_back(
    clock: FakeClock,
) -> None:
    budget = SendBudget(clock, 20.0, chat_interval=1.0)  # Zalo's budget: 20 a second
    start = clock.monotonic()
    budget.take(20, start)
    answer = asyncio.create_task(budget.acquire("42"))
    await clock.advance(0.5)
    assert not answer.done()
    budget.finished(clock.monotonic())  # answered at start + 0.5: counts until start + 1.5
    await clock.advance(0.9)
    assert not answer.done()
    await clock.advance(0.1)
    pacer = await asyncio.wait_for(answer, 5)
    assert clock.monotonic() == start + 1.5
    pacer.release(clock.monotonic())
    budget.finished(clock.monotonic())


async def test_a_429_lowers_the_cap_a_little_and_it_recovers(clock: FakeClock) -> None:
    budget = SendBudget(clock, 30.0, chat_interval=1.0)
    budget.throttled(clock.monotonic())
    assert budget.available(clock.monotonic()) == 27  # 30 x 0.9, not a pause
    await clock.advance(10.0)
    assert budget.available(clock.monotonic()) == 30


async def test_the_broadcast_yields_the_slot_a_waiting_answer_needs(clock: FakeClock) -> None:
    """Interactive first: with the window full, the next slot that ages out is the answer's."""
    budget = SendBudget(clock, 30.0, chat_interval=1.0)
    start = clock.monotonic()
    budget.take(30, start)
    budget.finished(start, 30)  # the broadcast filled the window: free again at start + 1
    answer = asyncio.create_task(budget.acquire("7"))
    await clock.advance(0.5)
    assert not answer.done()
    # Bulk traffic sees the waiting answer: no slot for it, and no time to wait for either
    # (it is told when the answer has gone).
    assert budget.available(clock.monotonic()) == 0
    assert budget.next_at(clock.monotonic()) == math.inf
    await clock.advance(0.5)
    pacer = await asyncio.wait_for(answer, 5)
    assert clock.monotonic() == start + 1.0
    # The answer took one of the 30 slots that aged out; the broadcast may take the other 29.
    assert budget.available(clock.monotonic()) == 29
    pacer.release(clock.monotonic())
    budget.finished(clock.monotonic())


async def test_a_429_holds_its_chat_for_retry_after_and_nothing_else(clock: FakeClock) -> None:
    budget = SendBudget(clock, 30.0, chat_interval=1.0)
    start = clock.monotonic()
    budget.throttled(start)
    budget.pacer("1").hold(start + 3.0)
    # Another chat goes at once: a 429 slows the budget a step, it never pauses everything.
    other = await asyncio.wait_for(budget.acquire("2"), 5)
    assert clock.monotonic() == start
    other.release(clock.monotonic())
    budget.finished(clock.monotonic())
    held = asyncio.create_task(budget.acquire("1"))
    await clock.advance(2.9)
    assert not held.done()
    await clock.advance(0.1)
    pacer = await asyncio.wait_for(held, 5)
    assert clock.monotonic() == start + 3.0
    pacer.release(clock.monotonic())
    budget.finished(clock.monotonic())


async def test_several_429s_at_once_step_down_once(clock: FakeClock) -> None:
    """Requests in flight together meet the same full window: one step per cooldown, and
    never below half the cap, however many 429s come."""
    budget = SendBudget(clock, 30.0, chat_interval=1.0)
    for _ in range(5):
        budget.throttled(clock.monotonic())
    assert budget.cap == 27
    for _ in range(20):
        await clock.advance(1.0)
        budget.throttled(clock.monotonic())
    assert budget.cap == 15
    assert budget.throttles == 25


async def test_an_answer_waits_for_the_chat_a_broadcast_copy_just_reached(
    clock: FakeClock,
) -> None:
    """Per-chat pacing covers both kinds: the answer keeps the chat's interval after a row."""
    budget = SendBudget(clock, 30.0, chat_interval=1.0)
    start = clock.monotonic()
    # The worker sends a row to chat 5: it holds the chat, the request comes back at +0.2.
    row = budget.pacer("5")
    row.busy = True
    budget.take(1, start)
    answer = asyncio.create_task(budget.acquire("5"))
    await clock.advance(0.2)
    budget.finished(clock.monotonic())
    row.release(clock.monotonic())
    await clock.advance(0.9)
    assert not answer.done()
    await clock.advance(0.1)
    pacer = await asyncio.wait_for(answer, 5)
    assert clock.monotonic() == start + 1.2
    pacer.release(clock.monotonic())
    budget.finished(clock.monotonic())


async def test_an_answer_waiting_while_the_cap_recovers_is_woken_when_sends_come_back(
    clock: FakeClock,
) -> None:
    """After a 429 the cap is lower; an answer waits for a window full of sends in flight;
    the cap climbs back meanwhile, so when they come back the window is no longer "full" at
    the new cap: the answer must still be woken (it once waited for ever)."""
    budget = SendBudget(clock, 30.0, chat_interval=1.0)
    start = clock.monotonic()
    budget.throttled(start)
    low = budget.cap
    assert low < 30
    budget.take(low, start)
    answer = asyncio.create_task(budget.acquire("42"))
    kicked: list[bool] = []
    budget.listeners.append(lambda: kicked.append(True))
    await clock.advance(0)
    assert not answer.done() and budget.next_at(start) == math.inf
    await clock.advance(6)
    budget.in_window(clock.monotonic())  # brings the recovering cap up to date
    assert budget.cap == 30
    budget.finished(clock.monotonic(), low)
    await asyncio.wait_for(answer, 5)
    assert kicked
