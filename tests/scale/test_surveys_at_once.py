"""200 questionnaire submissions at once over two processes on PostgreSQL, some sent twice
(the second copy to the other process): every respondent is stored exactly once."""

import http.cookiejar
import re
import threading
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.redis

ROOM = "RUSH200"
RESPONDENTS = 150
DOUBLED = 50  # 150 + 50 = 200 submissions
# Django runs each HTTP request's sync view in a thread of its own under ASGI: a persistent
# connection (DB_CONN_MAX_AGE > 0) is never reused and lingers until its thread is collected,
# so 200 requests at once exhaust PostgreSQL's connections. Django's advice for ASGI: 0.
CLUSTER_ENV = {"DB_CONN_MAX_AGE": "0"}


def open_form(base_url: str):
    url = f"{base_url}/en/survey/room/{ROOM}/?q=2"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(url, timeout=30).read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    token = re.search(r'name="respondent" value="([^"]+)"', html).group(1)
    data = {"csrfmiddlewaretoken": csrf, "respondent": token, "B2": "4"}
    return opener, urllib.parse.urlencode(data).encode(), token


def test_two_hundred_submissions_at_once_are_stored_once_each(cluster):
    urls = cluster.urls
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
