"""Limits a script meets against a real daphne server: sockets that never say hello are
closed, one address holds a bounded number of sockets, and room creation is rate-limited per
address, while a class's own traffic passes. (Over the protocol in-process:
tests/games/test_room_abuse.py.)"""

import asyncio
import re
import time
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.conftest import make_server
from tests.games.conftest import LiveClient, room_on_server, run_async


@pytest.fixture
def live(tmp_path):
    server = make_server(
        tmp_path,
        {
            "LOG_LEVEL": "WARNING",
            "HELLO_TIMEOUT": "1",
            "SOCKETS_PER_ADDRESS": "5",
            "ROOM_CREATE_RATE": "3/h",
        },
    )
    yield server
    server.stop()


def test_a_socket_that_never_says_hello_is_closed(live):
    code, token = room_on_server(live, lang="en")

    async def main():
        silent = await LiveClient(live.url, code).open()
        talker = await LiveClient(live.url, code).open()
        await talker.hello("screen")
        started = time.perf_counter()
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(silent.ws.recv(), 10)
        waited = time.perf_counter() - started
        assert silent.ws.close_code == 4408
        # The tab that said hello is still served once the silent one is gone.
        await talker.send("sync")
        assert (await talker.expect("snapshot"))["room"]["code"] == code
        await talker.close()
        return waited

    waited = run_async(main)
    print(f"silent socket closed after {waited:.1f} s (HELLO_TIMEOUT=1)")


def test_one_address_holds_a_bounded_number_of_sockets(live):
    code, token = room_on_server(live, lang="en")

    async def main():
        held = [await LiveClient(live.url, code).open() for _ in range(5)]
        for client in held:
            await client.hello("screen")
        with pytest.raises(InvalidStatus) as refused:
            await LiveClient(live.url, code).open()
        assert refused.value.response.status_code == 403
        # One socket closes: its place is free again.
        await held.pop().close()
        for _ in range(50):  # the server counts the close when it sees it
            try:
                held.append(await LiveClient(live.url, code).open())
                break
            except InvalidStatus:
                await asyncio.sleep(0.05)
        else:
            raise AssertionError("a freed place was not given back")
        await held[-1].hello("screen")
        await asyncio.gather(*(c.close() for c in held))

    run_async(main)


def create_room(url: str, opener, lang: str = "en") -> tuple[int, str]:
    """Press "Create a room" as a browser would: fetch the form (CSRF cookie), post it."""
    page = opener.open(f"{url}/{lang}/play/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode({"csrfmiddlewaretoken": token}).encode()
    request = Request(f"{url}/{lang}/play/new/", data=body, headers={"Referer": url})
    try:
        with opener.open(request) as response:
            return response.status, response.read().decode()
    except HTTPError as error:
        return error.code, error.read().decode()


def test_room_creation_is_limited_per_address(live):
    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    statuses = [create_room(live.url, opener)[0] for _ in range(3)]
    assert statuses == [200, 200, 200]  # each redirected to its host page
    # A script dropping its cookies is still the same address.
    status, page = create_room(live.url, build_opener(HTTPCookieProcessor(CookieJar())))
    assert status == 429
    assert "Too many rooms were created from this network" in page
    status, page = create_room(live.url, opener, lang="ja")
    assert status == 429 and "このネットワークから作られたルームが多すぎます" in page
    rooms = live.manage("shell", "-c", "from games.models import Room; print(Room.objects.count())")
    assert rooms.strip().splitlines()[-1] == "3"


def test_a_server_expires_rooms_by_itself(tmp_path):
    """No cron job: the server applies the expiry schedule every ROOM_EXPIRY_EVERY seconds."""
    server = make_server(
        tmp_path, {"LOG_LEVEL": "WARNING", "ROOM_EXPIRY_EVERY": "1", "ROOM_LOBBY_HOURS": "0"}
    )
    try:
        code, _ = room_on_server(server, lang="en")
        deadline = time.monotonic() + 15
        while True:
            try:
                build_opener().open(f"{server.url}/en/play/{code}/screen/")
            except HTTPError as error:
                assert error.code == 404
                break
            assert time.monotonic() < deadline, "the lobby was never expired"
            time.sleep(0.2)
    finally:
        server.stop()


class BehindProxy(LiveClient):
    """A tab whose address the trusted proxy (here: the test, on loopback) gives the server."""

    def __init__(self, base_url: str, code: str, address: str) -> None:
        super().__init__(base_url, code)
        self.address = address

    async def open(self):
        from websockets.asyncio.client import connect

        headers = {"X-Forwarded-For": self.address}
        self.ws = await connect(self.url, origin=self.origin, additional_headers=headers)
        return self


def test_one_network_cannot_fill_a_room_but_a_class_of_100_fits(tmp_path):
    """Found in a real run: 500 seats from one client filled a room, and a real student got
    room_full. With the defaults, a school address seats 150 players and no more."""
    server = make_server(tmp_path, {"LOG_LEVEL": "WARNING", "TRUSTED_PROXIES": "127.0.0.1"})
    try:
        code, _ = room_on_server(server, lang="en")

        async def join(address: str, name: str) -> dict:
            tab = await BehindProxy(server.url, code, address).open()
            try:
                await tab.send("join", nickname=name, lang="en")
                while (reply := await tab.recv())["type"] not in ("welcome", "error"):
                    pass
                return reply
            finally:
                await tab.close()

        async def main():
            replies = [await join("203.0.113.5", f"Seat {n}") for n in range(151)]
            student = await join("198.51.100.7", "Real student")
            return replies, student

        replies, student = run_async(main)
        kinds = [r.get("code", r["type"]) for r in replies]
        assert kinds == ["welcome"] * 150 + ["too_many_seats"]
        assert student["type"] == "welcome"
    finally:
        server.stop()
