"""A finished round POSTed to the server: stored once whatever the resends, checked before
anything is stored, and its ratings fed into the learner's memory."""

from __future__ import annotations

import json
import uuid
from urllib.request import Request, urlopen

import pytest

from practice.models import Answer, Confusion, Memory, Result
from tests.practice.conftest import Learner, a_round

pytestmark = pytest.mark.django_db


def test_it_stores_a_result_sent_twice_once_and_answers_the_same(learner):
    body = a_round()
    first = learner.post("results/", body)
    again = learner.post("results/", body)
    assert first.status_code == again.status_code == 200
    assert first.json()["stored"] is True and again.json()["stored"] is False
    same = {k: v for k, v in first.json().items() if k != "stored"}
    assert same == {k: v for k, v in again.json().items() if k != "stored"}
    assert Result.objects.count() == 1
    assert Answer.objects.count() == 3
    # the memory was rated once: one review per value read, not two
    assert sorted(Memory.objects.values_list("value_type__number", "reviews")) == [
        (1, 1),
        (2, 1),
        (3, 1),
    ]
    assert list(Confusion.objects.values_list("read__number", "taken__number", "count")) == [
        (2, 3, 1)
    ]


def test_it_answers_the_figures_and_the_personal_best(learner):
    answer = learner.post("results/", a_round()).json()
    assert answer["rounds"] == 3 and answer["wrong"] == 1 and answer["elapsed_ms"] == 40_000
    assert answer["personal_best"] is True
    slower = learner.post("results/", a_round(elapsed_ms=50_000)).json()
    assert slower["personal_best"] is False and slower["previous_best"] == [1, 40_000]
    cleaner = a_round(elapsed_ms=90_000, rounds=[{"read": 1, "wrong": [], "ms": 1000}])
    assert learner.post("results/", cleaner).json()["personal_best"] is True  # fewer wrong
    attack = learner.post("results/", a_round(mode="time_attack")).json()
    assert attack["score_ms"] == 45_000 and attack["personal_best"] is True  # its own best


def test_it_rates_wrong_as_again_and_a_slow_right_take_as_hard(learner):
    learner.post("results/", a_round())
    ratings = dict(Answer.objects.values_list("read__number", "rating"))
    assert ratings == {1: 3, 2: 1, 3: 2}  # Good, Again, Hard
    due = dict(Memory.objects.values_list("value_type__number", "due"))
    assert due[2] < due[3] <= due[1]


BAD = [
    (a_round(id="not-a-uuid"), "bad_id"),
    (a_round(mode="blitz"), "bad_mode"),
    (a_round(pace="warp"), "bad_pace"),
    (a_round(card_set="<script>"), "bad_card_set"),
    (a_round(rounds=[]), "bad_rounds"),
    (a_round(rounds=[{"read": 99, "wrong": [], "ms": 1}]), "unknown_card"),
    (a_round(rounds=[{"read": 1, "wrong": [77], "ms": 1}]), "unknown_card"),
    (a_round(rounds=[{"read": 1, "wrong": [1], "ms": 1}]), "bad_round"),
    (
        a_round(rounds=[{"read": 1, "wrong": [], "ms": 1}, {"read": 1, "wrong": [], "ms": 1}]),
        "bad_rounds",
    ),
    (a_round(rounds=[{"read": 1, "wrong": [], "ms": -5}]), "bad_time"),
    (a_round(elapsed_ms=100), "bad_time"),  # shorter than one of its readings
    (a_round(elapsed_ms="40000"), "bad_time"),
    (["a", "list"], "bad_json"),
    ("{not json", "bad_json"),
]


@pytest.mark.parametrize(("body", "code"), BAD)
def test_it_refuses_a_result_that_cannot_be_and_stores_nothing(learner, body, code):
    answer = learner.post("results/", body)
    assert answer.status_code == 400
    assert answer.json()["error"] == code and answer.json()["message"]
    assert Result.objects.count() == 0 and Memory.objects.count() == 0


def test_it_refuses_a_huge_body(learner):
    answer = learner.post("results/", json.dumps(a_round(padding="x" * 20_000)))
    assert answer.status_code == 413 and Result.objects.count() == 0


def test_its_errors_are_translated(deck):
    japanese = Learner("ja")
    answer = japanese.post("results/", a_round(mode="blitz"))
    assert answer.json()["message"] == "不明なゲームモードです。"


def test_a_browser_that_is_no_learner_is_told_so(deck):
    from django.test import Client

    answer = Client().post("/en/practice/results/", a_round(), content_type="application/json")
    assert answer.status_code == 400 and answer.json()["error"] == "no_learner"


def test_the_post_needs_the_csrf_token(deck):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    assert browser.get("/en/practice/").status_code == 200
    refused = browser.post("/en/practice/learner/", "{}", content_type="application/json")
    assert refused.status_code == 403
    token = browser.cookies["csrftoken"].value
    allowed = browser.post(
        "/en/practice/learner/", "{}", content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert allowed.status_code == 200


def test_one_address_is_limited(learner, settings):
    settings.PRACTICE_POSTS_PER_ADDRESS = "2/m"
    from django.core.cache import cache

    cache.clear()
    assert learner.post("results/", a_round()).status_code == 200
    assert learner.post("results/", a_round()).status_code == 200
    limited = learner.post("results/", a_round())
    assert limited.status_code == 429 and limited.json()["error"] == "rate_limited"
    assert Result.objects.count() == 2
    cache.clear()


def _post(url: str, body: dict, cookies: dict) -> dict:
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    request = Request(url, data=json.dumps(body).encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("Cookie", cookie)
    request.add_header("X-CSRFToken", cookies.get("csrftoken", ""))
    request.add_header("Origin", url.split("/en/")[0])
    with urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_a_resend_to_a_real_server_is_stored_once(server):
    with urlopen(f"{server.url}/en/practice/", timeout=10) as page:
        cookies = {
            c.split("=", 1)[0]: c.split("=", 1)[1].split(";")[0]
            for c in page.headers.get_all("Set-Cookie")
        }
    token = _post(f"{server.url}/en/practice/learner/", {}, cookies)["token"]
    body = a_round(id=str(uuid.uuid4()), token=token)
    answers = [_post(f"{server.url}/en/practice/results/", body, cookies) for _ in range(3)]
    assert [a["stored"] for a in answers] == [True, False, False]
    script = (
        "from practice.models import Result; "
        f"print(Result.objects.filter(client_id='{body['id']}').count())"
    )
    assert server.manage("shell", "-c", script).strip().splitlines()[-1] == "1"
