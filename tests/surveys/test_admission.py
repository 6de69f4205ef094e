"""Questionnaires accepted only from players (issue 10): for rooms that exist, within a window
after the game, at most as many answers as the room had seats (a seat's own answers always),
a per-address rate limit, a respondent cookie per room, and a researcher's open links."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.utils import timezone

from games.models import Seat
from surveys.models import Group, Response

pytestmark = pytest.mark.django_db

ANSWER = {"A": "satisfied", "B2": "4"}


def fresh() -> Client:
    """A browser of its own (a script's fresh cookie jar)."""
    return Client()


def text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- rooms that exist, within the window ---------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "There is no game room with code NOPE9"),
        ("ja", "NOPE9 というゲームのルームはありません"),
    ],
)
def test_a_code_with_no_room_is_a_translated_404_and_stores_nothing(client, deck, lang, words):
    page = client.get(f"/{lang}/survey/room/NOPE9/")
    assert page.status_code == 404
    assert words in text(page)
    posted = client.post(f"/{lang}/survey/room/NOPE9/", ANSWER)
    assert posted.status_code == 404
    assert Response.objects.count() == 0


def test_a_room_that_exists_has_its_questionnaire(client, deck, rooms):
    rooms("K7MQX", seats=3)
    assert client.get("/en/survey/room/k7mqx/").status_code == 200
    assert client.post("/en/survey/room/K7MQX/", ANSWER).status_code == 302
    assert Response.objects.filter(room_code="K7MQX").count() == 2  # one per questionnaire


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_after_the_window_the_questionnaire_is_closed(client, deck, rooms, settings, lang):
    settings.SURVEY_WINDOW_DAYS = 14
    rooms("OLD11", finished_days_ago=15)
    rooms("NEW11", finished_days_ago=13)
    closed = client.get(f"/{lang}/survey/room/OLD11/")
    assert closed.status_code == 410
    words = "This questionnaire is closed" if lang == "en" else "このアンケートは締め切りました"
    assert words in text(closed)
    assert client.post(f"/{lang}/survey/room/OLD11/", ANSWER).status_code == 410
    assert client.get(f"/{lang}/survey/room/NEW11/").status_code == 200
    assert Response.objects.count() == 0


def test_the_window_counts_from_creation_for_a_room_never_finished(client, deck, rooms, settings):
    settings.SURVEY_WINDOW_DAYS = 2
    room = rooms("LOBBY")
    type(room).objects.filter(pk=room.pk).update(created_at=timezone.now() - timedelta(days=3))
    assert client.get("/en/survey/room/LOBBY/").status_code == 410


# --- at most as many answers as seats ------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_answers_per_room_are_capped_at_its_seats(deck, rooms, lang):
    rooms("CAP33", seats=3)
    codes = [fresh().post(f"/{lang}/survey/room/CAP33/", ANSWER).status_code for _ in range(5)]
    assert codes == [302, 302, 302, 403, 403]
    for number in (1, 2):
        assert Response.objects.filter(room_code="CAP33", questionnaire=number).count() == 3
    late = fresh()
    page = late.get(f"/{lang}/survey/room/CAP33/")
    assert page.status_code == 403
    words = (
        "This questionnaire is full" if lang == "en" else "このアンケートは回答数が上限に達しました"
    )
    assert words in text(page)


def test_a_player_who_answered_may_still_change_the_answers_when_full(deck, rooms):
    rooms("FULL1", seats=1)
    player = fresh()
    player.post("/en/survey/room/FULL1/", ANSWER)
    assert fresh().post("/en/survey/room/FULL1/", ANSWER).status_code == 403
    page = player.get("/en/survey/room/FULL1/")
    assert page.status_code == 200 and b'name="revise"' in page.content
    changed = player.post("/en/survey/room/FULL1/", {"revise": "1", "A": "neither", "B2": "2"})
    assert "updated=1" in changed["Location"]
    assert Response.objects.get(questionnaire=1).answers == {"A": "neither"}


# --- a seat's own questionnaire -------------------------------------------------------------


def seat_of(code: str, n: int = 0) -> Seat:
    return Seat.objects.filter(room__code=code).order_by("pk")[n]


def from_seat(browser: Client, code: str, token: str, lang: str = "en"):
    return browser.post(f"/{lang}/survey/room/{code}/from-seat/", {"seat": token})


def test_a_seat_opens_its_questionnaire_with_its_token_in_the_body(deck, rooms):
    rooms("SEAT1", seats=2)
    seat = seat_of("SEAT1")
    browser = fresh()
    opened = from_seat(browser, "SEAT1", seat.token)
    assert opened.status_code == 302 and opened["Location"] == "/en/survey/room/SEAT1/"
    assert seat.token not in opened["Location"]
    assert browser.post("/en/survey/room/SEAT1/", ANSWER).status_code == 302
    assert {r.seat_id for r in Response.objects.all()} == {seat.pk}
    # The same seat from another browser (its token copied to a laptop) revises the one answer.
    laptop = fresh()
    from_seat(laptop, "SEAT1", seat.token)
    page = laptop.get("/en/survey/room/SEAT1/")
    assert b'name="revise"' in page.content
    laptop.post("/en/survey/room/SEAT1/", {"revise": "1", "A": "dissatisfied"})
    assert Response.objects.filter(seat=seat).count() == 1
    assert Response.objects.get(seat=seat).answers == {"A": "dissatisfied"}


def test_a_fresh_form_from_the_same_seat_never_adds_a_second_answer(deck, rooms):
    rooms("SEAT2", seats=2)
    seat = seat_of("SEAT2")
    one, two = fresh(), fresh()
    from_seat(one, "SEAT2", seat.token)
    from_seat(two, "SEAT2", seat.token)
    one.post("/en/survey/room/SEAT2/", {"A": "satisfied"})
    again = two.post("/en/survey/room/SEAT2/", {"A": "neither"})
    assert "already=1" in again["Location"]
    assert Response.objects.get(seat=seat).answers == {"A": "satisfied"}


def test_a_seat_of_another_room_or_a_made_up_token_is_refused(deck, rooms):
    rooms("SEAT3", seats=1)
    rooms("SEAT4", seats=1)
    other = seat_of("SEAT4")
    browser = fresh()
    assert from_seat(browser, "SEAT3", other.token).status_code == 403
    assert from_seat(browser, "SEAT3", "made-up-token-000000").status_code == 403
    assert from_seat(browser, "NOPE9", other.token).status_code == 404
    assert browser.get("/en/survey/room/SEAT3/from-seat/").status_code == 405


def test_a_flood_through_the_plain_link_cannot_shut_the_players_out(deck, rooms):
    rooms("SEAT5", seats=2)
    for _ in range(3):
        fresh().post("/en/survey/room/SEAT5/", ANSWER)
    assert Response.objects.filter(questionnaire=1, seat=None).count() == 2
    for n in (0, 1):
        player = fresh()
        from_seat(player, "SEAT5", seat_of("SEAT5", n).token)
        assert player.post("/en/survey/room/SEAT5/", ANSWER).status_code == 302
    assert Response.objects.filter(questionnaire=1).exclude(seat=None).count() == 2


def test_answers_sent_before_opening_from_the_seat_become_the_seats(deck, rooms):
    rooms("SEAT6", seats=2)
    seat = seat_of("SEAT6")
    phone = fresh()
    phone.post("/en/survey/room/SEAT6/", {"A": "satisfied"})  # the projector's QR first
    from_seat(phone, "SEAT6", seat.token)
    page = phone.get("/en/survey/room/SEAT6/")
    assert b'name="revise"' in page.content
    assert Response.objects.get().seat == seat


# --- the respondent cookie --------------------------------------------------------------------


def test_the_respondent_cookie_is_per_room_httponly_and_lasts_the_window(deck, rooms, settings):
    settings.SURVEY_WINDOW_DAYS = 14
    rooms("ROOMA")
    rooms("ROOMB")
    browser = fresh()
    first = browser.get("/en/survey/room/ROOMA/")
    assert "vk_respondent" not in first.cookies
    cookie = first.cookies["vk_survey_ROOMA"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["secure"]
    assert 13 * 86400 < int(cookie["max-age"]) <= 14 * 86400
    browser.post("/en/survey/room/ROOMA/", {"A": "satisfied"})
    browser.post("/en/survey/room/ROOMB/", {"A": "satisfied"})
    a, b = Response.objects.order_by("room_code")
    assert (a.room_code, b.room_code) == ("ROOMA", "ROOMB")
    assert a.respondent != b.respondent  # nothing links one game's answers to another's
    assert b'name="respondent"' not in first.content  # the page never carries the token


def test_the_respondent_cookie_is_secure_in_https_mode(deck, rooms, settings):
    settings.SESSION_COOKIE_SECURE = True
    rooms("ROOMS")
    assert fresh().get("/en/survey/room/ROOMS/").cookies["vk_survey_ROOMS"]["secure"]


def test_a_forged_respondent_cookie_counts_as_none(deck, rooms):
    rooms("FORGE")
    seat = seat_of("FORGE")
    browser = fresh()
    browser.cookies["vk_survey_FORGE"] = f"tok_{'a' * 20}|{seat.pk}"
    browser.post("/en/survey/room/FORGE/", {"A": "satisfied"})
    assert Response.objects.get().seat is None


def test_staff_cannot_search_responses_by_respondent(admin_client, deck, rooms):
    rooms("ADM11")
    browser = fresh()
    browser.post("/en/survey/room/ADM11/", {"A": "satisfied"})
    token = Response.objects.get().respondent
    found = admin_client.get("/admin/surveys/response/", {"q": token})
    assert found.status_code == 200 and found.context["cl"].result_count == 0
    assert token not in admin_client.get("/admin/surveys/response/").content.decode()


# --- the rate limit ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_too_many_posts_from_one_address_are_refused_and_the_answers_kept(
    deck, rooms, settings, lang
):
    settings.SURVEY_POSTS_PER_ADDRESS = "3/10m"
    rooms("RATE1", seats=40)
    for _ in range(3):
        assert fresh().post(f"/{lang}/survey/room/RATE1/", ANSWER).status_code == 302
    refused = fresh().post(f"/{lang}/survey/room/RATE1/", {**ANSWER, "G": "kept words"})
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    words = "Too many answers" if lang == "en" else "回答の送信が多すぎます"
    assert words in text(refused)
    assert "kept words" in refused.content.decode()
    assert re.search(r'value="satisfied"[^>]*checked', refused.content.decode())
    assert Response.objects.filter(questionnaire=1).count() == 3
    # Another address is not affected.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.post(f"/{lang}/survey/room/RATE1/", ANSWER).status_code == 302


# --- a researcher's open link (paper trials) --------------------------------------------------


@pytest.fixture
def researcher(db):
    user = User.objects.create_user("res", password="pw-res-1234", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_response"))
    return user


def test_a_researcher_opens_a_link_that_takes_answers_into_a_group(client, deck, researcher):
    group = Group.objects.create(name="Paper trial")
    client.force_login(researcher)
    expires = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%d")
    added = client.post(
        "/admin/surveys/openlink/add/",
        {"group": group.pk, "capacity": 2, "expires_at_0": expires, "expires_at_1": "12:00:00"},
    )
    assert added.status_code == 302, text(added)
    from surveys.models import OpenLink

    link = OpenLink.objects.get()
    assert link.created_by == researcher and len(link.token) >= 20
    listed = client.get("/admin/surveys/openlink/").content.decode()
    assert f"/survey/open/{link.token}/" in listed  # in the admin's language
    url = f"/en/survey/open/{link.token}/"
    assert fresh().get(url).status_code == 200
    assert [fresh().post(url, ANSWER).status_code for _ in range(3)] == [302, 302, 403]
    stored = Response.objects.filter(questionnaire=1)
    assert stored.count() == 2
    assert {(r.group_id, r.room_code, r.open_link_id) for r in stored} == {(group.pk, "", link.pk)}
    assert group.responses().filter(questionnaire=1).count() == 2


def test_an_expired_or_unknown_link_takes_nothing(deck, researcher):
    from surveys.models import OpenLink

    group = Group.objects.create(name="Paper trial")
    link = OpenLink.objects.create(
        group=group, capacity=10, expires_at=timezone.now() - timedelta(minutes=1),
        created_by=researcher,
    )  # fmt: skip
    assert fresh().get(f"/en/survey/open/{link.token}/").status_code == 410
    assert fresh().post(f"/en/survey/open/{link.token}/", ANSWER).status_code == 410
    assert fresh().get("/en/survey/open/not-a-link-0000000000/").status_code == 404
    assert Response.objects.count() == 0


def test_staff_without_the_surveys_permission_cannot_open_links(client, deck):
    user = User.objects.create_user("guest", password="pw-guest-1234", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/surveys/openlink/add/").status_code == 403
