"""A server process's full garbage passes run on its clock (karuta/garbage.py), not whenever
CPython's promotion count says: under a hall's load that was every 3 s, 200 ms each."""

import asyncio
import gc

import pytest

from karuta import garbage
from karuta.startup import StartWithServer
from tests.games.conftest import run_async

# Plain tests, each on a loop of its own thread: after the session's browser tests, Playwright's
# sync API holds the main thread's loop, where pytest-asyncio can no longer run one.


@pytest.fixture
def collector():
    """Put the collector back as it was: thresholds, and nothing left frozen."""
    thresholds = gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    gc.unfreeze()


def full_passes() -> list[float]:
    """Record the full passes (generation 2) from now on; the callback is removed at exit."""
    seen: list[float] = []

    def watch(phase, info):
        if phase == "stop" and info["generation"] == 2:
            seen.append(info["collected"])

    gc.callbacks.append(watch)
    return seen, watch


async def until(condition, timeout: float = 5.0) -> None:
    async def wait():
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(wait(), timeout)


def cycles(n: int) -> None:
    """``n`` objects only the cyclic collector can free."""
    for _ in range(n):
        a: dict = {}
        a["self"] = a


def test_a_server_start_freezes_the_loaded_and_takes_full_passes_onto_the_clock(
    collector, settings
):
    settings.GC_FULL_SECONDS = 0.2
    run_async(start_and_load)


async def start_and_load():
    passes, watch = full_passes()
    try:
        app = StartWithServer(None, on_start=lambda: None)
        app.start()
        assert gc.get_freeze_count() > 0  # Django and the app: left out of every pass
        assert gc.get_threshold()[2] == garbage.NEVER
        started = len(passes)
        # Load that made CPython run full passes on its own: many young collections, with
        # survivors. None runs until the clock's pass, which frees the cycles.
        keep = []
        for _ in range(200):
            keep.append([[] for _ in range(500)])  # tracked containers that survive
            cycles(50)
        assert len(passes) == started
        await until(lambda: len(passes) > started)
        assert passes[-1] >= 1  # the cycles, found by the pass on the clock
    finally:
        gc.callbacks.remove(watch)
        for task in list(garbage._running):
            task.cancel()


def test_zero_seconds_leaves_cpythons_schedule(collector, settings):
    settings.GC_FULL_SECONDS = 0
    before = gc.get_threshold()

    async def schedule():
        return garbage.schedule()

    assert run_async(schedule) is None
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() > 0
