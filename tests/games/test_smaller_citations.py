"""Sources cited directly (issue 9, "Smaller"): cultural value (Marzilli 2016) and dominant
social value (Nesmeyanov et al. 2019) as the Value Karuta paper's reference list gives them,
not "as cited in" the paper; the handle and the DOI are links on the pages; the printed deck
carries the same citations; reloading the deck changes nothing more."""

import re
import shutil
import subprocess

import pytest

from games.deck import load_deck, read_fixture
from games.models import ValueType
from tests.conftest import require

pytestmark = pytest.mark.django_db

HDL = "https://hdl.handle.net/10950/1197"
DOI = "https://doi.org/10.1051/shsconf/20197203025"
MARZILLI = (
    "Marzilli, C. (2016). Concept analysis of value. International Journal of Recent Advances "
    "in Multidisciplinary Research, 3(11), 1919–1921."
)
NESMEYANOV = (
    "Nesmeyanov, E., Petrova, Y., Bachieva, R., & Vasichkina, O. (2019). The concept of value "
    "in modern youth subcultures of K-pop and brony in the period of globalization. SHS Web of "
    "Conferences, 72, 03025."
)


def test_the_two_sources_are_cited_in_full(deck):
    cultural = ValueType.objects.get(number=11)
    dominant = ValueType.objects.get(number=12)
    assert cultural.source == f"{MARZILLI} {HDL}"
    assert dominant.source == f"{NESMEYANOV} {DOI}"
    assert not any("as cited in" in v.source for v in ValueType.objects.all())


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(("number", "cited", "link"), [(11, MARZILLI, HDL), (12, NESMEYANOV, DOI)])
def test_the_card_page_links_the_handle_and_the_doi(client, deck, lang, number, cited, link):
    value = ValueType.objects.get(number=number)
    html = client.get(f"/{lang}/study/{value.slug}/").content.decode()
    assert re.search(rf'<a href="{re.escape(link)}"[^>]*>{re.escape(link)}</a>', html), html
    assert cited.replace("&", "&amp;") in html
    assert "as cited in" not in html


def test_the_study_cards_show_the_source_with_its_link(client, deck):
    html = client.get("/en/study/?field=sociology").content.decode()
    assert html.count(f'<a href="{HDL}"') == 1 and html.count(f'<a href="{DOI}"') == 1


def test_an_older_deck_is_brought_up_to_date_and_a_reload_changes_nothing(deck):
    """A database loaded from the earlier fixture (sources "as cited in") gets the direct
    citations from the next load_deck; loading once more updates nothing."""
    old = "Marzilli (2016), as cited in Kobayashi, T., & Murata, K. (2024)."
    value = ValueType.objects.get(number=11)
    value.source = old
    value.fixture_snapshot = {**value.fixture_snapshot, "source": old}
    value.save()
    report = load_deck()
    assert report.updated == 1 and not report.kept_edits
    assert ValueType.objects.get(number=11).source == f"{MARZILLI} {HDL}"
    again = load_deck(read_fixture())
    assert (again.created, again.updated, again.kept_edits) == (0, 0, [])


def test_the_printed_deck_cites_them_directly(client, deck):
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    pdf = client.get("/en/print/value-karuta-en.pdf?field=sociology").content
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    flat = "".join(text.split())
    for cited in (MARZILLI, NESMEYANOV, HDL, DOI):
        assert "".join(cited.split()) in flat, cited
    assert "ascitedin" not in flat
