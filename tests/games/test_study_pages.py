"""The home, rules, study and card pages in both languages, as a browser receives them."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_is_bilingual(client, deck):
    ja = client.get("/ja/").content.decode()
    en = client.get("/en/").content.decode()
    assert 'lang="ja"' in ja and "価値" in ja
    assert 'lang="en"' in en and "Learn the 24 kinds of value" in en


def test_root_redirects_to_a_language(client, deck):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 302 and response["Location"].startswith("/en/")


@pytest.mark.parametrize(
    ("lang", "expected", "absent"),
    [
        ("ja", ["使用価値", "こだわり価値", "リンク価値"], "Use value"),
        ("en", ["Use value", "Linking value", "Environmental value"], "使用価値"),
    ],
)
def test_study_shows_all_24_cards_in_the_page_language(client, deck, lang, expected, absent):
    html = client.get(f"/{lang}/study/").content.decode()
    assert html.count('class="study-card"') == 24
    for name in expected:
        assert name in html
    assert f'<span class="card-name">{absent}</span>' not in html


def test_study_filters_by_field(client, deck):
    html = client.get("/en/study/?field=psychology").content.decode()
    assert html.count('class="study-card"') == 2
    assert "Terminal value" in html and "Instrumental value" in html and "Use value" not in html
    assert client.get("/en/study/?field=astrology").status_code == 404


def test_bilingual_cards_show_english_under_japanese(client, deck):
    html = client.get("/ja/study/?both=1").content.decode()
    assert '<span class="card-name" lang="ja">使用価値</span>' in html
    assert '<span class="card-name-sub" lang="en">Use value</span>' in html


def test_card_page_shows_front_back_and_yomifuda(client, deck):
    value = next(v for v in deck if v.number == 22)
    html = client.get(f"/ja/study/{value.slug}/").content.decode()
    for text in (
        value.name_ja,
        value.concept_ja,
        value.outline_ja,
        value.overview_ja,
        value.explanation_ja,
        value.source,
    ):
        assert text in html
    assert client.get("/en/study/no-such-value/").status_code == 404


def test_rules_tutorial_in_both_languages(client, deck):
    assert "yomifuda" in client.get("/en/rules/").content.decode()
    assert "読み札" in client.get("/ja/rules/").content.decode()


def test_language_switch_keeps_the_page(client, deck):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/ja/study/?field=sociology"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/en/study/?field=sociology"


def test_pictograms_are_served_as_svg(client, deck):
    response = client.get("/pictograms/24.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content and b"viewBox" in response.content
    assert client.get("/pictograms/99.svg").status_code == 404


def test_user_text_is_escaped(client, deck):
    from games.models import ValueType

    ValueType.objects.filter(number=1).update(name_en='<script>alert("x")</script>')
    html = client.get("/en/study/").content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_health_check_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "channel_layer": "ok"}
