"""The questionnaire (issue 9, "Smaller"): reopened after sending it shows the answers given
and lets the player change them; it names the game as players know it, never "VK"; it says
how far along the player is, in both languages, with plurals that agree."""

import re
from html.parser import HTMLParser

import pytest

from surveys.models import Response
from surveys.questionnaires import QUESTIONNAIRES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def room7(rooms):
    return rooms("ROOM7")


ROOM = "/{lang}/survey/room/ROOM7/"
ANSWERS = {
    "gender": "woman", "age_band": "20s", "nationality": "UK",
    "A": "satisfied", "A_reason": "Fun with friends", "D": "80", "F": "6",
    "A2": ["10", "24"], "A2_other": "Brand value", "B2": "4", "E2": ["pretty", "other"],
    "E2_other": "shiny", "G2": "More cards, please",
}  # fmt: skip


class Form(HTMLParser):
    """What a browser shows filled in: checked boxes, text field values, textarea contents."""

    def __init__(self) -> None:
        super().__init__()
        self.checked: dict[str, list[str]] = {}
        self.values: dict[str, str] = {}
        self.textarea: str | None = None
        self.text: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "input" and attrs.get("type") in ("radio", "checkbox"):
            if "checked" in attrs:
                self.checked.setdefault(attrs["name"], []).append(attrs["value"])
        elif tag == "input" and attrs.get("type") == "text":
            self.values[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.values[self.textarea] = ""

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data.strip()
        elif not self.skip:
            self.text.append(data)


def shown(response) -> Form:
    form = Form()
    form.feed(response.content.decode())
    return form


def page_text(response) -> str:
    return " ".join("".join(shown(response).text).split())


def answer(client, lang="en", data=None):
    page = client.get(ROOM.format(lang=lang))
    extra = {"revise": "1"} if b'name="revise"' in page.content else {}
    return client.post(ROOM.format(lang=lang), {**extra, **(data or ANSWERS)})


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_reopened_questionnaire_shows_the_answers_given(client, deck, lang):
    assert answer(client, lang).status_code == 302
    again = client.get(ROOM.format(lang=lang))
    form = shown(again)
    assert form.checked == {
        "gender": ["woman"], "age_band": ["20s"], "A": ["satisfied"], "D": ["80"], "F": ["6"],
        "A2": ["10", "24"], "B2": ["4"], "E2": ["pretty", "other"],
    }  # fmt: skip
    assert form.values["nationality"] == "UK"
    assert form.values["A_reason"] == "Fun with friends"
    assert form.values["A2_other"] == "Brand value"
    assert form.values["E2_other"] == "shiny"
    assert form.values["G2"] == "More cards, please"
    assert form.values["C2"] == "" and "B" not in form.checked
    text = page_text(again)
    if lang == "en":
        assert "You already answered this questionnaire" in text
        assert "Change your answers" in text
    else:
        assert "このアンケートにはすでに回答しています" in text
        assert "回答を変更する" in text


def test_a_value_written_in_the_other_language_is_picked_again(client, deck):
    """Values are stored as the names written; reopened in Japanese an English pick is still
    ticked, and a name that is not in the deck stays in the free-text box."""
    answer(client, "en")
    form = shown(client.get(ROOM.format(lang="ja")))
    assert form.checked["A2"] == ["10", "24"] and form.checked["F"] == ["6"]
    assert form.values["A2_other"] == "Brand value"


def test_changing_the_answers_updates_the_one_response(client, deck):
    answer(client)
    changed = {**ANSWERS, "A": "dissatisfied", "A_reason": "", "A2": ["10"], "A2_other": ""}
    response = answer(client, data=changed)
    assert response.status_code == 302 and "already" not in response["Location"]
    assert "updated=1" in response["Location"]
    assert Response.objects.count() == 2  # one per questionnaire, as before
    q1 = Response.objects.get(questionnaire=1)
    q2 = Response.objects.get(questionnaire=2)
    assert q1.answers == {"A": "dissatisfied", "D": 80, "F": ["Firm value"]}
    assert q2.answers["A2"] == ["Linking value"]
    thanks = client.get(response["Location"]).content.decode()
    assert "Your answers were changed" in thanks


def test_a_questionnaire_cleared_on_revision_is_removed(client, deck):
    answer(client)
    answer(client, data={"A": "neither"})
    assert list(Response.objects.values_list("questionnaire", flat=True)) == [1]


def test_a_second_fresh_form_still_keeps_the_first_answers(client, deck):
    """Two tabs opened before the first send (no "revise" flag): the first one sent is kept."""
    client.get(ROOM.format(lang="en"))
    client.post(ROOM.format(lang="en"), {"A": "satisfied"})
    again = client.post(ROOM.format(lang="en"), {"A": "neither"})
    assert "already=1" in again["Location"]
    assert Response.objects.get().answers == {"A": "satisfied"}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_questionnaire_never_says_vk(client, deck, lang):
    response = client.get(ROOM.format(lang=lang))
    text = page_text(response)
    assert not re.search(r"\bVK\b", text), re.findall(r".{30}\bVK\b.{30}", text)
    if lang == "en":
        assert "Please tell us about the difficulty level of Value Karuta." in text
        assert "Please tell us your impression of the appearance of Value Karuta." in text
    else:
        assert "価値かるたの難易度について教えてください。" in text
        assert "価値かるたの見た目の印象を教えてください。" in text


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_questionnaire_says_how_far_along_the_player_is(client, deck, lang):
    text = page_text(client.get(ROOM.format(lang=lang)))
    total = sum(len(qn.questions) for qn in QUESTIONNAIRES.values())
    sizes = [len(qn.questions) for qn in QUESTIONNAIRES.values()]
    if lang == "en":
        assert f"0 of {total} questions answered" in text
        for size in sizes:
            assert f"{size} questions" in text
        assert f"Question 1 of {total}" in text and f"Question {total} of {total}" in text
    else:
        assert f"全{total}問中0問に回答済み" in text.replace(" ", "")
        for size in sizes:
            assert f"{size}問" in text
        assert f"{total}問中1問目" in text.replace(" ", "")
    one = page_text(client.get(ROOM.format(lang=lang) + "?q=1"))
    if lang == "en":
        assert f"0 of {sizes[0]} questions answered" in one


def test_the_count_of_a_reopened_questionnaire_counts_the_answers(client, deck):
    answer(client)
    text = page_text(client.get(ROOM.format(lang="en")))
    # A, A_reason, D, F, A2, B2, E2, G2
    assert "8 of 15 questions answered" in text


def test_english_plurals_agree(client, deck):
    answer(client, data={"A": "satisfied"})
    text = page_text(client.get(ROOM.format(lang="en")))
    assert "1 of 15 questions answered" in text
    assert not re.search(r"\b1 questions\b", text)
