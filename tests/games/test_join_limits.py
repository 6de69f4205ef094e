"""A class can always get in: failed room lookups slow the browser (and, far later, the address)
that makes them, never the rest of a class behind the same address, and never a seated player,
the host or the projector. See games/limits.py.

In-process: Django's test client stands for the browsers (each Client keeps its own cookies; all
share the address 127.0.0.1, as a class behind a school's NAT does) and WebsocketCommunicator
for the sockets. tests/conftest.py clears the in-process cache before each test.
"""

from __future__ import annotations

import time
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client as Browser
from django.utils import translation

from games import limits, rules, services
from tests.conftest import make_server
from tests.games.conftest import Client, room_on_server

pytestmark = pytest.mark.django_db


def unknown(number: int) -> str:
    """A well-formed code (``rules.CODE_ALPHABET``) that no test room has: W-W-…"""
    digits = rules.CODE_ALPHABET
    return "WW" + "".join(digits[number // 24**i % 24] for i in (2, 1, 0))


def mistype(browser: Browser, times: int, start: int = 0) -> list[int]:
    """``times`` well-formed codes that lead to no room, typed in the join form."""
    codes = [unknown(number) for number in range(start, start + times)]
    return [browser.get("/en/play/join/", {"code": code}).status_code for code in codes]


def host_a_room(browser: Browser, lang: str = "en") -> str:
    """The host's one click: a new room, hosted by this browser's session. Its code."""
    response = browser.post(f"/{lang}/play/new/")
    assert response.status_code == 302, response.status_code
    return response["Location"].rstrip("/").split("/")[-2]


def wait_until(condition, timeout: float = 10.0):
    """Poll ``condition`` until it returns something true (a back-off passing)."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)
    return result


# --- the back-off itself ---------------------------------------------------------------------


def test_it_waits_nothing_for_free_failures_then_doubles_up_to_the_cap():
    waits = [limits.backoff_seconds(n, free=5, base=2, cap=60) for n in range(0, 12)]
    assert waits == [0, 0, 0, 0, 0, 0, 2, 4, 8, 16, 32, 60]
    assert limits.backoff_seconds(10_000, free=5, base=2, cap=60) == 60


def test_it_counts_ipv6_clients_by_their_64():
    assert limits.counted_address("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert limits.counted_address("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert limits.counted_address("::ffff:192.0.2.7") == "192.0.2.7"
    assert limits.counted_address("192.0.2.7") == "192.0.2.7"


def test_a_forged_or_foreign_cookie_counts_as_no_cookie():
    visitor = limits.Visitor("192.0.2.7", browser="abc", rooms=["K7MQX"], can_set_cookie=True)
    good = limits.signed_cookie(visitor)
    assert limits.visitor_from("192.0.2.7", good, can_set_cookie=True).rooms == ["K7MQX"]
    for bad in (good[:-2] + "xx", "K7MQX", "", None):
        read = limits.visitor_from("192.0.2.7", bad, can_set_cookie=True)
        assert (read.browser, read.rooms) == (None, [])


def test_the_wait_doubles_with_each_failure_past_the_free_ones(settings):
    settings.JOIN_BROWSER_FREE = 2
    visitor = limits.Visitor("192.0.2.7", can_set_cookie=True)
    now = 1_000_000.0
    for _ in range(2):
        limits.failed(visitor, now=now)
    assert limits.waiting(visitor, now=now) is None
    limits.failed(visitor, now=now)
    assert limits.waiting(visitor, now=now) == limits.Wait(2, "browser")
    assert limits.waiting(visitor, now=now + 2.01) is None
    limits.failed(visitor, now=now + 3)
    assert limits.waiting(visitor, now=now + 3) == limits.Wait(4, "browser")


# --- a class behind one address ---------------------------------------------------------------


def test_a_class_behind_one_address_still_gets_in_after_many_mistyped_codes(deck):
    teacher, projector, seated = Browser(), Browser(), Browser()
    code = host_a_room(teacher)
    assert teacher.get(f"/en/play/{code}/host/").status_code == 200
    assert projector.get(f"/en/play/{code}/screen/").status_code == 200
    assert seated.get(f"/en/play/{code}/").status_code == 200

    # Four students mistype six codes each: 24 failures from the class's one address.
    mistypers = [Browser() for _ in range(4)]
    for student in mistypers:
        assert mistype(student, 6) == [404] * 6

    newcomer = Browser()
    assert newcomer.get("/en/play/join/", {"code": code.lower()})["Location"].endswith(
        f"/en/play/{code}/"
    )
    assert Browser().get(f"/en/play/{code}/").status_code == 200  # a QR scan
    assert seated.get(f"/en/play/{code}/").status_code == 200  # a reload
    assert projector.get(f"/en/play/{code}/screen/").status_code == 200
    assert teacher.get(f"/en/play/{code}/host/").status_code == 200
    assert teacher.get(f"/en/play/{code}/qr.svg").status_code == 200
    second = host_a_room(teacher)
    assert teacher.get(f"/en/play/{second}/host/").status_code == 200
    assert projector.get(f"/en/play/{second}/screen/").status_code == 200  # a new browser's first


def test_the_mistyping_browser_backs_off_with_a_translated_message(deck, settings):
    room = services.room_create()
    student = Browser()
    assert mistype(student, settings.JOIN_BROWSER_FREE + 1) == [404] * 6
    # Now even the right code waits: the answer must not tell a guesser which codes exist.
    refused = student.get("/en/play/join/", {"code": room.code})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "2"
    page = refused.content.decode()
    assert "Several codes that do not exist were typed in this browser." in page
    assert "Try again in 2 seconds." in page
    assert 'href="/en/play/"' in page  # the way back to Play
    assert f'value="{room.code}"' in page  # the form to try again keeps the code
    with translation.override("ja"):
        japanese = student.get(f"/ja/play/{room.code}/")
    assert japanese.status_code == 429
    assert "2 秒後にもう一度試してください。" in japanese.content.decode()
    assert "このブラウザで、存在しないコードが何度か入力されました。" in japanese.content.decode()
    # Its neighbours behind the same address are not slowed at all.
    assert Browser().get("/en/play/join/", {"code": room.code}).status_code == 302


def test_the_back_off_passes_and_grows(deck, settings):
    settings.JOIN_BACKOFF_BASE = 0.5
    settings.JOIN_BROWSER_FREE = 1
    room = services.room_create()
    student = Browser()
    assert mistype(student, 2) == [404, 404]
    assert student.get(f"/en/play/{room.code}/").status_code == 429
    wait_until(lambda: student.get(f"/en/play/{room.code}/").status_code == 200)
    # Let in once, that room stays open to it, whatever it mistypes next.
    assert mistype(student, 1, start=2) == [404]
    assert student.get(f"/en/play/{room.code}/").status_code == 200
    assert student.get("/en/play/join/", {"code": unknown(999)}).status_code == 429
    cookie = student.cookies[limits.COOKIE].value
    visitor = limits.visitor_from("127.0.0.1", cookie, can_set_cookie=False)
    assert visitor.rooms == [room.code]
    # The third failure waits twice as long as the second (1 s): still waiting after 0.7 s.
    assert limits.waiting(visitor, now=time.time() + 0.7) is not None


def test_a_guesser_that_drops_its_cookies_is_limited_by_the_address(deck, settings):
    settings.JOIN_ADDRESS_FREE = 30
    teacher, seated = Browser(), Browser()
    code = host_a_room(teacher)
    assert seated.get(f"/en/play/{code}/").status_code == 200
    # A fresh browser for every guess: only the address counts them.
    statuses = [mistype(Browser(), 1, start=n)[0] for n in range(31)]
    assert statuses == [404] * 31
    refused = Browser().get("/en/play/join/", {"code": unknown(999)})
    assert refused.status_code == 429
    assert "Many codes that do not exist were typed on your network" in refused.content.decode()
    assert Browser().get(f"/en/play/{code}/").status_code == 429  # it learns nothing
    # Those who are in stay in; the host still hosts, and opens new rooms.
    assert seated.get(f"/en/play/{code}/").status_code == 200
    assert teacher.get(f"/en/play/{code}/host/").status_code == 200
    assert teacher.get(f"/en/play/{code}/screen/").status_code == 200
    second = host_a_room(teacher)
    assert teacher.get(f"/en/play/{second}/host/").status_code == 200
    # Another address is not affected.
    other = Browser(REMOTE_ADDR="198.51.100.4")
    assert other.get(f"/en/play/{code}/").status_code == 200


def test_lookups_of_rooms_that_exist_are_never_counted(deck, settings):
    settings.JOIN_BROWSER_FREE = settings.JOIN_ADDRESS_FREE = 0
    room = services.room_create()
    for _ in range(30):
        student = Browser()
        assert student.get("/en/play/join/", {"code": room.code}).status_code == 302
        assert student.get(f"/en/play/{room.code}/qr.svg").status_code == 200
    # Nothing was counted: the first failure is still answered (and only then counted).
    assert Browser().get("/en/play/join/", {"code": unknown(1000)}).status_code == 404
    assert Browser().get("/en/play/join/", {"code": unknown(1001)}).status_code == 429


def test_a_malformed_code_is_answered_but_not_counted(deck, settings):
    settings.JOIN_BROWSER_FREE = settings.JOIN_ADDRESS_FREE = 0
    student = Browser()
    for typed in ("", "K7", "hello world", "ZZZ00", "0O0O0"):
        page = student.get("/en/play/join/", {"code": typed})
        assert page.status_code == 404
    assert student.get("/en/play/join/", {"code": unknown(1000)}).status_code == 404  # still free
    assert student.get("/en/play/join/", {"code": unknown(1001)}).status_code == 429


def test_the_limit_fails_open_when_the_cache_is_down(deck, settings):
    # A Redis that is not there (nothing listens on port 9 of loopback).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.JOIN_BROWSER_FREE = settings.JOIN_ADDRESS_FREE = 0
    room = services.room_create()
    student = Browser()
    assert mistype(student, 3) == [404] * 3
    assert student.get("/en/play/join/", {"code": room.code}).status_code == 302


# --- the socket ------------------------------------------------------------------------------


def cookie_header(browser: Browser) -> tuple[bytes, bytes]:
    return (b"cookie", f"{limits.COOKIE}={browser.cookies[limits.COOKIE].value}".encode())


async def guess_on_socket(times: int) -> None:
    for number in range(times):
        guess = await Client(unknown(number)).open()
        await guess.send("hello" if number % 2 else "join", role="screen", nickname="Guess")
        assert (await guess.expect("error"))["code"] == "room_not_found"
        await guess.close()


@pytest.mark.django_db(transaction=True)
async def test_the_socket_refuses_strangers_while_waiting_but_never_a_token_or_the_projector(
    make_room, clients, settings
):
    settings.JOIN_ADDRESS_FREE = 3
    code, host_token = await make_room()
    player = await clients(code)
    await player.join("Aki")
    # The projector's browser loaded the screen page first: its cookie lists the room.
    projector = Browser()
    screen_page = await database_sync_to_async(projector.get)(f"/en/play/{code}/screen/")
    assert screen_page.status_code == 200

    await guess_on_socket(4)

    stranger = await clients(code)
    await stranger.send("hello", role="screen")
    assert (await stranger.expect("error"))["code"] == "too_many_attempts"
    await stranger.send("join", nickname="Guess")
    assert (await stranger.expect("error"))["code"] == "too_many_attempts"
    await stranger.send("ping")  # still open and answering
    assert (await stranger.recv())["type"] == "pong"
    # A made-up token is refused the same way as no token: nothing learnt while waiting.
    await stranger.send("hello", role="host", token="not-the-token")
    assert (await stranger.expect("error"))["code"] == "too_many_attempts"

    host = await clients(code)
    assert (await host.hello("host", host_token))["type"] == "snapshot"
    back = await clients(code)
    assert (await back.hello("player", player.token))["type"] == "snapshot"  # a reload
    screen = Client(code)
    from karuta.asgi import application

    screen.comm = WebsocketCommunicator(
        application,
        f"/ws/rooms/{code}/",
        headers=[(b"origin", b"http://testserver"), cookie_header(projector)],
    )
    await screen.open()
    assert (await screen.hello("screen"))["type"] == "snapshot"
    await screen.close()


# --- several processes -------------------------------------------------------------------------


def status_of(url: str) -> int:
    try:
        with urlopen(url, timeout=10) as response:
            return response.status
    except HTTPError as error:
        return error.code


def test_with_redis_every_process_counts_the_same_failures(redis_url, tmp_path):
    """Two daphne processes on one Redis: failures made on one are waited out on the other (a
    guesser gets no fresh budget by reaching another process)."""
    env = {"REDIS_URL": redis_url, "JOIN_ADDRESS_FREE": "3", "JOIN_BACKOFF_BASE": "60"}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = make_server(tmp_path / "a", env)
    second = make_server(tmp_path / "b", {**env, "DATABASE_URL": first.env["DATABASE_URL"]})
    try:
        code, _ = room_on_server(first)
        # Before any failure, the room opens on both.
        assert status_of(f"{second.url}/en/play/{code}/") == 200
        statuses = [status_of(f"{first.url}/en/play/join/?code={unknown(n)}") for n in range(4)]
        assert statuses == [404] * 4
        assert status_of(f"{second.url}/en/play/join/?code={unknown(9)}") == 429
        assert status_of(f"{second.url}/en/play/{code}/") == 429  # a stranger learns nothing
    finally:
        first.stop()
        second.stop()
        # The session's Redis serves other tests: leave no counters behind.
        import redis

        shared = redis.Redis.from_url(redis_url)
        for key in shared.scan_iter("karuta:*join:*"):
            shared.delete(key)
