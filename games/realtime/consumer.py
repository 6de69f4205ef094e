"""One browser tab in one room: read a frame, call a service, send the answer.

Thin on purpose: protocol.py reads and checks the frame, services.py writes, selectors.py
reads, events.py says what the others hear, the relay carries it. See docs/protocol.md.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.utils import timezone, translation

from games import fairness, limits, metrics, rules, selectors, services, takes, teams
from games.events import Event
from games.realtime import protocol
from games.realtime.publish import perform
from games.realtime.relay import LayerUnavailable, relays
from games.realtime.timers import schedule_tick, tick
from games.rules import RuleError
from games.selectors import Actor

log = logging.getLogger(__name__)

CLOSE_TRY_AGAIN = 1013  # RFC 6455: the server cannot serve this now; the client retries
CLOSE_NO_HELLO = 4408  # nothing said within HELLO_TIMEOUT (a page says hello at once)


class RoomConsumer(AsyncWebsocketConsumer):
    """A host, a player's seat, or a read-only screen."""

    # No channel of its own: a tab hears the room through its process's relay. A per-tab
    # channel-layer receive would also end the socket with an error whenever Redis goes away.
    channel_layer_alias = None

    async def connect(self) -> None:
        self.code = rules.normalize_code(self.scope["url_route"]["kwargs"]["code"])
        self.actor: Actor | None = None
        self.lang = "ja"
        # Events that arrive while this tab's own message is handled wait here: none is
        # lost, and none overtakes the snapshot or answer being prepared.
        self.held: list[Event] | None = None
        self.bucket = limits.TokenBucket()
        self.visitor = limits.scope_visitor(self.scope)  # address, and the page's cookie
        self.counted = limits.crowd.enter(self.visitor.address)
        if not self.counted:  # this address holds its share of sockets: refuse the handshake
            metrics.SOCKETS_REFUSED.inc()
            return await self.close()
        self.shared = limits.crowd.budget(self.visitor.address)
        self.greeted = False  # a hello or join arrived (answered or refused)
        # This tab's network, from the probes it answers (games/fairness.py), for fair races.
        self.latency = fairness.Latency()
        self.probes: dict[int, float] = {}  # probe id → when it was sent (monotonic)
        self.prober: asyncio.Task | None = None
        self.stored_round_trip: float | None = None
        self.dispatch = self.handlers()  # once per socket, not per message
        await self.accept()
        metrics.WEBSOCKETS.inc()
        self.hello_timer = asyncio.get_running_loop().call_later(
            settings.HELLO_TIMEOUT, lambda: asyncio.ensure_future(self._close_if_silent())
        )

    async def disconnect(self, code: int) -> None:
        if not self.counted:
            return
        limits.crowd.leave(self.visitor.address)
        self.hello_timer.cancel()
        if self.prober is not None:
            self.prober.cancel()
        metrics.WEBSOCKETS.dec()
        relays().leave(self.code, self)

    async def _close_if_silent(self) -> None:
        """A socket that said nothing for HELLO_TIMEOUT seconds only holds a place: closed."""
        if not self.greeted:
            await self.close(code=CLOSE_NO_HELLO)

    # --- from the browser --------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        self.arrived, arrived = timezone.now(), time.monotonic()  # before any queueing here
        # A flooding tab is answered cheaply, before any parsing or database work.
        if not self.bucket.allow():
            return await self.error("rate_limited", "too many messages: slow down")
        if text_data and len(text_data) < 64 and '"probe"' in text_data:  # answered at once
            return await self.on_probe(text_data, arrived)
        started = time.perf_counter()
        kind = None
        self.held = [] if self.held is None else self.held
        try:
            with translation.override(self.lang):
                message = protocol.parse(text_data)
                kind = message["type"]
                if not self._within_budget(kind):
                    return await self._over_budget(kind)
                fields = protocol.validate(message)
                await self.handle(kind, fields)
        except RuleError as err:
            if kind in ("hello", "join") and err.code == "room_not_found":
                await sync_to_async(limits.failed, thread_sensitive=False)(self.visitor)
            await self.error(err.code, err.detail, kind)
        except LayerUnavailable as exc:
            log.warning("room %s: no live updates for a tab: %s", self.code, exc)
            self.actor = None
            await self.error("unavailable", "the channel layer is down: reconnect", kind)
            await self.close(code=CLOSE_TRY_AGAIN)
        except Exception:  # a database hiccup: the tab may retry; its state is in the database
            log.exception("%s failed in room %s", kind, self.code)
            await self.error("server_error", "the server could not do this, try again", kind)
        finally:
            await self._release()
            if kind == "take":
                metrics.TAKE_SECONDS.observe(time.perf_counter() - started)

    def _within_budget(self, kind: str) -> bool:
        """The budget this socket shares with its address's others, where a snapshot costs
        more than a take (its own budget was checked on arrival: one message, one token)."""
        return self.shared.allow(limits.message_cost(kind))

    async def _over_budget(self, kind: str) -> None:
        if self.actor is None and kind in ("hello", "join"):
            # A tab without its room yet must not be left waiting: it reconnects a moment
            # later (the client backs off), as when the channel layer is down.
            await self.close(code=CLOSE_TRY_AGAIN)
        else:
            await self.error("rate_limited", "too many messages from this network", kind)

    async def handle(self, kind: str, fields: dict) -> None:
        if kind in ("hello", "join"):
            self.greeted = True
        if self.actor is None and kind not in protocol.BEFORE_HELLO:
            raise RuleError("not_joined", "send hello or join first")
        wait = None
        if kind in ("hello", "join"):  # games/limits.py: back-off after unknown room codes
            wait = await sync_to_async(limits.may_enter, thread_sensitive=False)(
                self.visitor, self.code
            )
            # A hello whose token the room accepts (host, seated player) is never refused.
            if wait and not (kind == "hello" and fields.get("token")):
                raise RuleError("too_many_attempts", f"unknown room codes: wait {wait.seconds} s")
        if fields.get("lang") in ("ja", "en"):
            self.lang = fields["lang"]
            translation.activate(self.lang)
        try:
            await self.dispatch[kind](fields)
        except RuleError as err:
            if wait:  # while waiting, a failed hello says no more than a refusal would
                raise RuleError("too_many_attempts", f"wait {wait.seconds} s") from err
            raise

    def handlers(self) -> dict[str, Callable[[dict], Awaitable[None]]]:
        return {
            "hello": self.on_hello,
            "join": self.on_join,
            "ping": self.on_ping,
            "probe": self.on_late_probe,
            "sync": self.on_sync,
            "take": self.on_take,
            "start": lambda f: self._run(services.room_start),
            "next": lambda f: self._run(services.room_next),
            "skip": lambda f: self._run(services.room_skip),
            "settings": lambda f: self._run(services.room_configure, changes=f["settings"]),
            "kick": lambda f: self._run(services.seat_dismiss, seat_id=f["seat"], kick=True),
            "remove": lambda f: self._run(services.seat_dismiss, seat_id=f["seat"], kick=False),
            "reader": lambda f: self._run(services.reader_set, seat_id=f["seat"]),
            "rematch": lambda f: self._run(services.room_rematch),
            "lock": lambda f: self._run(services.room_lock, locked=f["locked"]),
            "team": lambda f: self._run(teams.team_pick, team_id=f["team"], seat_id=f["seat"]),
            "team_name": lambda f: self._run(teams.team_rename, team_id=f["team"], name=f["name"]),
        }

    async def on_hello(self, fields: dict) -> None:
        if self.actor is not None:
            raise RuleError("out_of_turn", "already said hello")
        actor = await database_sync_to_async(services.authenticate)(
            code=self.code, role=fields["role"], token=fields["token"]
        )
        await self._enter(actor)

    async def on_join(self, fields: dict) -> None:
        # A tab may watch first (hello as screen) and then join.
        if self.actor is not None and self.actor.role != rules.SCREEN:
            raise RuleError("out_of_turn", "already in the room")
        joined = await perform(
            services.seat_join,
            code=self.code,
            nickname=fields["nickname"] or "",
            previous_token=fields["previous"],
            newcomer=services.Newcomer(
                browser=self.visitor.browser, network=limits.network_key(self.visitor.address)
            ),
        )
        seat = joined.seat
        await self.send_json(
            {
                "type": "welcome",
                "token": seat.token,
                "seat": seat.pk,
                "nickname": seat.nickname,
                "restored": joined.restored,
            }
        )
        await self._enter(Actor(rules.PLAYER, seat.pk))

    async def _enter(self, actor: Actor) -> None:
        # Subscribed before the snapshot is read: no event committed after it can be missed.
        await relays().join(self.code, self)
        self.actor = actor
        if actor.role == rules.PLAYER and settings.LATENCY_PROBE_SECONDS > 0 and not self.prober:
            # A reconnect (to any process) starts from what the seat's tabs measured before.
            known = await database_sync_to_async(selectors.seat_latency)(actor.seat_id)
            if known is not None:
                self.latency = self.latency.add(known)
            self.prober = asyncio.ensure_future(self._probe())
        # A deadline may have passed while the server was down or nobody was connected.
        tick = await perform(services.room_tick, code=self.code)
        schedule_tick(self.code, tick.deadline)
        snapshot = await self.on_sync({})
        if snapshot["room"]["state"] == rules.FINISHED:
            # Everyone may have moved on ("play again") while this tab was away: follow them.
            moved = await database_sync_to_async(selectors.moved)(code=self.code, actor=actor)
            if moved is not None:
                await self.send_json(moved)

    async def on_ping(self, fields: dict) -> None:
        await self.send_json({"type": "pong"})

    # --- the tab's network (fair races) --------------------------------------------------

    async def _probe(self) -> None:
        """Every LATENCY_PROBE_SECONDS (three at once first), a ``probe`` the page answers at
        once; the round trips make this tab's latency (docs/protocol.md, Fair races)."""
        interval = settings.LATENCY_PROBE_SECONDS
        n = 0
        while True:
            n += 1
            self.probes = {k: v for k, v in self.probes.items() if k > n - 5}
            self.probes[n] = time.monotonic()
            await self.send_json({"type": "probe", "id": n})
            await asyncio.sleep(interval if n > 3 else min(interval, 0.3))

    async def on_late_probe(self, fields: dict) -> None:
        """A probe answer the quick path let through (padded, reordered keys): too slow to
        measure by now, and harmless."""

    async def on_probe(self, text: str, arrived: float) -> None:
        try:
            answer = json.loads(text)
            sent = self.probes.pop(int(answer["id"])) if answer["type"] == "probe" else None
        except (ValueError, TypeError, KeyError):
            sent = None
        if sent is None:
            return  # not one of ours (or answered twice): nothing to learn
        self.latency = self.latency.add((arrived - sent) * 1000)
        stored, now = self.stored_round_trip, self.latency.round_trip_ms
        if self.actor and self.actor.seat_id and fairness.worth_storing(stored, now):
            self.stored_round_trip = now
            await perform(
                services.seat_latency,
                seat_id=self.actor.seat_id,
                round_trip_ms=now,
                jitter_ms=self.latency.jitter_ms,
            )

    async def on_sync(self, fields: dict) -> dict:
        data = await database_sync_to_async(selectors.snapshot)(code=self.code, actor=self.actor)
        await self.send_json(data)
        return data

    async def on_take(self, fields: dict) -> None:
        if fields["seat"] is not None and fields["seat"] != self.actor.seat_id:
            raise RuleError("not_your_seat", "you can only take cards for your own seat")
        try:
            result = await self._run(
                takes.card_take,
                card_id=fields["card"],
                latency=self.latency,
                arrived_at=self.arrived,
                claimed_ms=fields["reaction_ms"],
            )
            if result.pending is not None:  # a fair race: answered once its window closed
                wait = (result.deadline - timezone.now()).total_seconds() if result.deadline else 0
                await asyncio.sleep(max(0.0, wait))
                result = await self._run(takes.race_outcome, take_id=result.pending)
        except RuleError as err:
            metrics.TAKES.labels(outcome=err.code).inc()
            if err.code == "time_up":  # the timer has not fired here yet: act on it now
                await tick(self.code)
            raise
        metrics.TAKES.labels(outcome=result.reply["outcome"]).inc()

    async def _run(self, service: Callable, **kwargs) -> services.Result | None:
        result = await perform(service, code=self.code, actor=self.actor, **kwargs)
        if isinstance(result, services.Result):
            schedule_tick(self.code, result.deadline)
            if result.reply:
                await self.send_json(result.reply)
        return result

    # --- from the room's relay ----------------------------------------------------------

    async def relay(self, event: Event) -> None:
        if self.actor is None:  # still entering: the snapshot being read will include it
            return
        if self.held is not None:
            self.held.append(event)
            return
        await self._deliver(event)

    async def resync(self) -> None:
        if self.actor is None:  # not in yet: its own snapshot is on the way
            return
        with translation.override(self.lang):
            self.held = [] if self.held is None else self.held
            try:
                await self.on_sync({})
            finally:
                await self._release()

    async def _deliver(self, event: Event) -> None:
        await self.send(text_data=event.text_for(self.actor.role, self.actor.seat_id))
        if event.close_seat is not None and event.close_seat == self.actor.seat_id:
            relays().leave(self.code, self)
            await self.close(code=event.close_code)

    async def _release(self) -> None:
        held, self.held = self.held or [], None
        for event in held:
            if self.actor is not None:
                await self._deliver(event)

    # --- helpers -----------------------------------------------------------------------

    async def send_json(self, data: dict) -> None:
        await self.send(text_data=json.dumps(data, ensure_ascii=False))

    async def error(self, code: str, detail: str, about: str | None = None) -> None:
        with translation.override(self.lang):
            await self.send_json(protocol.error_frame(code, detail, about))
