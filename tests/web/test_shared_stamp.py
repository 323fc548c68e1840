"""Concurrent requests share one read of the search stamp (app.web.cache.SharedStamp), and
never one that started before they arrived: it could miss a write committed just before."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy.exc import OperationalError

from app.web.cache import SharedStamp


def test_requests_that_arrive_during_a_read_share_the_next_one():
    reads: list[int] = []
    gate = threading.Event()

    def read() -> int:
        reads.append(len(reads))
        gate.wait(5)
        return len(reads)  # 1 for the first read, 2 for the second

    async def main() -> tuple[int, list[int]]:
        shared = SharedStamp(read)
        first = asyncio.ensure_future(shared.get())
        await asyncio.sleep(0.05)  # the first read is under way
        later = [asyncio.ensure_future(shared.get()) for _ in range(20)]
        await asyncio.sleep(0.05)
        gate.set()
        return await first, list(await asyncio.gather(*later))

    first, later = asyncio.run(main())
    assert first == 1
    assert later == [2] * 20, "the twenty waited for a read that started after they came"
    assert len(reads) == 2


def test_a_failed_read_fails_its_waiters_and_the_next_read_runs():
    outcomes = iter([OperationalError("SELECT", {}, Exception("gone")), 7])

    def read() -> int:
        value = next(outcomes)
        if isinstance(value, Exception):
            raise value
        return value

    async def main() -> int:
        shared = SharedStamp(read)
        with pytest.raises(OperationalError):
            await shared.get()
        return await shared.get()

    assert asyncio.run(main()) == 7


def test_a_new_event_loop_starts_afresh():
    shared = SharedStamp(lambda: 5)
    assert asyncio.run(shared.get()) == 5
    assert asyncio.run(shared.get()) == 5
