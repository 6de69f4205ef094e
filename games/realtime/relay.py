"""One subscription per room and server process: the relay between the channel layer and the
process's tabs in that room.

channels' group_send costs one channel-layer message per member (and one JSON encoding per
consumer): with 500 players that is the whole latency budget. Here each process's relay is the
group's only member for that process; it receives each event once and writes its text (encoded
once, in games/events.py) to its local sockets. The relay holds no game state.

Its lifecycle, each step tested in tests/games/test_relay_lifecycle.py:

- **start**: subscribe (a channel in the room's group) *before* being published in the
  registry; if the channel layer is down, the join fails (``LayerUnavailable``) and the next
  join tries again, instead of leaving a relay that never started;
- **refresh**: channels forgets a group member after ``group_expiry`` (a day by default), so
  the relay renews its membership every quarter of it;
- **recover**: a failed receive (Redis restarting) is retried with back-off on a new channel,
  then every local tab gets a fresh snapshot (the events of the outage are lost);
- **release**: a grace period after its last local tab left (at once if the room is finished),
  the relay leaves the group and stops, without cancelling a receive in flight (channels_redis
  shares one receive between a process's channels: a cancelled one can lose another's message).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import Protocol

from channels.layers import get_channel_layer
from django.conf import settings

from games import metrics
from games.events import Event
from games.realtime.publish import group_name

log = logging.getLogger(__name__)

# Back-off of a relay whose channel layer went away (seconds).
RETRY_FIRST = 0.2
RETRY_MAX = 5.0
STOP = "relay.stop"


class LayerUnavailable(Exception):
    """The channel layer could not be reached to subscribe to a room."""


class Member(Protocol):
    """A tab as the relay sees it (games/realtime/consumer.py)."""

    async def relay(self, event: Event) -> None: ...

    async def resync(self) -> None: ...


def grace_seconds() -> float:
    return float(getattr(settings, "RELAY_GRACE_SECONDS", 30))


def join_seconds() -> float:
    """How often at most a hall's tabs hear of its joins (docs/protocol.md, "Halls")."""
    return float(getattr(settings, "HALL_JOIN_SECONDS", 1.0))


def refresh_seconds(layer) -> float:
    """Renew group membership well inside the layer's expiry (a quarter of it)."""
    return max(0.05, getattr(layer, "group_expiry", 86400) / 4)


class RoomRelay:
    def __init__(self, code: str, layer, registry: Relays) -> None:
        self.code = code
        self.group = group_name(code)
        self.layer = layer
        self.registry = registry
        self.loop = asyncio.get_running_loop()
        self.members: set[Member] = set()
        self.channel = ""
        self.finished = False  # the room's game is over: no reconnect needs it for long
        self.refreshes = 0
        self.released = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self._release: asyncio.TimerHandle | None = None
        self._stopping = False
        self._merged: Event | None = None  # the last hall join not sent yet (``_merge``)
        self._flushing: asyncio.Task | None = None

    # --- start and stop ---------------------------------------------------------------

    async def subscribe(self) -> None:
        try:
            channel = await self.layer.new_channel()
            await self.layer.group_add(self.group, channel)
        except Exception as exc:  # noqa: BLE001 - any layer failure means "not now"
            raise LayerUnavailable(repr(exc)) from exc
        self.channel = channel

    def run_in_background(self) -> None:
        self._tasks = [self.loop.create_task(self._receive()), self.loop.create_task(self._renew())]

    async def stop(self) -> None:
        """Leave the group; the receive loop ends on the stop message sent to its channel."""
        self._stopping = True
        renew = self._tasks[1:]
        for task in renew:
            task.cancel()
        try:
            await self.layer.group_discard(self.group, self.channel)
            await self.layer.send(self.channel, {"type": STOP})
        except Exception as exc:  # noqa: BLE001 - a layer that is down: its receive fails too
            log.warning("relay of room %s stopped without the layer: %r", self.code, exc)
            for task in self._tasks[:1]:
                task.cancel()
        self.released.set()

    # --- members --------------------------------------------------------------------------

    def add(self, member: Member) -> None:
        self.members.add(member)
        if self._release is not None:
            self._release.cancel()
            self._release = None

    def discard(self, member: Member) -> None:
        if member not in self.members:
            return
        self.members.discard(member)
        if not self.members and self._release is None and not self._stopping:
            delay = 0.0 if self.finished else grace_seconds()
            self._release = self.loop.call_later(delay, self._release_if_idle)

    def _release_if_idle(self) -> None:
        self._release = None
        if self.members or self._stopping:
            return
        self.registry.forget(self)
        self.loop.create_task(self.stop())

    # --- the loops ------------------------------------------------------------------------

    async def _renew(self) -> None:
        interval = refresh_seconds(self.layer)
        while True:
            await asyncio.sleep(interval)
            try:
                await self.layer.group_add(self.group, self.channel)
                self.refreshes += 1
            except Exception as exc:  # noqa: BLE001 - the receive loop resubscribes
                log.warning("relay of room %s could not renew its group: %r", self.code, exc)

    async def _receive(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except Exception as exc:  # noqa: BLE001 - the layer is down (Redis restarting)
                if self._stopping:
                    return
                log.warning("relay of room %s lost the channel layer: %r", self.code, exc)
                await self._recover()
                continue
            if message.get("type") == STOP:
                return
            try:
                await self.deliver(Event.from_message(self.code, message))
            except Exception:  # one bad message must not end the room's relay
                log.exception("relay failed in room %s", self.code)

    async def _recover(self) -> None:
        """Subscribe again (with back-off) before receiving again. Receiving on the old channel
        first would block happily once Redis is back, on a channel its group no longer holds:
        the room would stay silent on this process."""
        delay = RETRY_FIRST
        while not self._stopping:
            await asyncio.sleep(delay)
            if await self._resubscribe():
                await self._resync()
                return
            delay = min(delay * 2, RETRY_MAX)

    async def _resubscribe(self) -> bool:
        """A new channel in the room's group (a restarted Redis forgot both); False: not yet."""
        old = self.channel
        try:
            await self.subscribe()
        except LayerUnavailable as exc:
            log.warning("relay of room %s cannot resubscribe yet: %s", self.code, exc)
            return False
        try:  # after a mere network error Redis still lists the old channel: stop feeding it
            await self.layer.group_discard(self.group, old)
        except Exception:  # noqa: BLE001 - it expires anyway
            pass
        log.info("relay of room %s is back on the channel layer", self.code)
        return True

    async def _resync(self) -> None:
        """Events sent during the outage are lost: each local tab gets a fresh snapshot."""
        for member in list(self.members):
            try:
                await member.resync()
            except Exception:  # noqa: BLE001 - a closed tab; the others still need theirs
                log.warning("could not resync a tab in room %s", self.code)

    async def deliver(self, event: Event) -> None:
        if event.kind == "finished":
            self.finished = True
        if event.coalesced:
            return self._merge(event)
        await self._send(event)

    def _merge(self, event: Event) -> None:
        """A hall's join: the tabs get the last of those that came within HALL_JOIN_SECONDS
        of the first, once that time is up (each is unversioned and says the room's total)."""
        first = self._merged is None
        self._merged = event
        if first:
            self.loop.call_later(join_seconds(), self._flush_merged)

    def _flush_merged(self) -> None:
        event, self._merged = self._merged, None
        if event is not None and not self._stopping:
            self._flushing = self.loop.create_task(self._send(event))

    async def _send(self, event: Event) -> None:
        for member in list(self.members):
            try:
                await member.relay(event)
            except Exception:  # a tab that just went away must not cost the others the event
                log.warning("could not relay %s to a tab in room %s", event.kind, self.code)


class Relays:
    """The relays of one event loop (one server process), by room code."""

    def __init__(self) -> None:
        self.relays: dict[str, RoomRelay] = {}
        self._starting: dict[str, asyncio.Future] = {}

    async def join(self, code: str, member: Member) -> RoomRelay:
        """The room's relay with ``member`` in it, started if need be; LayerUnavailable."""
        relay = self.relays.get(code)
        if relay is None:
            starting = self._starting.get(code)
            if starting is None:  # the first tab starts it; tabs arriving meanwhile wait
                starting = self._starting[code] = asyncio.ensure_future(self._start(code))
                starting.add_done_callback(lambda _: self._starting.pop(code, None))
            relay = await asyncio.shield(starting)
        relay.add(member)
        return relay

    async def _start(self, code: str) -> RoomRelay:
        relay = RoomRelay(code, get_channel_layer(), self)
        await relay.subscribe()  # published below only once this worked
        relay.run_in_background()
        self.relays[code] = relay
        metrics.RELAYS.inc()
        return relay

    def leave(self, code: str, member: Member) -> None:
        relay = self.relays.get(code)
        if relay is not None:
            relay.discard(member)

    async def shutdown(self) -> None:
        """Stop every relay (the process is stopping)."""
        for relay in list(self.relays.values()):
            self.forget(relay)
            await relay.stop()

    def forget(self, relay: RoomRelay) -> None:
        if self.relays.get(relay.code) is relay:
            del self.relays[relay.code]
            metrics.RELAYS.dec()


_registries: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Relays] = (
    weakref.WeakKeyDictionary()
)


def relays() -> Relays:
    """This event loop's registry (a server process has one loop; each test has its own)."""
    loop = asyncio.get_running_loop()
    registry = _registries.get(loop)
    if registry is None:
        registry = _registries[loop] = Relays()
    return registry
