"""The rules tutorial (issue 9, "Smaller"): pictures that need no colour emoji font, and a
winner decided the way the game decides it (points, not cards), in both languages."""

import re
from html.parser import HTMLParser

import pytest

from games import rules

pytestmark = pytest.mark.django_db

# Pictographic code points: a page that uses them shows empty boxes on a machine without a
# colour emoji font (many school PCs, Linux kiosks).
EMOJI_RANGES = (
    (0x1F000, 0x1FAFF),  # emoji, pictographs, symbols and pictographs extended
    (0x2600, 0x27BF),  # miscellaneous symbols, dingbats
    (0x2300, 0x23FF),  # technical symbols drawn as emoji (⌚ ⏰ ⏳)
    (0x2B00, 0x2BFF),  # arrows and stars drawn as emoji (⭐ ⬆)
    (0xFE0F, 0xFE0F),  # emoji presentation selector
    (0x200D, 0x200D),  # zero-width joiner of emoji sequences
)


def emoji_in(text: str) -> list[str]:
    return [c for c in text if any(lo <= ord(c) <= hi for lo, hi in EMOJI_RANGES)]


class Page(HTMLParser):
    """The text a reader gets from a page: its text nodes, the alt text of images, and the
    addresses of its pictures (<img src>, SVG <image href>)."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.pictures: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "img":
            self.text.append(attrs.get("alt") or "")
            self.pictures.append(attrs["src"])
        if tag == "image":
            self.pictures.append(attrs.get("href") or attrs.get("xlink:href"))
        for name in ("aria-label", "title"):
            if attrs.get(name):
                self.text.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def steps(html: str) -> list[str]:
    """Each step of the tutorial, as HTML."""
    found = re.findall(r"<li>(.*?)</li>", html.split('class="rules-steps"', 1)[1], re.S)
    assert len(found) == 4
    return found


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_rules_page_has_no_emoji_and_its_pictures_load(client, deck, lang):
    html = client.get(f"/{lang}/rules/").content.decode()
    page = parse(html)
    assert not emoji_in("".join(page.text)), emoji_in("".join(page.text))
    # Every step has a picture: an inline SVG or an image of the game's own.
    for step in steps(html):
        art = step.split("</h2>")[0]
        assert "<svg" in art or "<img" in art, art
    assert page.pictures
    for url in set(page.pictures):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("image/svg+xml"), url


def test_the_rules_say_the_most_points_win_in_english(client, deck):
    html = client.get("/en/rules/").content.decode()
    text = " ".join("".join(parse(html).text).split())
    assert "most cards wins" not in text.lower()
    assert "took the most cards" not in text
    assert "4. Most points wins" in text
    assert "The player with the most points wins" in text
    # What a point is, as games/rules.py counts it.
    assert "Each card you take is worth 1 point" in text
    assert f"a wrong take costs {rules.PENALTY_POINTS} point" in text
    assert f"set bonus of {rules.SET_BONUS_POINTS} points" in text
    assert " 1 points" not in text and " 3 point " not in text


def test_the_rules_say_the_most_points_win_in_japanese(client, deck):
    html = client.get("/ja/rules/").content.decode()
    text = "".join("".join(parse(html).text).split())
    assert "いちばん多く取った人の勝ち" not in text
    assert "4.得点がいちばん多い人の勝ち" in text
    assert "取った札は1枚1点" in text
    assert f"{rules.SET_BONUS_POINTS}点" in text and "お手つき" in text
