"""The flood of issue 10 against a real daphne server: a script that posts questionnaires with
a fresh cookie jar each time (1,000 stored for one room in 16 s before) gets no more answers
stored than the room had seats, nothing for a code with no room, and past the address's
budget a 429."""

import json
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.conftest import make_server
from tests.surveys.conftest import seed_room

ROOM, SEATS = "FLD77", 5
BUDGET = 100  # questionnaire POSTs this server lets one address send (SURVEY_POSTS_PER_ADDRESS)


@pytest.fixture
def flooded(tmp_path):
    server = make_server(tmp_path, {"SURVEY_POSTS_PER_ADDRESS": f"{BUDGET}/10m"})
    yield server
    server.stop()


def stored(server) -> dict:
    out = server.manage(
        "shell",
        "-c",
        "import json; from django.db.models import Count; from surveys.models import Response; "
        "print('RESULT' + json.dumps(list(Response.objects.values('room_code')"
        ".annotate(n=Count('id')).order_by('room_code'))))",
    )
    return {row["room_code"]: row["n"] for row in json.loads(out.split("RESULT", 1)[1])}


def csrf_pair(base: str) -> tuple[str, str]:
    """A CSRF cookie and form token, fetched once: every POST below reuses them and sends no
    respondent cookie, as a script with a fresh jar each time would."""
    with urllib.request.urlopen(f"{base}/en/play/", timeout=30) as page:
        cookie = page.headers["Set-Cookie"]
        html = page.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return re.search(r"csrftoken=([^;]+)", cookie).group(1), token


def post(base: str, code: str, csrf: tuple[str, str]) -> int:
    # A made-up respondent token each time, as the script of the finding sent (ignored now).
    fields = {"csrfmiddlewaretoken": csrf[1], "respondent": secrets.token_urlsafe(24)}
    data = urllib.parse.urlencode({**fields, "A": "satisfied", "B2": "4"})
    request = urllib.request.Request(
        f"{base}/en/survey/room/{code}/",
        data=data.encode(),
        headers={"Cookie": f"csrftoken={csrf[0]}"},
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_a_scripted_flood_is_capped_at_the_rooms_seats(flooded):
    seed_room(flooded, ROOM, seats=SEATS)
    csrf = csrf_pair(flooded.url)
    started = time.monotonic()
    codes = [post(flooded.url, ROOM, csrf) for _ in range(BUDGET - 5)]
    elapsed = time.monotonic() - started
    assert codes[:SEATS] == [302] * SEATS
    assert set(codes[SEATS:]) == {403}  # "This questionnaire is full"
    assert stored(flooded) == {ROOM: SEATS * 2}  # one answer to each questionnaire per seat
    # A code with no room stores nothing (and tells the script nothing more than a 404).
    assert {post(flooded.url, "NOPE7", csrf) for _ in range(5)} == {404}
    assert stored(flooded) == {ROOM: SEATS * 2}
    # Those were counted as failed room lookups (games/limits.py), not against this budget:
    # the rest of it, then refused (429) before anything is stored.
    assert [post(flooded.url, ROOM, csrf) for _ in range(5)] == [403] * 5
    assert post(flooded.url, ROOM, csrf) == 429
    print(f"\n{BUDGET - 5} flood POSTs in {elapsed:.1f} s, {SEATS} stored per questionnaire")
