"""A fair race in Chromium: the pages answer the server's latency probes (their seats' round
trips get measured), and after the card every screen shows the reaction times: the phones
"you 1.23 s" for the winner, "Aiko 1.23 s" for the others and on the projector (the fastest
three of a race's window)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.layout import PHONE, PROJECTOR, horizontal_scroll, open_page, read_card_id, seed_room
from tests.e2e.test_debrief_browser import GALLERY

pytestmark = pytest.mark.browser
YOU = {"en": "you", "ja": "あなた"}
SECONDS = {"en": r"\d+\.\d\d s", "ja": r"\d+\.\d\d秒"}


@pytest.fixture(scope="module")
def probing_server(tmp_path_factory):
    from tests.conftest import make_server

    server = make_server(tmp_path_factory.mktemp("probing"), {"LATENCY_PROBE_SECONDS": "0.2"})
    yield server
    server.stop()


def measured_seats(server, code: str) -> int:
    out = server.manage(
        "shell",
        "-c",
        "from games.models import Seat;"
        f"print('MEASURED', Seat.objects.filter(room__code={code!r},"
        " round_trip_ms__isnull=False).count())",
    )
    return int(next(line for line in out.splitlines() if line.startswith("MEASURED "))[9:])


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_pages_answer_probes_and_show_the_reaction_times(browser, probing_server, lang):
    server = probing_server
    room = seed_room(server, players=2, stage="reading", lang=lang, fields=["economics"])
    code = room["code"]
    names = list(room["seats"])
    base = f"{server.url}/{lang}/play/{code}"
    phones = {
        name: open_page(browser, f"{base}/", lang, PHONE, {f"vk-seat-{code}": token})
        for name, token in room["seats"].items()
    }
    screen = open_page(browser, f"{base}/screen/", lang, PROJECTOR)
    for page in (*phones.values(), screen):
        expect(page.locator("body")).to_have_attribute("data-state", "reading")
    # Both pages answer the probes: the server stores each seat's measured round trip.
    deadline = time.monotonic() + 20
    while measured_seats(server, code) < 2:
        assert time.monotonic() < deadline, "the pages' round trips were never measured"
    answer = read_card_id(server, code)
    winner, other = names
    phones[winner].locator(f'.torifuda[data-id="{answer}"]').click()
    times = re.compile(SECONDS[lang])
    mine = phones[winner].locator("#result .reactions")
    expect(mine).to_contain_text(YOU[lang])
    expect(mine).to_contain_text(times)
    theirs = phones[other].locator("#result .reactions")
    expect(theirs).to_contain_text(re.compile(re.escape(winner) + " " + SECONDS[lang]))
    line = screen.locator("#result .reactions")
    expect(line).to_contain_text(re.compile(re.escape(winner) + " " + SECONDS[lang]))
    assert YOU[lang] not in line.inner_text()  # the projector is nobody's "you"
    for page in phones.values():
        assert horizontal_scroll(page) == 0
    if GALLERY:
        Path(GALLERY).mkdir(parents=True, exist_ok=True)
        phones[names[0]].screenshot(path=str(Path(GALLERY) / f"fair-phone-390x844-{lang}.png"))
        screen.screenshot(path=str(Path(GALLERY) / f"fair-projector-1920x1080-{lang}.png"))
    for page in (*phones.values(), screen):
        page.context.close()
