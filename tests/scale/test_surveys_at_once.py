"""200 questionnaire submissions at once over two processes on PostgreSQL, some sent twice
(the second copy to the other process): every respondent is stored exactly once."""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.surveys.conftest import respondent_in, seed_room

pytestmark = pytest.mark.redis

ROOM = "RUSH200"
RESPONDENTS = 150
DOUBLED = 50  # 150 + 50 = 200 submissions
# Django runs each HTTP request's sync view in a thread of its own under ASGI, so 200 requests
# at once would open 200 PostgreSQL connections; the session's PostgreSQL has the default
# max_connections (100), and each process's pool (DB_POOL_MAX_SIZE) makes the burst wait instead.
# All 200 come from one address (loopback): above the per-address budget a class would need.
CLUSTER_ENV = {"SURVEY_POSTS_PER_ADDRESS": "1000/10m"}


def open_form(base_url: str):
    url = f"{base_url}/en/survey/room/{ROOM}/?q=2"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(url, timeout=30).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    token = respondent_in(jar, ROOM)  # the room's respondent cookie
    data = {"csrfmiddlewaretoken": csrf, "B2": "4"}
    return opener, urllib.parse.urlencode(data).encode(), token


def test_two_hundred_submissions_at_once_are_stored_once_each(cluster):
    urls = cluster.urls
    seed_room(cluster, ROOM, seats=RESPONDENTS)  # a room of 150 players: each may answer
    with ThreadPoolExecutor(8) as pool:
        forms = list(pool.map(lambda i: open_form(urls[i % 2]), range(RESPONDENTS)))
    submissions = [(i % 2, form) for i, form in enumerate(forms)]
    # The doubled ones send their second copy to the other process.
    submissions += [(1 - i % 2, form) for i, form in enumerate(forms[:DOUBLED])]
    assert len(submissions) == 200
    barrier = threading.Barrier(len(submissions))
    errors: list[str] = []

    def submit(server: int, form) -> None:
        opener, data, _ = form
        url = f"{urls[server]}/en/survey/room/{ROOM}/?q=2"
        barrier.wait()
        try:
            request = urllib.request.Request(url, data=data, headers={"Referer": url})
            assert opener.open(request, timeout=60).status == 200
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=submit, args=s) for s in submissions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = cluster.query(
        "SELECT respondent, questionnaire, answers FROM surveys_response WHERE room_code = %s",
        (ROOM,),
    )
    assert len(rows) == RESPONDENTS
    assert {r[0] for r in rows} == {form[2] for form in forms}
    assert {r[1] for r in rows} == {2}


def test_a_room_takes_no_more_answers_than_seats_even_all_at_once(cluster):
    """60 fresh respondents at once over both processes for a room of 10: the room's row is
    locked while each answer is counted and stored, so exactly 10 are kept."""
    room, seats, senders = "CAP10", 10, 60
    seed_room(cluster, room, seats=seats)
    urls = cluster.urls

    def form(i: int):
        url = f"{urls[i % 2]}/en/survey/room/{room}/?q=2"
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        html = opener.open(url, timeout=30).read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "B2": "2"}).encode()
        return opener, url, data

    with ThreadPoolExecutor(8) as pool:
        forms = list(pool.map(form, range(senders)))
    barrier = threading.Barrier(senders)
    statuses: list[int] = []

    def submit(opener, url, data) -> None:
        barrier.wait()
        try:
            request = urllib.request.Request(url, data=data, headers={"Referer": url})
            statuses.append(opener.open(request, timeout=60).status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=submit, args=f) for f in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * seats + [403] * (senders - seats)  # 200: the thanks page
    rows = cluster.query(
        "SELECT count(*) FROM surveys_response WHERE room_code = %s AND questionnaire = 2",
        (room,),
    )
    assert rows == [(seats,)]
