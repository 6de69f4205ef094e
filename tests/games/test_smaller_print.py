"""The printable deck (issue 9, "Smaller"): the cover states the winner as the game decides it
(points), every download link (whole deck or one field) gives the language it offers, and the
PDF carries its words as text (pdftotext reads them) in that language."""

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from tests.conftest import require

pytestmark = pytest.mark.django_db

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def pdf_text(pdf: bytes, first: int | None = None, last: int | None = None) -> str:
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *pages, "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


def squeeze(text: str) -> str:
    return "".join(text.split())


class Links(HTMLParser):
    """(href, data-lang of the nearest list item, link text) of each link in the downloads."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []
        self.lang = ""
        self.href: str | None = None
        self.label = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and attrs.get("data-lang"):
            self.lang = attrs["data-lang"]
        if tag == "a" and "print/value-karuta-" in (attrs.get("href") or ""):
            self.href = attrs["href"]
            self.label = attrs.get("aria-label") or ""

    def handle_data(self, data):
        if self.href is not None:
            self.label += data

    def handle_endtag(self, tag):
        if tag == "a" and self.href is not None:
            self.links.append((self.href, self.lang, " ".join(self.label.split())))
            self.href = None


def print_links(client, lang: str) -> list[tuple[str, str, str]]:
    parser = Links()
    parser.feed(client.get(f"/{lang}/print/").content.decode())
    return parser.links


@pytest.mark.parametrize("page_lang", ["en", "ja"])
def test_every_field_link_carries_its_deck_language(client, deck, page_lang):
    links = print_links(client, page_lang)
    fields = {value.field.code for value in deck}
    for lang in ("ja", "en", "both"):
        own = [href for href, group, _label in links if group == lang]
        assert f"/{page_lang}/print/value-karuta-{lang}.pdf" in own
        field_links = {href for href in own if "?field=" in href}
        assert field_links == {
            f"/{page_lang}/print/value-karuta-{lang}.pdf?field={code}" for code in fields
        }
    # A screen reader hears which deck a field link gives, not just "Economics" three times.
    labels = [label for href, _group, label in links if "?field=" in href]
    assert len(set(labels)) == len(labels) == 3 * len(fields)


@pytest.mark.parametrize("lang", ["ja", "en", "both"])
def test_a_field_link_gives_that_language(client, deck, lang):
    href = next(
        href
        for href, group, _label in print_links(client, "en")
        if group == lang and href.endswith("field=psychology")
    )
    response = client.get(href)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, first=2)  # the cards, after the cover
    has_japanese = bool(JAPANESE.search(text))
    has_english = "Terminal value" in text and "Instrumental value" in text
    assert has_japanese == (lang in ("ja", "both")), text[:300]
    assert has_english == (lang in ("en", "both")), text[:300]
    if lang != "en":
        assert "究極的価値" in text and "手段的価値" in text
    assert "Use value" not in text and "使用価値" not in text  # one field only


def test_the_printed_cover_says_the_most_points_win(client, deck):
    for lang, wanted, unwanted in (
        ("en", "The player with the most points wins", "takes the most cards wins"),
        ("ja", "得点がいちばん多い人の勝ち", "いちばん多く取った人の勝ち"),
        ("both", "得点がいちばん多い人の勝ち", "いちばん多く取った人の勝ち"),
    ):
        response = client.get(f"/en/print/value-karuta-{lang}.pdf?field=psychology")
        cover = pdf_text(response.content, first=1, last=1)
        assert squeeze(wanted) in squeeze(cover), cover
        assert squeeze(unwanted) not in squeeze(cover), cover


def test_the_cover_explains_points_and_its_plurals_agree(deck):
    from games.printing import deck_pdf

    one = " ".join(pdf_text(deck_pdf(deck[:1], "en"), first=1, last=1).split())
    assert "1 torifuda (card to take) and 1 yomifuda (card to read)" in one
    assert "Each card taken is worth 1 point" in one
    two = " ".join(pdf_text(deck_pdf(deck[:2], "en"), first=1, last=1).split())
    assert "2 torifuda (cards to take) and 2 yomifuda (cards to read)" in two
