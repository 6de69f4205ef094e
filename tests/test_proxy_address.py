"""Whose address a limit counts: the socket's peer, unless the peer is a trusted proxy
(``TRUSTED_PROXIES``), then the rightmost X-Forwarded-For entry that is not a trusted proxy.

A guesser behind nginx used to rotate a forged leftmost X-Forwarded-For entry and get a fresh
address budget with each request (daphne's --proxy-headers believes the leftmost entry). The
live tests run daphne as docs/deploy.md says (without --proxy-headers), with the header a
client can forge to the left of what the proxy appended.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from games import limits
from tests.conftest import make_server
from tests.games.conftest import room_on_server, run_async
from tests.games.test_join_limits import unknown

ROOT = Path(__file__).resolve().parent.parent
REAL = "203.0.113.7"  # the guesser's own address, as the proxy saw it


def scope(peer: str, forwarded: str | None = None) -> dict:
    headers = [(b"host", b"karuta.example.org")]
    if forwarded is not None:
        headers.append((b"x-forwarded-for", forwarded.encode()))
    return {"type": "websocket", "client": [peer, 50000], "headers": headers}


def meta(peer: str, forwarded: str | None = None) -> dict:
    found = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        found["HTTP_X_FORWARDED_FOR"] = forwarded
    return found


# --- which address -----------------------------------------------------------------------------


@pytest.mark.parametrize("source", [scope, meta])
def test_without_trusted_proxies_the_header_is_ignored(source, settings):
    settings.TRUSTED_PROXIES = []
    assert limits.client_address(source("198.51.100.9", "1.2.3.4")) == "198.51.100.9"
    assert limits.client_address(source("127.0.0.1", "1.2.3.4, 5.6.7.8")) == "127.0.0.1"


@pytest.mark.parametrize("source", [scope, meta])
def test_behind_a_trusted_proxy_the_rightmost_untrusted_entry_counts(source, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # nginx appending to a forged value: the forged entries are on the left.
    assert limits.client_address(source("127.0.0.1", f"1.2.3.4, {REAL}")) == REAL
    assert limits.client_address(source("127.0.0.1", f"1.2.3.5,{REAL}")) == REAL
    # A chain of trusted proxies (a load balancer in 10/8, then nginx on this machine).
    assert limits.client_address(source("127.0.0.1", f"9.9.9.9, {REAL}, 10.1.2.3")) == REAL
    # nginx overwriting the header ($remote_addr): one entry.
    assert limits.client_address(source("127.0.0.1", REAL)) == REAL
    assert limits.client_address(source("127.0.0.1", "2001:db8::1")) == "2001:db8::1"


@pytest.mark.parametrize("source", [scope, meta])
def test_a_peer_that_is_not_a_trusted_proxy_is_the_client(source, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert limits.client_address(source(REAL, "127.0.0.1, 1.2.3.4")) == REAL


@pytest.mark.parametrize("source", [scope, meta])
def test_the_proxy_itself_or_a_header_it_did_not_write_leaves_the_proxy(source, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert limits.client_address(source("127.0.0.1")) == "127.0.0.1"  # a check on the machine
    assert limits.client_address(source("127.0.0.1", "")) == "127.0.0.1"
    assert limits.client_address(source("127.0.0.1", "127.0.0.1")) == "127.0.0.1"
    # Garbage where the proxy's own entry should be: not an address to count by.
    assert limits.client_address(source("127.0.0.1", f"{REAL}, not-an-ip")) == "127.0.0.1"


def test_several_header_lines_are_one_list(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    two = scope("127.0.0.1", "1.2.3.4")
    two["headers"].append((b"x-forwarded-for", REAL.encode()))
    assert limits.client_address(two) == REAL


def test_an_ipv4_mapped_peer_is_its_ipv4_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert limits.client_address(meta("::ffff:127.0.0.1", REAL)) == REAL


# --- against a real server ---------------------------------------------------------------------


def status_of(url: str, forwarded: str) -> int:
    request = Request(url, headers={"X-Forwarded-For": forwarded})
    try:
        with urlopen(request, timeout=10) as response:
            return response.status
    except HTTPError as error:
        return error.code


def guesses(server, forwarded: list[str]) -> list[int]:
    return [
        status_of(f"{server.url}/en/play/join/?code={unknown(n)}", header)
        for n, header in enumerate(forwarded)
    ]


LIMITED = {"JOIN_ADDRESS_FREE": "3", "JOIN_BACKOFF_BASE": "60"}


def test_behind_the_proxy_a_rotating_forged_entry_is_one_address(tmp_path):
    """1.2.3.N rotates, the proxy's entry (the guesser's real address) does not: the address
    backs off after its free failures, and another client behind the proxy is not affected."""
    server = make_server(tmp_path, {**LIMITED, "TRUSTED_PROXIES": "127.0.0.1"})
    try:
        code, _ = room_on_server(server)
        forged = [f"1.2.3.{n}, {REAL}" for n in range(6)]
        assert guesses(server, forged) == [404] * 4 + [429] * 2
        room = f"{server.url}/en/play/{code}/"
        assert status_of(room, f"1.2.3.99, {REAL}") == 429  # it learns nothing
        # Another school behind the same proxy keeps its own budget.
        assert status_of(room, "198.51.100.20") == 200
        assert run_async(socket_hello, server, code, f"1.2.3.100, {REAL}") == "too_many_attempts"
        assert run_async(socket_hello, server, code, "198.51.100.21") == "snapshot"
    finally:
        server.stop()


def test_without_trusted_proxies_a_forged_header_is_ignored(tmp_path):
    server = make_server(tmp_path, LIMITED)
    try:
        code, _ = room_on_server(server)
        forged = [f"1.2.3.{n}" for n in range(6)]
        assert guesses(server, forged) == [404] * 4 + [429] * 2
        assert status_of(f"{server.url}/en/play/{code}/", "198.51.100.20") == 429
    finally:
        server.stop()


async def socket_hello(server, code: str, forwarded: str) -> str:
    """A projector's hello on the room's socket, sent with ``forwarded``: the answer's type
    (``snapshot``) or error code."""
    from websockets.asyncio.client import connect

    url = server.url.replace("http://", "ws://") + f"/ws/rooms/{code}/"
    headers = {"X-Forwarded-For": forwarded}
    async with connect(url, origin=server.url, additional_headers=headers) as ws:
        await ws.send(json.dumps({"type": "hello", "role": "screen"}))
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), 10))
            if message["type"] in {"snapshot", "error"}:
                return message.get("code", message["type"])


# --- the documented deployment -----------------------------------------------------------------


def test_the_documented_deployment_overwrites_the_header_and_lets_the_app_choose():
    """daphne's --proxy-headers believes the leftmost X-Forwarded-For entry, which a client
    writes: the documented command must not use it, and nginx must overwrite the header."""
    deploy = (ROOT / "docs" / "deploy.md").read_text()
    commands = re.findall(r"^command=.*daphne.*$", deploy, flags=re.M)
    assert commands and not any("--proxy-headers" in line for line in commands)
    nginx = re.findall(r"```nginx\n(.*?)```", deploy, flags=re.S)
    assert nginx and all("X-Forwarded-For $remote_addr;" in block for block in nginx)
    assert not any("$proxy_add_x_forwarded_for" in block for block in nginx)
    assert "TRUSTED_PROXIES=127.0.0.1" in deploy
    makefile = (ROOT / "Makefile").read_text()
    assert "--proxy-headers" not in makefile


# --- what else trusts the address --------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_behind_the_proxy_are_for_the_machine_only(client, settings):
    """/metrics answers loopback scrapers: through nginx on the machine every request comes
    from loopback, so the forwarded address decides."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    through_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR=REAL, **through_proxy).status_code == 403
    forged = f"127.0.0.1, {REAL}"  # a client writing loopback to the left of its own address
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR=forged, **through_proxy).status_code == 403
    assert client.get("/metrics", **through_proxy).status_code == 200  # a scraper on the machine
