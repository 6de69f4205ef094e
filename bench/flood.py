"""A legitimate tab's ``sync`` while 60 sockets from one other address ask for snapshots, each
within its own message budget (found in a real run: 10 ms became 400 ms).

The same flood is run against two servers started the same way, one with the per-address
budget of games/limits.py at its defaults and one with it turned off (the baseline), and the
tab's syncs are timed before and during the flood on each. The flooders come from another
address through the trusted proxy header (the bench runs on loopback, where every socket would
otherwise share one address with the tab being measured).
"""

import asyncio
import json
import time

import websockets

from bench.game import ORIGIN, Room, _expect, create_rooms, seat_room
from bench.stats import summary

FLOODERS = 60
FLOODER_ADDRESS = "203.0.113.9"
DEFAULT_BUDGET = {"ADDRESS_MESSAGE_RATE": "100", "ADDRESS_MESSAGE_BURST": "3000"}  # settings.py


async def _timed_syncs(ws, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        await ws.send(json.dumps({"type": "sync"}))
        await _expect(ws, "snapshot")
        samples.append((time.perf_counter() - started) * 1000)
    return samples


async def _flooder(url: str, stop: asyncio.Event) -> None:
    headers = {"X-Forwarded-For": FLOODER_ADDRESS}
    try:
        async with websockets.connect(url, origin=ORIGIN, additional_headers=headers) as ws:
            await ws.send(json.dumps({"type": "hello", "role": "screen"}))

            async def drain():
                async for _ in ws:
                    pass

            reader = asyncio.create_task(drain())
            sync = json.dumps({"type": "sync"})
            while not stop.is_set():  # 20 a second: each socket within its own budget
                await ws.send(sync)
                await asyncio.sleep(0.05)
            reader.cancel()
    except (OSError, websockets.ConnectionClosed):
        pass  # refused or closed by the server: that is the limit at work


async def _measure(base_url: str, env: dict, samples: int) -> dict:
    code, token = create_rooms(env, 1)[0]
    room = Room(code, token)
    await seat_room([base_url], room, 40)
    url = base_url.replace("http://", "ws://") + f"/ws/rooms/{code}/"
    async with websockets.connect(url, origin=ORIGIN) as tab:
        await tab.send(json.dumps({"type": "hello", "role": "screen"}))
        await _expect(tab, "snapshot")
        quiet = await _timed_syncs(tab, samples)
        stop = asyncio.Event()
        flood = [asyncio.create_task(_flooder(url, stop)) for _ in range(FLOODERS)]
        await asyncio.sleep(1.0)  # the flood under way (and past the address's burst)
        flooded = await _timed_syncs(tab, samples)
        stop.set()
        await asyncio.gather(*flood)
    for ws in room.sockets:
        await ws.close()
    return {"quiet": summary(quiet), "flood": summary(flooded)}


def sync_under_flood(start_server, samples: int = 40) -> dict:
    """``start_server(extra_env)`` is a context manager giving (base_url, env)."""
    figures = {}
    for name, extra in (
        ("limits off", {"ADDRESS_MESSAGE_RATE": "1e9"}),
        ("limits on", DEFAULT_BUDGET),
    ):
        with start_server({"TRUSTED_PROXIES": "127.0.0.1", **extra}) as (url, env):
            figures[name] = asyncio.run(_measure(url, env, samples))
    return figures
