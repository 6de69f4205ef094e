"""The printable deck: a PDF of A4 pages, right page count, Japanese that renders."""

import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops

from games import cards
from games.fonts import font_path
from games.models import CARD_TEXTS, LANGS, ValueType
from games.printing import CARD, expected_page_count
from tests.conftest import require

pytestmark = pytest.mark.django_db


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


@pytest.mark.parametrize("lang", ["ja", "en", "both"])
def test_print_deck_writes_a_pdf_with_every_card(deck, tmp_path, lang):
    out = tmp_path / f"deck-{lang}.pdf"
    call_command("print_deck", "--lang", lang, "--out", str(out))
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF")
    # A cover, then 3 pages each of torifuda fronts, backs and yomifuda (9 cards a page).
    assert expected_page_count(24) == 10
    assert page_count(pdf) == 10
    assert b"/MediaBox [ 0 0 595" in pdf  # A4 width in points


def test_a_field_subset_prints_fewer_pages(deck, tmp_path):
    out = tmp_path / "psychology.pdf"
    call_command("print_deck", "--lang", "en", "--field", "psychology", "--out", str(out))
    assert page_count(out.read_bytes()) == expected_page_count(2) == 4


def test_the_shipped_font_has_every_character_of_the_deck(deck):
    cmap = TTFont(font_path("regular"), fontNumber=0).getBestCmap()
    missing = {
        char
        for value in ValueType.objects.all()
        for part in CARD_TEXTS
        for lang in LANGS
        for char in value.text(part, lang) + value.source
        if not char.isspace() and ord(char) not in cmap
    }
    assert not missing, f"characters the printed deck cannot show: {sorted(missing)}"


def test_front_shows_the_name_in_the_chosen_language(deck):
    value = ValueType.objects.get(number=10)
    ja = cards.torifuda_front(value, "ja", CARD)
    en = cards.torifuda_front(value, "en", CARD)
    both = cards.torifuda_front(value, "both", CARD)
    assert ja.size == CARD
    # Same picture, different name underneath: the pictures' rows agree, the names' do not.
    picture_rows = (0, int(CARD[1] * 0.12), CARD[0], int(CARD[1] * 0.11) + int(CARD[0] * 0.72))
    name_rows = (0, picture_rows[3], CARD[0], CARD[1])
    assert ImageChops.difference(ja.crop(picture_rows), en.crop(picture_rows)).getbbox() is None
    assert ImageChops.difference(ja.crop(name_rows), en.crop(name_rows)).getbbox() is not None
    assert ImageChops.difference(ja, both).getbbox() is not None


def test_the_printed_page_shows_cards(deck, tmp_path):
    require(shutil.which("pdftoppm") is not None, "pdftoppm (poppler-utils)")
    out = tmp_path / "deck.pdf"
    call_command("print_deck", "--lang", "ja", "--out", str(out))
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "2", "-l", "2", str(out), str(tmp_path / "page")],
        check=True,
    )
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("RGB")
    colours = page.getcolors(maxcolors=1_000_000)
    # Field colours and ink, not a blank sheet: plenty of distinct colours on the page.
    assert colours and len(colours) > 50


def test_the_pdf_can_be_downloaded_from_the_study_pages(client, deck):
    html = client.get("/en/print/").content.decode()
    assert 'href="/en/print/value-karuta-ja.pdf"' in html
    response = client.get("/en/print/value-karuta-ja.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "value-karuta-ja.pdf" in response["Content-Disposition"]
    assert page_count(response.content) == 10
    assert client.get("/en/print/value-karuta-xx.pdf").status_code == 404
