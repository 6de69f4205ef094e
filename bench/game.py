"""Take-to-broadcast latency of real games, driven by real websocket clients.

Each room has a host (who learns the answer, as the protocol allows) and ``players`` players.
For every card, one player takes the right card; the sample is the time from that player's
``take`` until every client of the room has received the ``taken`` broadcast. The players
answer the server's latency probes as a page does, so a fair race's decision window waits for
their measured networks; each card's window (stored with the card) is reported on its own and
taken off the sample (``excluding_window``), which is what compares with the bare relay.
"""

import asyncio
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field

import websockets

from bench.servers import manage
from bench.stats import quiet_collector, summary

ORIGIN = "http://127.0.0.1"


def create_rooms(env: dict, count: int, options: dict | None = None) -> list[tuple[str, str]]:
    """(code, host token) of ``count`` new rooms, made by the app's own service."""
    options = options if options is not None else {"lang": "en"}
    script = (
        "from games import services\n"
        f"for _ in range({count}):\n"
        f"    room = services.room_create(options={options!r})\n"
        "    print(room.code, room.host_token)\n"
    )
    out = manage(env, "shell", "-c", script)
    return [tuple(line.split()) for line in out.splitlines() if len(line.split()) == 2]


@dataclass
class Room:
    code: str
    host_token: str
    sockets: list = field(default_factory=list)
    host: object = None
    takers: list = field(default_factory=list)
    waiting: dict = field(default_factory=dict)
    latencies: list = field(default_factory=list)
    answer: asyncio.Future | None = None
    sizes: dict = field(default_factory=dict)  # the largest message of each type (bytes)
    errors: dict = field(default_factory=dict)  # error code -> how many tabs got it
    listeners: list = field(default_factory=list)


async def _expect(ws, kind: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), deadline - time.monotonic()))
        if message["type"] == kind:
            return message
        if message["type"] == "error":
            raise RuntimeError(f"server error: {message}")


async def _open(url: str):
    # A tab of a hall is not read while the others are seated: no client keepalive (its pong
    # would wait behind thousands of player_joined) and an unbounded receive queue.
    return await websockets.connect(
        url, origin=ORIGIN, max_size=2**20, open_timeout=60, ping_interval=None, max_queue=None
    )


async def host_hello(base_url: str, code: str, host_token: str) -> None:
    """Open a room's websocket as its host, wait for the snapshot, close: loads the game code."""
    ws = await _open(base_url.replace("http://", "ws://") + f"/ws/rooms/{code}/")
    try:
        await ws.send(json.dumps({"type": "hello", "role": "host", "token": host_token}))
        await _expect(ws, "snapshot")
    finally:
        await ws.close()


async def listen(room: Room, ws) -> None:
    """A tab of the benchmark, from the moment it is seated: answers probes at once (as a
    page does: a tab left unread while 2,000 others were seated answered a minute of probes
    in one burst and was rate-limited), and tells the room of each reading and ``taken``."""
    async for raw in ws:
        message = json.loads(raw)
        kind = message["type"]
        room.sizes[kind] = max(room.sizes.get(kind, 0), len(raw))
        if kind == "error":
            room.errors[message.get("code")] = room.errors.get(message.get("code"), 0) + 1
        if kind == "probe":  # answered at once, as the page's socket handler does
            await ws.send(json.dumps({"type": "probe", "id": message["id"]}))
        elif kind == "taken":
            card = message["card"]
            room.waiting[card]["left"] -= 1
            if room.waiting[card]["left"] == 0:
                room.waiting[card]["done"].set_result(time.perf_counter())
        elif kind == "reading" and ws is room.host and room.answer and not room.answer.done():
            room.answer.set_result(message["answer"]["id"])
        elif kind == "finished" and ws is room.host and room.answer and not room.answer.done():
            room.answer.set_result(None)


async def seat_room(base_urls: list[str], room: Room, players: int) -> None:
    """The host on the first server, the players round-robin over all of them (with several
    servers every broadcast has to cross processes through the channel layer)."""
    urls = [u.replace("http://", "ws://") + f"/ws/rooms/{room.code}/" for u in base_urls]
    room.host = await _open(urls[0])
    await room.host.send(json.dumps({"type": "hello", "role": "host", "token": room.host_token}))
    await _expect(room.host, "snapshot")
    room.listeners.append(asyncio.create_task(listen(room, room.host)))
    for start in range(0, players, 20):
        numbers = range(start, min(start + 20, players))
        batch = await asyncio.gather(*(_open(urls[(n + 1) % len(urls)]) for n in numbers))
        for number, ws in zip(numbers, batch, strict=True):
            await ws.send(json.dumps({"type": "join", "nickname": f"p{number}"}))
            await _expect(ws, "welcome")
            await _expect(ws, "snapshot")
            room.takers.append(ws)
            room.listeners.append(asyncio.create_task(listen(room, ws)))
    room.sockets = [room.host, *room.takers]


async def play_room(
    room: Room, cards: int, pace: float, rng: random.Random, settle: float = 0.0
) -> None:
    """Play up to ``cards`` cards: read, one player takes the right card, everyone sees it.
    ``settle``: seconds of answering probes first (the networks measured once seating is
    over, not while the load generator was busy seating)."""
    loop = asyncio.get_running_loop()

    try:
        # Classes do not all press start in the same millisecond: spread the starts.
        await asyncio.sleep(settle + rng.uniform(0, pace))
        room.answer = loop.create_future()
        await room.host.send(json.dumps({"type": "start"}))
        for _ in range(cards):
            card = await asyncio.wait_for(room.answer, 60)
            if card is None:
                break
            room.waiting[card] = {"left": len(room.sockets), "done": loop.create_future()}
            taker = rng.choice(room.takers)
            sent = time.perf_counter()
            await taker.send(json.dumps({"type": "take", "card": card}))
            finished = await asyncio.wait_for(room.waiting[card]["done"], 60)
            room.latencies.append((card, (finished - sent) * 1000))
            await asyncio.sleep(pace)
            room.answer = loop.create_future()
            await room.host.send(json.dumps({"type": "next"}))
    finally:
        room.answer = None


async def close_room(room: Room) -> None:
    for task in room.listeners:
        task.cancel()
    await asyncio.gather(*(ws.close() for ws in room.sockets), return_exceptions=True)


async def take_to_broadcast(
    base_urls: list[str],
    env: dict,
    *,
    rooms: int,
    players: int,
    cards: int = 24,
    pace: float = 0.05,
    seed: int = 7,
    collect: list | None = None,
    windows_out: list | None = None,
    options: dict | None = None,
    settle: float = 0.0,
) -> dict:
    """Latency summary over ``rooms`` rooms of ``players`` playing at once: p50/p99 without
    the decision window (``with_window``: as the players felt it; ``window``: the windows)."""
    rng = random.Random(seed)
    made = [Room(code, token) for code, token in create_rooms(env, rooms, options)]
    seating = time.perf_counter()
    for room in made:
        await seat_room(base_urls, room, players)
    seating = time.perf_counter() - seating
    try:
        with quiet_collector():
            await asyncio.gather(*(play_room(room, cards, pace, rng, settle) for room in made))
    finally:
        await asyncio.gather(*(close_room(room) for room in made))
    windows = race_windows(env, [room.code for room in made])
    samples = [ms for room in made for _card, ms in room.latencies]
    bare = [ms - windows.get(card, 0.0) for room in made for card, ms in room.latencies]
    if collect is not None:
        collect.extend(bare)
    if windows_out is not None:
        windows_out.extend(windows.values())
    sizes: dict[str, int] = {}
    for room in made:
        for kind, size in room.sizes.items():
            sizes[kind] = max(sizes.get(kind, 0), size)
    return {
        **summary(bare),
        "with_window": summary(samples),
        "window": summary(list(windows.values())),
        "seating_s": seating,
        "largest_bytes": sizes,
        "errors": dict(sum((Counter(r.errors) for r in made), Counter())),
    }


def race_windows(env: dict, codes: list[str]) -> dict[int, float]:
    """Each taken card's decision window (ms) in these rooms, as the server stored it."""
    script = (
        "import json\nfrom games.models import BoardCard\n"
        f"rows = BoardCard.objects.filter(room__code__in={codes!r}, window_ms__isnull=False)\n"
        "print('WINDOWS', json.dumps(dict(rows.values_list('id', 'window_ms'))))\n"
    )
    out = manage(env, "shell", "-c", script)
    line = next(line for line in out.splitlines() if line.startswith("WINDOWS "))
    return {int(k): v for k, v in json.loads(line.removeprefix("WINDOWS ")).items()}
