"""Helpers for the room tests: websocket clients in-process and against live daphne servers."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

TIMEOUT = 5


class Client:
    """A browser tab, as the protocol sees it: send messages, wait for the one you expect."""

    answers_probes = True  # as a page does (fair races); a test of a lying tab says False

    def __init__(self, code: str, *, cookie: str = "", address: str = "127.0.0.1") -> None:
        """``cookie``: the page's Cookie header (a browser); ``address``: where it connects from."""
        from karuta.asgi import application

        self.code = code
        headers = [(b"origin", b"http://testserver")]
        if cookie:
            headers.append((b"cookie", cookie.encode("latin-1")))
        self.comm = WebsocketCommunicator(application, f"/ws/rooms/{code}/", headers=headers)
        self.comm.scope["client"] = (address, 50000)
        self.seen: list[dict] = []
        self.token: str | None = None
        self.seat: int | None = None

    async def open(self) -> Client:
        connected, _ = await self.comm.connect()
        assert connected
        return self

    async def send(self, kind: str, **fields) -> None:
        await self.comm.send_to(text_data=json.dumps({"type": kind, **fields}))

    async def send_raw(self, text: str) -> None:
        await self.comm.send_to(text_data=text)

    async def recv(self, timeout: float = TIMEOUT) -> dict:
        """The next message; latency probes are answered at once, as a page does, unseen."""
        while True:
            message = json.loads(await self.comm.receive_from(timeout=timeout))
            if message.get("type") != "probe" or not self.answers_probes:
                break
            await self.send("probe", id=message["id"])
        self.seen.append(message)
        return message

    async def expect(self, kind: str, timeout: float = TIMEOUT) -> dict:
        """The next message of this type; the ones before it are kept in ``seen``."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            message = await self.recv(max(0.01, end - loop.time()))
            if message["type"] == kind:
                return message

    async def expect_where(self, kind: str, timeout: float = TIMEOUT, **fields) -> dict:
        """The next message of this type whose ``fields`` have these values."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            message = await self.expect(kind, max(0.01, end - loop.time()))
            if all(message.get(name) == value for name, value in fields.items()):
                return message

    async def collect(self, *kinds: str, timeout: float = TIMEOUT) -> dict[str, dict]:
        """The first message of each ``kinds``, in whatever order they come; ``"outcome"``
        stands for this client's take_result or error."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        found: dict[str, dict] = {}
        while len(found) < len(kinds):
            message = await self.recv(max(0.01, end - loop.time()))
            kind = message["type"]
            if "outcome" in kinds and kind in ("take_result", "error"):
                kind = "outcome"
            if kind in kinds and kind not in found:
                found[kind] = message
        return found

    async def nothing(self) -> bool:
        return await self.comm.receive_nothing(timeout=0.1)

    async def hello(self, role: str, token: str | None = None) -> dict:
        await self.send("hello", role=role, token=token, lang="en")
        return await self.expect("snapshot")

    async def join(self, nickname: str) -> dict:
        await self.send("join", nickname=nickname, lang="en")
        welcome = await self.expect("welcome")
        self.token, self.seat = welcome["token"], welcome["seat"]
        return await self.expect("snapshot")

    async def close(self) -> None:
        await self.comm.disconnect()


@pytest.fixture
def make_room(deck):
    """``await make_room(**settings)`` → (code, host token): a room in the test database."""

    async def make(**options):
        from games import services

        room = await database_sync_to_async(services.room_create)(options=options)
        return room.code, room.host_token

    return make


@pytest.fixture
def host_and(make_room, clients):
    """``await host_and("Aki", "Ben", **settings)`` → (code, host, [players]): a new room,
    its host said hello, and one joined tab per name."""

    async def seat(*names: str, **options):
        code, token = await make_room(**options)
        host = await clients(code)
        await host.hello("host", token)
        players = []
        for name in names:
            players.append(await clients(code))
            await players[-1].join(name)
        return code, host, players

    return seat


@pytest.fixture
async def clients():
    """Opened clients, all closed at the end of the test."""
    opened: list[Client] = []

    async def open_client(code: str, **where) -> Client:
        client = await Client(code, **where).open()
        opened.append(client)
        return client

    yield open_client
    for client in opened:
        try:
            await client.close()
        except Exception:  # already closed by the server
            pass
    # As a server process does when it stops: the relays leave the (shared) channel layer.
    from games.realtime.relay import relays

    await relays().shutdown()


def room_on_server(server, **options) -> tuple[str, str]:
    """Create a room in a live server's database: (code, host token)."""
    out = server.manage(
        "shell",
        "-c",
        "from games import services; "
        f"r = services.room_create(options={options!r}); print(r.code, r.host_token)",
    )
    code, token = out.strip().splitlines()[-1].split()
    return code, token


class LiveClient(Client):
    """The same client over a real socket to a live daphne server."""

    def __init__(self, base_url: str, code: str) -> None:
        self.code = code
        self.url = base_url.replace("http://", "ws://") + f"/ws/rooms/{code}/"
        self.origin = base_url
        self.seen = []
        self.token = None
        self.seat = None
        self.ws = None

    async def open(self) -> LiveClient:
        from websockets.asyncio.client import connect

        self.ws = await connect(self.url, origin=self.origin, open_timeout=10)
        return self

    async def send(self, kind: str, **fields) -> None:
        await self.ws.send(json.dumps({"type": kind, **fields}))

    async def send_raw(self, text: str) -> None:
        await self.ws.send(text)

    async def recv(self, timeout: float = TIMEOUT) -> dict:
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            if message.get("type") != "probe" or not self.answers_probes:
                break
            await self.send("probe", id=message["id"])
        self.seen.append(message)
        return message

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


def run_async(main, *args):
    """Run ``main(*args)`` on a new event loop in a thread of its own.

    Tests against live servers are plain functions calling this: once the session's sync
    Playwright browser is up, it owns the main thread's event loop, and pytest-asyncio can no
    longer start one there."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(main(*args))
        except BaseException as error:  # handed back to the test's thread
            outcome["error"] = error

    thread = threading.Thread(target=target, name="live-test")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
