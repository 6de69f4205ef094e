"""Study mode filtered to some cards (``?cards=3,7,12``): where a player's review sends them to
practise the values they confused. Numbers are checked: anything else is refused, not guessed."""

import pytest

pytestmark = pytest.mark.django_db


def names_shown(html: str) -> list[str]:
    return [part.split("</span>")[0] for part in html.split('<span class="card-name">')[1:]]


def test_it_shows_only_the_cards_asked_for_in_the_order_asked(client, deck):
    html = client.get("/en/study/?cards=3,7,12").content.decode()
    assert html.count('class="study-card"') == 3
    names = {v.number: v.name_en for v in deck}
    assert names_shown(html) == [names[3], names[7], names[12]]
    assert "Use value" not in html


def test_it_says_what_it_shows_and_links_back_to_all_cards(client, deck):
    html = client.get("/ja/study/?cards=5,2").content.decode()
    assert html.count('class="study-card"') == 2
    assert "この2枚を練習" in html
    assert 'href="?"' in html  # all fields: the filter is gone


def test_english_under_japanese_keeps_the_cards(client, deck):
    html = client.get("/ja/study/?cards=1,2&both=1").content.decode()
    assert html.count('class="study-card"') == 2
    assert 'href="?cards=1,2"' in html  # the switch back keeps the filter


@pytest.mark.parametrize(
    "query",
    ["abc", "3,,7", "3;7", "-1", "0", "25", "99", "3,3", ",".join(["1"] * 30), "1" * 40, " 3"],
)
def test_a_bad_list_is_refused(client, deck, query):
    assert client.get("/en/study/", {"cards": query}).status_code == 404


def test_an_empty_list_shows_every_card(client, deck):
    assert client.get("/en/study/?cards=").content.decode().count('class="study-card"') == 24
