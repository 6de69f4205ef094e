"""When a server process collects its cyclic garbage: the full passes on a clock, not on load.

CPython 3.11 runs a full pass (generation 2) whenever the objects promoted since the last one
reach a quarter of the long-lived ones. A process holding a hall's 1,000 sockets (some 270,000
objects) met that every 3 s, as each tab's latency probe left a few objects behind, and each
pass held the event loop for about 200 ms: a take's broadcast that met one reached its tabs
200 ms late (make bench, [3b]). So a server process

- leaves what it loaded at start-up out of every pass (``gc.freeze``: Django, the app, the
  URLconf);
- keeps the young generations' collections as they are (a few ms, and most garbage is young);
- makes its full passes itself, every ``GC_FULL_SECONDS`` (60 s): as long as one automatic pass,
  twenty times less often. The garbage a full pass finds (mostly closed sockets' objects) waits
  at most that long.

``GC_FULL_SECONDS = 0`` leaves CPython's own schedule (after the freeze).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time

from django.conf import settings

log = logging.getLogger(__name__)

# A full pass's threshold no process meets: CPython counts the young collections since the
# last full pass, and compares that count with it.
NEVER = 2**30
_running: set[asyncio.Task] = set()  # the loop keeps only a weak reference to its tasks


def full_pass_seconds() -> float:
    return float(getattr(settings, "GC_FULL_SECONDS", 60))


def freeze_what_is_loaded() -> None:
    """Leave everything loaded so far out of the collector's passes; what a game allocates
    after this is collected as usual."""
    gc.collect()
    gc.freeze()


def schedule() -> asyncio.Task | None:
    """Freeze what is loaded and, unless ``GC_FULL_SECONDS`` is 0, take the full passes off
    CPython's schedule onto this event loop's clock (the task, to cancel; or None)."""
    freeze_what_is_loaded()
    every = full_pass_seconds()
    if every <= 0:
        return None
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, NEVER)
    task = asyncio.get_running_loop().create_task(_full_passes(every))
    _running.add(task)
    task.add_done_callback(_running.discard)
    return task


async def _full_passes(every: float) -> None:
    while True:
        await asyncio.sleep(every)
        started = time.perf_counter()
        found = gc.collect()
        log.debug(
            "full garbage pass: %d objects in %.1f ms",
            found,
            1000 * (time.perf_counter() - started),
        )
