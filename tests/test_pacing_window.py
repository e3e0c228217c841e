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
