"""Acting on a room's deadline (a card's time limit, the automatic next card) when it passes.

The deadline is stored with the room; any process may act on it, and every step of
``services.room_tick`` is a compare-and-set, so timers are only a way to be on time:

- the process that set a deadline schedules a check for it (``schedule_tick``);
- every process watches the database for deadlines coming up (``watch_deadlines``, started
  with the server), so a deadline is acted on even when the process that set it was restarted
  and no tab has reconnected.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from channels.db import database_sync_to_async
from django.conf import settings
from django.utils import timezone

from games import expiry, selectors, services
from games.realtime.publish import perform

log = logging.getLogger(__name__)

# Deadlines that have a timer, by event loop: only to avoid two timers for one deadline.
_timers: set[tuple[int, str, object]] = set()
_watching: set[int] = set()


def schedule_tick(code: str, deadline) -> None:
    """Ask this process to act on ``deadline`` (an aware datetime or None) when it passes."""
    if deadline is None:
        return
    loop = asyncio.get_running_loop()
    key = (id(loop), code, deadline)
    if key in _timers:
        return
    _timers.add(key)
    delay = max(0.0, (deadline - timezone.now()).total_seconds()) + 0.05

    def fire() -> None:
        _timers.discard(key)
        loop.create_task(tick(code))

    loop.call_later(delay, fire)


async def tick(code: str) -> None:
    try:
        result = await perform(services.room_tick, code=code)
    except Exception:  # a deleted room or a dropped database: the watch tries again
        log.exception("tick failed for room %s", code)
        return
    schedule_tick(code, result.deadline)


def watch_interval() -> float:
    return float(getattr(settings, "DEADLINE_WATCH_SECONDS", 5))


async def watch_deadlines() -> None:
    """Every few seconds, schedule a timer for each deadline due before the next look."""
    interval = watch_interval()
    while True:
        try:
            horizon = timezone.now() + timedelta(seconds=2 * interval)
            due = await database_sync_to_async(selectors.deadlines_before)(horizon)
            for code, deadline in due:
                schedule_tick(code, deadline)
        except Exception:  # noqa: BLE001 - the database may be restarting: look again later
            log.warning("could not look for room deadlines", exc_info=True)
        await asyncio.sleep(interval)


async def expire_rooms() -> None:
    """Every ROOM_EXPIRY_EVERY seconds, apply the rooms' expiry schedule (games/expiry.py):
    a server with no cron job still cleans up after itself. Each step is a compare-and-set,
    so processes doing it at the same time are harmless."""
    while True:
        await asyncio.sleep(settings.ROOM_EXPIRY_EVERY)
        try:
            done = await perform(expiry.rooms_expire)
            log.info("rooms expired: %s", done)
        except Exception:  # noqa: BLE001 - the database may be restarting: try next time
            log.warning("could not expire rooms", exc_info=True)


def start_watching() -> None:
    """Start this event loop's deadline watch and room expiry (once); called when the server
    starts."""
    loop = asyncio.get_running_loop()
    if id(loop) in _watching:
        return
    _watching.add(id(loop))
    loop.create_task(watch_deadlines())
    loop.create_task(expire_rooms())
