"""Players fill in the questionnaires through the test client, in both languages. Who
answers is the room's respondent cookie (the test client keeps it), never a form field."""

import pytest

from surveys.models import Group, GroupRoom, Response

Q1_EN = {
    "gender": "woman", "age_band": "20s", "nationality": "UK",
    "A": "satisfied", "A_reason": "Fun with friends", "B": "good", "C": "normal",
    "D": "80", "E": "good", "F": "6", "F_other": "", "G": "=HYPERLINK(x)",
}  # fmt: skip
Q2_EN = {
    "A2": ["10", "24"], "A2_other": "Corporate value; Brand value", "B2": "4",
    "C2": "I can explain it now", "D2": "2", "E2": ["pretty", "cool"], "E2_other": "shiny",
    "F2": ["looking"], "G2": "",
}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_it_shows_both_questionnaires_in_the_page_language(client, deck, rooms, lang):
    rooms("ABCD")
    response = client.get(f"/{lang}/survey/room/abcd/")
    assert response.status_code == 200
    html = response.content.decode()
    if lang == "en":
        assert "Were you satisfied?" in html
        assert "How was the visibility of the characters on the front of the torifuda?" in html
        assert "Please tell us about a scene in the game that left an impression on you." in html
        assert "Firm value" in html and "when looking for a card" in html
    else:
        assert "満足しましたか？" in html and "取り札の表面の文字の見やすさはどうでしたか？" in html
        assert "企業価値" in html and "札を探しているとき" in html and "こだわり価値" in html
    assert "ABCD" in html
    assert 'name="respondent"' not in html
    assert response.cookies["vk_survey_ABCD"]["httponly"]


def test_it_stores_both_questionnaires_in_english(client, deck, rooms):
    rooms("ABCD")
    client.get("/en/survey/room/ABCD/")
    response = client.post("/en/survey/room/ABCD/", {**Q1_EN, **Q2_EN})
    assert response.status_code == 302 and response["Location"].endswith("/thanks/")
    q1 = Response.objects.get(questionnaire=1)
    q2 = Response.objects.get(questionnaire=2)
    assert (q1.room_code, q1.gender, q1.age_band, q1.nationality) == (
        "ABCD", "woman", "20s", "UK")  # fmt: skip
    assert q1.respondent == q2.respondent and len(q1.respondent) >= 16
    assert q1.answers == {"A": "satisfied", "A_reason": "Fun with friends", "B": "good",
                          "C": "normal", "D": 80, "E": "good", "F": ["Firm value"],
                          "G": "=HYPERLINK(x)"}  # fmt: skip
    assert q2.answers == {
        "A2": ["Linking value", "Environmental value", "Corporate value", "Brand value"],
        "B2": 4, "C2": "I can explain it now", "D2": 2,
        "E2": ["pretty", "cool", "other"], "E2_other": "shiny", "F2": ["looking"],
    }  # fmt: skip
    assert q1.language == "en"


def test_it_stores_answers_given_in_japanese(client, deck, rooms):
    rooms("XY12")
    data = {"gender": "man", "age_band": "10s", "A": "neither",
            "A_reason": "ふつう", "D": "100", "F_other": "会社価値", "B2": "5",
            "C2": "よく分かった", "F2": ["taking", "other"], "F2_other": "最後の一枚"}  # fmt: skip
    response = client.post("/ja/survey/room/XY12/", data)
    assert response.status_code == 302
    q1, q2 = Response.objects.order_by("questionnaire")
    assert q1.answers == {"A": "neither", "A_reason": "ふつう", "D": 100, "F": ["会社価値"]}
    assert q2.answers == {"B2": 5, "C2": "よく分かった", "F2": ["taking", "other"],
                          "F2_other": "最後の一枚"}  # fmt: skip
    assert q1.language == "ja"
    thanks = client.get(response["Location"])
    assert "ありがとうございました" in thanks.content.decode()


def test_one_questionnaire_only_when_asked(client, deck, rooms):
    rooms("ABCD")
    page = client.get("/en/survey/room/ABCD/?q=2")
    html = page.content.decode()
    assert "Which types of value left an impression on you?" in html
    assert "Were you satisfied?" not in html
    client.post("/en/survey/room/ABCD/?q=2", {"B2": "3"})
    assert list(Response.objects.values_list("questionnaire", flat=True)) == [2]


def test_a_resubmission_never_creates_a_second_response(client, deck, rooms):
    rooms("ABCD")
    client.get("/en/survey/room/ABCD/")
    first = client.post("/en/survey/room/ABCD/", {"A": "satisfied"})
    again = client.post("/en/survey/room/ABCD/", {"A": "dissatisfied"})
    assert Response.objects.count() == 1
    assert Response.objects.get().answers == {"A": "satisfied"}  # the first one is kept
    assert "already" not in first["Location"] and "already=1" in again["Location"]
    assert "already recorded" in client.get(again["Location"]).content.decode()


def test_the_same_player_may_answer_for_another_game(client, deck, rooms):
    for room in ("ROOM1", "ROOM2"):
        rooms(room)
        client.post(f"/en/survey/room/{room}/", {"A": "satisfied"})
    assert Response.objects.count() == 2
    # ... and nothing stored links the two games' answers to one browser.
    assert len(set(Response.objects.values_list("respondent", flat=True))) == 2


def test_an_empty_form_or_a_bad_option_is_refused(client, deck, rooms):
    rooms("ABCD")
    empty = client.post("/en/survey/room/ABCD/", {})
    assert empty.status_code == 200 and "Please answer at least one question." in (
        empty.content.decode())  # fmt: skip
    bad_option = client.post("/en/survey/room/ABCD/", {"D": "55"})
    assert bad_option.status_code == 200
    assert Response.objects.count() == 0


def test_a_token_in_the_form_is_ignored(client, deck, rooms):
    rooms("ABCD")
    client.post(
        "/en/survey/room/ABCD/", {"respondent": "chosen-by-a-script-0001", "A": "satisfied"}
    )
    assert Response.objects.get().respondent != "chosen-by-a-script-0001"


def test_responses_are_anonymous(client, deck, rooms):
    rooms("ABCD")
    client.post("/en/survey/room/ABCD/", {"A": "satisfied"}, REMOTE_ADDR="203.0.113.9")
    stored = Response.objects.values().get()
    assert "203.0.113.9" not in str(stored)
    fields = {f.name for f in Response._meta.get_fields()}
    # The seat (issue 10: one answer per player) is kept while the room exists, never a name.
    assert not fields & {"nickname", "name", "ip", "ip_address", "user", "player"}


def test_a_response_joins_the_group_its_room_is_linked_to(client, deck, rooms):
    rooms("CAMP1")
    rooms("OTHER")
    group = Group.objects.create(name="Seminar camp")
    GroupRoom.objects.create(group=group, room_code="camp1")
    client.post("/en/survey/room/CAMP1/", {"A": "satisfied"})
    client.post("/en/survey/room/OTHER/", {"A": "satisfied"})
    assert list(group.responses().values_list("room_code", flat=True)) == ["CAMP1"]
    assert Response.objects.get(room_code="CAMP1").group == group


def test_a_room_linked_later_brings_its_responses(client, deck, rooms):
    rooms("LATE")
    client.post("/en/survey/room/LATE/", {"A": "satisfied"})
    group = Group.objects.create(name="Late link")
    assert group.responses().count() == 0
    GroupRoom.objects.create(group=group, room_code="late")
    assert group.responses().count() == 1


def test_bad_room_codes_are_not_found(client, deck):
    assert client.get("/en/survey/room/" + "A" * 40 + "/").status_code == 404
    assert client.get("/en/survey/room/AB%3Cx/").status_code == 404
