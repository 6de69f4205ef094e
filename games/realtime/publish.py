"""Hand committed events to the channel layer: one ``group_send`` per event to the room's group,
whose members are the relays of the server processes (games/realtime/relay.py)."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from games import metrics
from games.events import Event, collect

log = logging.getLogger(__name__)


def group_name(code: str) -> str:
    return f"room-{code}"


async def publish(events: list[Event]) -> None:
    """Send each event, in order. A channel layer that is down (Redis stopped) must not turn a
    committed move into an error for its sender: the move stands, and every tab resyncs from
    the database when its relay resubscribes or the tab reconnects. One retry: after a Redis
    restart the first command on a pooled connection fails and the next reconnects."""
    layer = get_channel_layer()
    if layer is None or not events:
        return
    for event in events:
        for attempt in (1, 2):
            try:
                await layer.group_send(group_name(event.room), event.message())
                break
            except Exception as exc:  # noqa: BLE001 - any layer failure: log it, keep the move
                if attempt == 2:
                    metrics.EVENTS_LOST.inc()
                    log.warning("event %s of room %s lost: %r", event.kind, event.room, exc)


def publish_blocking(events: list[Event]) -> None:
    """For callers without an event loop (a management command, a view, a sync test)."""
    async_to_sync(publish)(events)


def _collecting(service, kwargs: dict):
    with collect() as box:
        result = service(**kwargs)
    return result, list(box)


async def perform(service, **kwargs):
    """Run a service (one transaction) in the database thread, then publish the events it
    committed from this loop: the database thread never waits on the channel layer."""
    result, events = await database_sync_to_async(_collecting)(service, kwargs)
    await publish(events)
    return result
