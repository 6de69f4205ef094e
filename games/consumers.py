"""The room's websocket: validate a message, call a service, send the answer.

Nothing here decides a rule or holds the room's state: services.py writes, rules.py decides,
and the channel layer carries the broadcasts queued on commit. See docs/protocol.md.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.utils import timezone, translation

from games import limits, rules, services
from games.rules import RuleError
from games.services import Actor

log = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 4096
# Back-off of a relay whose channel layer went away (seconds).
RETRY_FIRST = 0.2
RETRY_MAX = 5.0
# Deadlines this process has a timer for. Only an optimisation: the deadline itself is in the
# database, any process may act on it, and every step of room_tick is a compare-and-set.
_timers: set[tuple[str, object]] = set()


def schedule_tick(code: str, deadline) -> None:
    """Ask the server to act on ``deadline`` (time-out or automatic next card) when it passes."""
    if deadline is None or (code, deadline) in _timers:
        return
    _timers.add((code, deadline))
    delay = max(0.0, (deadline - timezone.now()).total_seconds()) + 0.05
    loop = asyncio.get_running_loop()
    loop.call_later(delay, lambda: loop.create_task(_tick(code, deadline)))


async def _tick(code: str, deadline) -> None:
    _timers.discard((code, deadline))
    try:
        result = await database_sync_to_async(services.room_tick)(code=code)
    except Exception:  # a closed room or a dropped database: the next message retries
        log.exception("tick failed for room %s", code)
        return
    schedule_tick(code, result.deadline)


class RoomRelay:
    """This process's tabs in one room, behind one channel-layer subscription.

    channels' group_send costs one copy per member (and one JSON encoding per consumer): with
    500 players that is the whole latency budget. Here each process joins the room's group
    once, encodes each event once (twice when it carries the reader's answer) and hands the
    text to its local sockets. The relay is no state of the game: it only forwards.
    """

    def __init__(self, code: str, layer) -> None:
        self.code = code
        self.layer = layer
        self.loop = asyncio.get_running_loop()
        self.members: set[RoomConsumer] = set()
        self.channel = ""
        self.ready = asyncio.Event()
        self.task: asyncio.Task | None = None

    async def start(self) -> None:
        self.channel = await self.layer.new_channel()
        await self.layer.group_add(services.group_name(self.code), self.channel)
        self.task = self.loop.create_task(self.run())
        self.ready.set()

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.channel:
            try:
                await self.layer.group_discard(services.group_name(self.code), self.channel)
            except Exception as exc:  # noqa: BLE001 - a layer that is down forgets it anyway
                log.warning("relay of room %s could not leave its group: %r", self.code, exc)

    async def run(self) -> None:
        delay = RETRY_FIRST
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except Exception as exc:  # noqa: BLE001 - the layer is down (Redis restarting)
                log.warning("relay of room %s lost the channel layer: %r", self.code, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX)
                if await self.resubscribe():
                    delay = RETRY_FIRST
                    await self.resync()
                continue
            try:
                await self.deliver(message["event"], message.get("reader"))
            except Exception:  # one bad message must not end the room's relay
                log.exception("relay failed in room %s", self.code)

    async def resubscribe(self) -> bool:
        """A new channel in the room's group (a restarted Redis forgot both); False: not yet."""
        try:
            channel = await self.layer.new_channel()
            await self.layer.group_add(services.group_name(self.code), channel)
        except Exception as exc:  # noqa: BLE001 - still down: the caller backs off and retries
            log.warning("relay of room %s cannot resubscribe yet: %r", self.code, exc)
            return False
        old, self.channel = self.channel, channel
        try:  # after a mere network error Redis still lists the old channel: stop feeding it
            await self.layer.group_discard(services.group_name(self.code), old)
        except Exception:  # noqa: BLE001 - it expires anyway
            pass
        log.info("relay of room %s is back on the channel layer", self.code)
        return True

    async def resync(self) -> None:
        """Broadcasts sent during the outage are lost: each local tab gets a fresh snapshot."""
        for member in list(self.members):
            try:
                with translation.override(member.lang):
                    await member.on_sync({})
            except Exception:  # noqa: BLE001 - a closed tab; the others still need theirs
                log.warning("could not resync a tab in room %s", self.code)

    async def deliver(self, event: dict, reader: dict | None) -> None:
        public = None if event["type"] == "answer" else json.dumps(event, ensure_ascii=False)
        private = json.dumps({**event, **reader}, ensure_ascii=False) if reader else public
        for member in list(self.members):
            try:
                await member.relay(event, public, private)
            except Exception:  # a tab that just went away must not cost the others the event
                log.warning("could not relay %s to a tab in room %s", event["type"], self.code)


_relays: dict[str, RoomRelay] = {}


async def relay_join(code: str, consumer: RoomConsumer) -> None:
    relay = _relays.get(code)
    if relay is None or relay.loop is not asyncio.get_running_loop():
        relay = _relays[code] = RoomRelay(code, get_channel_layer())
        relay.members.add(consumer)
        await relay.start()
    else:
        relay.members.add(consumer)
        await relay.ready.wait()


async def relay_leave(code: str, consumer: RoomConsumer) -> None:
    relay = _relays.get(code)
    if relay is None or consumer not in relay.members:
        return
    relay.members.discard(consumer)
    if not relay.members:
        del _relays[code]
        await relay.stop()


def _field(message: dict, name: str, kind: type | tuple, *, optional: bool = False):
    value = message.get(name)
    if value is None and optional:
        return None
    if isinstance(value, bool) and kind is not bool:
        raise RuleError("bad_message", f"{name} has the wrong type")
    if not isinstance(value, kind):
        raise RuleError("bad_message", f"{name} is missing or has the wrong type")
    return value


class RoomConsumer(AsyncWebsocketConsumer):
    """One browser tab in one room: a host, a player's seat, or a read-only screen."""

    # No channel of its own: a tab hears the room through its process's RoomRelay. A per-tab
    # channel-layer receive would also end the socket with an error whenever Redis goes away.
    channel_layer_alias = None

    async def connect(self) -> None:
        self.code = rules.normalize_code(self.scope["url_route"]["kwargs"]["code"])
        self.actor: Actor | None = None
        self.reader_seat: int | None = None
        self.lang = "ja"
        # Broadcasts that arrive while this tab's own message is handled wait here: none is
        # lost, and none overtakes the snapshot or answer being prepared.
        self.held: list[str] | None = None
        self.bucket = limits.TokenBucket()
        self.address = limits.client_address(self.scope)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        # Only forgotten by the relay, which stays subscribed: stopping it would cancel a
        # channel-layer receive, which channels_redis does not always survive cleanly.
        relay = _relays.get(self.code)
        if relay is not None:
            relay.members.discard(self)

    # --- from the browser --------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        # A flooding tab is answered cheaply, before any parsing or database work.
        if not self.bucket.allow():
            return await self.error("rate_limited", "too many messages: slow down")
        if text_data is None:
            return await self.error("bad_message", "send JSON text frames")
        if len(text_data.encode()) > MAX_MESSAGE_BYTES:
            return await self.error("too_large", f"a message is at most {MAX_MESSAGE_BYTES} bytes")
        try:
            message = json.loads(text_data)
        except ValueError:
            return await self.error("bad_json", "the message is not valid JSON")
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            return await self.error("bad_message", "a message is an object with a type")
        kind = message["type"]
        handler = self.handlers().get(kind)
        if handler is None:
            return await self.error("unknown_type", f"unknown message type {kind[:40]!r}", kind)
        if self.actor is None and kind not in ("hello", "join", "ping"):
            return await self.error("not_joined", "send hello or join first", kind)
        lookup = kind in ("hello", "join")
        if lookup and limits.join_blocked(self.address):
            return await self.error("too_many_attempts", "too many unknown room codes", kind)
        # The sender hears its own answer (take_result, error, snapshot) before the broadcasts
        # that arrive meanwhile.
        self.held = [] if self.held is None else self.held
        try:
            with translation.override(self.lang):
                await handler(message)
        except RuleError as err:
            if lookup and err.code == "room_not_found":  # someone may be guessing codes
                limits.join_failed(self.address)
            await self.error(err.code, err.detail, kind)
        except Exception:  # a database hiccup: the tab may retry; its state is in the database
            log.exception("%s failed in room %s", kind, self.code)
            await self.error("server_error", "the server could not do this, try again", kind)
        finally:
            await self._release()

    def handlers(self) -> dict[str, Callable[[dict], Awaitable[None]]]:
        return {
            "hello": self.on_hello,
            "join": self.on_join,
            "ping": self.on_ping,
            "sync": self.on_sync,
            "take": self.on_take,
            "start": self.on_start,
            "next": self.on_next,
            "skip": self.on_skip,
            "settings": self.on_settings,
            "kick": self.on_kick,
            "remove": self.on_remove,
            "reader": self.on_reader,
        }

    def _set_lang(self, message: dict) -> None:
        lang = message.get("lang")
        if lang in ("ja", "en"):
            self.lang = lang

    async def on_hello(self, message: dict) -> None:
        if self.actor is not None:
            raise RuleError("out_of_turn", "already said hello")
        role = _field(message, "role", str)
        token = _field(message, "token", str, optional=True)
        self._set_lang(message)
        actor = await database_sync_to_async(services.authenticate)(
            code=self.code, role=role, token=token
        )
        await self._enter(actor)

    async def on_join(self, message: dict) -> None:
        # A tab may watch first (hello as screen) and then join.
        if self.actor is not None and self.actor.role != services.SCREEN:
            raise RuleError("out_of_turn", "already in the room")
        nickname = _field(message, "nickname", str, optional=True)
        previous = _field(message, "previous", str, optional=True)
        self._set_lang(message)
        with translation.override(self.lang):
            seat = await database_sync_to_async(services.seat_join)(
                code=self.code, nickname=nickname or "", previous_token=previous
            )
        await self.send_json(
            {"type": "welcome", "token": seat.token, "seat": seat.pk, "nickname": seat.nickname}
        )
        await self._enter(Actor(services.PLAYER, seat.pk))

    async def _enter(self, actor: Actor) -> None:
        self.actor = actor
        await relay_join(self.code, self)
        # A deadline may have passed while the server was down or nobody was connected.
        tick = await database_sync_to_async(services.room_tick)(code=self.code)
        schedule_tick(self.code, tick.deadline)
        await self.on_sync({})

    async def on_ping(self, message: dict) -> None:
        await self.send_json({"type": "pong"})

    async def on_sync(self, message: dict) -> None:
        data = await database_sync_to_async(services.snapshot)(code=self.code, actor=self.actor)
        self.reader_seat = data["room"]["reader"]
        await self.send_json(data)

    async def _run(self, service: Callable, **kwargs) -> None:
        result = await database_sync_to_async(service)(code=self.code, actor=self.actor, **kwargs)
        if isinstance(result, services.Result):
            schedule_tick(self.code, result.deadline)
            if result.reply:
                await self.send_json(result.reply)

    async def _release(self) -> None:
        held, self.held = self.held or [], None
        for text in held:
            await self.send(text_data=text)

    async def on_take(self, message: dict) -> None:
        card = _field(message, "card", int)
        seat = _field(message, "seat", int, optional=True)
        if seat is not None and seat != self.actor.seat_id:
            raise RuleError("not_your_seat", "you can only take cards for your own seat")
        try:
            await self._run(services.card_take, card_id=card)
        except RuleError as err:
            if err.code == "time_up":
                await _tick(self.code, None)
            raise

    async def on_start(self, message: dict) -> None:
        await self._run(services.room_start)

    async def on_next(self, message: dict) -> None:
        await self._run(services.room_next)

    async def on_skip(self, message: dict) -> None:
        await self._run(services.room_skip)

    async def on_settings(self, message: dict) -> None:
        await self._run(services.room_configure, changes=_field(message, "settings", dict))

    async def on_kick(self, message: dict) -> None:
        await self._run(services.seat_dismiss, seat_id=_field(message, "seat", int), kick=True)

    async def on_remove(self, message: dict) -> None:
        await self._run(services.seat_dismiss, seat_id=_field(message, "seat", int), kick=False)

    async def on_reader(self, message: dict) -> None:
        if "seat" not in message:
            raise RuleError("bad_message", "seat is missing (null gives the role to the host)")
        await self._run(services.reader_set, seat_id=_field(message, "seat", int, optional=True))

    # --- from the room's relay ----------------------------------------------------------

    def sees_answer(self) -> bool:
        return self.actor is not None and (
            self.actor.role == services.HOST
            or (self.actor.seat_id is not None and self.actor.seat_id == self.reader_seat)
        )

    async def relay(self, event: dict, public: str | None, private: str | None) -> None:
        kind = event["type"]
        if kind == "reader":
            self.reader_seat = event["seat"]
        text = private if self.sees_answer() else public
        if text is None:
            return
        if self.held is not None:
            self.held.append(text)
            return
        await self.send(text_data=text)
        if kind == "player_left" and self.actor and event["seat"] == self.actor.seat_id:
            await relay_leave(self.code, self)
            await self.close(code=4403 if event["reason"] == "kicked" else 4000)

    # --- helpers -----------------------------------------------------------------------

    async def send_json(self, data: dict) -> None:
        await self.send(text_data=json.dumps(data, ensure_ascii=False))

    async def error(self, code: str, detail: str, about: str | None = None) -> None:
        await self.send_json({"type": "error", "code": code, "detail": detail, "about": about})
