"""Fair races over real networks: players reach a live daphne server through proxies that
delay each direction (10 to 300 ms round trips, ±20 ms jitter). The player who reacted faster
by 30 ms or more wins, whatever their network; with fairness off, the better network wins."""

from __future__ import annotations

import asyncio
import json
import random
from functools import partial

import pytest

from tests.games.conftest import LiveClient, room_on_server, run_async
from tests.latency_proxy import LatencyProxy

SERVER_ENV = {
    "LATENCY_PROBE_SECONDS": "0.2",
    # Every player connects from 127.0.0.1 here, standing for students on their own addresses.
    "ADDRESS_MESSAGE_BURST": "1000000",
    "ADDRESS_MESSAGE_RATE": "1000000",
}


@pytest.fixture(scope="module")
def fair_server(tmp_path_factory):
    from tests.conftest import make_server

    server = make_server(tmp_path_factory.mktemp("fair"), SERVER_ENV)
    yield server
    server.stop()


class Phone(LiveClient):
    """A page on a slow network: it answers probes the moment they arrive (as the page's
    socket handler does), while the test reads the other messages when it likes."""

    async def open(self) -> Phone:
        await super().open()
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.answered = asyncio.Event()
        self.probes = 0
        self.pump = asyncio.create_task(self._pump())
        return self

    async def _pump(self) -> None:
        async for text in self.ws:
            message = json.loads(text)
            if message.get("type") == "probe":
                await self.ws.send(json.dumps({"type": "probe", "id": message["id"]}))
                self.probes += 1
                if self.probes >= 8:
                    self.answered.set()
            else:
                self.inbox.put_nowait(message)

    async def recv(self, timeout: float = 10) -> dict:
        message = await asyncio.wait_for(self.inbox.get(), timeout)
        self.seen.append(message)
        return message

    async def close(self) -> None:
        self.pump.cancel()
        await super().close()


async def play_races(server, *, fair: bool, reader_mode: str, rtts, races: int, rng):
    """One game of ``races`` races between two players, "Quick" reacting 30–80 ms faster than
    "Slow", on networks of round trips ``rtts`` (Quick's, Slow's) with ±20 ms jitter. Returns,
    per race, whether Quick won."""
    code, token = room_on_server(
        server, fair=fair, reader_mode=reader_mode, wrong_take="discuss", pause=1, voice=False
    )
    host = await LiveClient(server.url, code).open()
    await host.hello("host", token)
    target = ("127.0.0.1", int(server.url.rsplit(":", 1)[1]))
    loop = asyncio.get_running_loop()
    outcomes = []
    proxies = [
        LatencyProxy(target, up_ms=rtt / 2, down_ms=rtt / 2, jitter_ms=10, seed=i)
        for i, rtt in enumerate(rtts)
    ]
    for proxy in proxies:
        await proxy.__aenter__()
    phones = []
    try:
        for name, proxy in zip(("Quick", "Slow"), proxies, strict=True):
            phone = await Phone(proxy.url(server.url), code).open()
            await phone.join(name)
            phones.append(phone)
        # The probes have measured both networks before the first card.
        await asyncio.gather(*(p.answered.wait() for p in phones))
        await host.send("start")
        for race in range(races):
            if race and reader_mode == "human":
                await host.send("next")  # in automatic mode the server moves on by itself
            reading = await host.expect("reading", timeout=15)
            heard = loop.time()
            answer = reading["answer"]["id"]
            quick = rng.uniform(150, 300)
            reactions = (quick, quick + rng.uniform(30, 80))

            async def take(phone, reaction, answer=answer, heard=heard):
                if reader_mode == "auto":  # from the reading reaching this device
                    await phone.expect("reading", timeout=15)
                    start = loop.time()
                else:  # a voice in the room: everyone hears it at once
                    start = heard
                await asyncio.sleep(max(0.0, start + reaction / 1000 - loop.time()))
                await phone.send("take", card=answer)

            await asyncio.gather(*(take(p, r) for p, r in zip(phones, reactions, strict=True)))
            taken = await host.expect("taken", timeout=15)
            outcomes.append(taken["by"] == phones[0].seat)
            if fair:  # every screen is shown the race's reaction times, the winner's first
                assert taken["fastest"][0]["seat"] == taken["by"], taken["fastest"]
                winner = next(p for p in phones if p.seat == taken["by"])
                own = await winner.expect_where("taken", card=answer, timeout=15)
                assert own["yours_ms"] == taken["fastest"][0]["ms"]
            else:
                assert taken["fastest"] == []
    finally:
        for phone in phones:
            await phone.close()
        await host.close()
        for proxy in proxies:
            await proxy.__aexit__(None, None, None)
    return outcomes


def test_the_faster_player_wins_whatever_the_network(fair_server):
    """28 races: the faster player on the worse network, then on the better one, with a human
    reader (8 each) and the automatic reader (6 each: its pause makes each race longer). The
    four games, each in a room of its own, are played at the same time."""
    games = [
        partial(play_races, fair_server, fair=True, reader_mode=reader_mode, rtts=rtts,
                races=races, rng=random.Random(seed))
        for seed, (reader_mode, races, rtts) in enumerate(
            (mode, races, rtts)
            for mode, races in (("human", 8), ("auto", 6))
            for rtts in ((300, 10), (10, 300))
        )
    ]  # fmt: skip

    async def all_at_once():
        return await asyncio.gather(*(game() for game in games))

    outcomes = [won for game in run_async(all_at_once) for won in game]
    assert len(outcomes) == 28
    assert sum(outcomes) >= 0.95 * len(outcomes), (outcomes, takes_of(fair_server))


def test_with_fairness_off_the_better_network_wins(fair_server):
    outcomes = run_async(
        partial(play_races, fair_server, fair=False, reader_mode="human", rtts=(300, 10),
                races=8, rng=random.Random(6))
    )  # fmt: skip
    # The faster player is on 300 ms, the slower on 10 ms: arrival order gives it away.
    assert sum(outcomes) <= 0.25 * len(outcomes), outcomes


def takes_of(server) -> str:
    """The races as the server stored them (for a failure's message)."""
    return server.manage(
        "shell",
        "-c",
        "from games.models import Seat, Take\n"
        "for t in Take.objects.select_related('seat').order_by('pk'):"
        " print(t.room_id, t.seat.nickname, t.won, round(t.reaction_ms or -1), t.flag)\n"
        "for s in Seat.objects.all(): print(s.nickname, s.round_trip_ms, s.jitter_ms)",
    )
