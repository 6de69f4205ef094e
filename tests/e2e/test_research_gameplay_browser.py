"""The research group page's games in Chromium, on a phone and a projector, in both languages:
the confusion map and each seat's figures beside its answers are there, with no nickname, and
nothing scrolls sideways (wide tables scroll inside their own box)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.layout import PHONE, PROJECTOR, horizontal_scroll, seed_room

pytestmark = pytest.mark.browser
GALLERY = os.environ.get("VK_GALLERY")  # e.g. docs/img: keep the screenshots
HEADING = {"en": "Across games", "ja": "ゲームの記録"}

# On a finished room (players took the cards in turn): seat i taps i wrong cards, then every
# seat answers questionnaire 2 from its end screen; a staff user's session to open the page.
ANSWERED = """
import json
from django.test import Client
from django.contrib.auth.models import User
from games.models import BoardCard, Room, Seat, Take
from surveys.models import Group, GroupRoom
from surveys.services import response_submit
room = Room.objects.get(code=CODE)
cards = list(BoardCard.objects.filter(room=room).order_by("read_order"))
seats = list(Seat.objects.filter(room=room).order_by("pk"))
for i, seat in enumerate(seats):
    for k in range(i):
        Take.objects.create(room=room, seat=seat, card=cards[(k + 1 + i) % len(cards)],
                            read_card=cards[k], correct=False)
group, _ = Group.objects.get_or_create(name="Seminar camp " + CODE)
GroupRoom.objects.get_or_create(group=group, room_code=CODE)
for i, seat in enumerate(seats):
    mine = [c.value_type for c in cards if c.taken_by_id == seat.pk]
    named = [mine[0].name_en, cards[i].value_type.name_ja, "Happiness value"][: 1 + i % 3]
    response_submit(room_code=CODE, questionnaire=2, respondent=f"r{i}", gender="woman",
                    age_band="20s", nationality="", seat_id=seat.pk,
                    answers={"B2": 1 + i % 5, "D2": 5 - i % 4, "A2": named})
user = User.objects.filter(username="research").first() or User.objects.create_superuser(
    "research", "r@example.org", "pw-research-123")
client = Client()
client.force_login(user)
cookie = next(iter(client.cookies.values()))
print("ANSWERED " + json.dumps({"group": group.pk, "cookie": cookie.key, "value": cookie.value,
                                "nicknames": [s.nickname for s in seats]}))
"""


# Three groups answering B (ordered options) and B2 differently, ten or more each: the page
# then shows the rank tests with bootstrap intervals, Dunn's pairs and the Likert charts.
COMPARED = """
import json
from surveys.models import Group, Response
B2 = {"X": [1, 1, 2, 2, 1, 2, 1, 3, 2, 1], "Y": [3, 3, 2, 4, 3, 3, 2, 3, 4, 3],
      "Z": [5, 4, 5, 5, 4, 3, 5, 4, 5, 4, 5, 4]}
pks = {}
for name, values in B2.items():
    group = Group.objects.create(name=f"Cohort {name} " + CODE)
    pks[name] = group.pk
    for i, v in enumerate(values):
        for number, answers in ((1, {"B": ["bad", "normal", "good"][min(2, v // 2)],
                                     "A": ["dissatisfied", "neither", "satisfied"][i % 3]}),
                                (2, {"B2": v})):
            Response.objects.create(questionnaire=number, group=group, answers=answers,
                                    source=Response.IMPORT, respondent=f"{name}{i}",
                                    gender=["man", "woman"][i % 2])
print("COMPARED " + json.dumps(pks))
"""
STATS_TEXT = {
    "en": "Pairs (Dunn's test, Holm-adjusted)",
    "ja": "ペアごとの比較（Dunn 検定、Holm 補正）",
}


def prepare(server, lang: str) -> dict:
    room = seed_room(server, players=6, stage="finished", lang=lang)
    out = server.manage("shell", "-c", f"CODE = {room['code']!r}\n" + ANSWERED)
    line = next(line for line in out.splitlines() if line.startswith("ANSWERED "))
    return {**json.loads(line.removeprefix("ANSWERED ")), "code": room["code"]}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("size", [PHONE, PROJECTOR], ids=["phone", "projector"])
def test_the_research_page_shows_each_seat_s_game(browser, server, lang, size):
    made = prepare(server, lang)
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale=lang)
    context.add_cookies([{"name": made["cookie"], "value": made["value"], "url": server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server.url}/{lang}/survey/research/group/{made['group']}/")
    heading = page.get_by_role("heading", name=HEADING[lang], exact=True)
    expect(heading).to_be_visible()
    rows = page.locator("#gameplay-seats tbody tr")
    expect(rows).to_have_count(6)
    # The last seat tapped five wrong cards: its row says so.
    expect(rows.nth(5).locator("td").nth(2)).to_have_text("5")
    expect(page.locator("#group-confusion tbody tr")).to_have_count(15)
    text = page.locator("body").inner_text()
    for nickname in made["nicknames"]:
        assert nickname not in text
    assert horizontal_scroll(page) == 0
    section = page.locator("section.gameplay")
    section.scroll_into_view_if_needed()
    if GALLERY:
        Path(GALLERY).mkdir(parents=True, exist_ok=True)
        section.screenshot(
            path=str(Path(GALLERY) / f"research-gameplay-{size[0]}x{size[1]}-{lang}.png")
        )
    # The same page comparing three cohorts: rank tests with intervals, Dunn's pairs, charts.
    out = server.manage("shell", "-c", f"CODE = {made['code']!r}\n" + COMPARED)
    pks = json.loads(next(x for x in out.splitlines() if x.startswith("COMPARED "))[9:])
    page.goto(
        f"{server.url}/{lang}/survey/research/group/{pks['X']}/"
        f"?compare={pks['Y']}&compare={pks['Z']}"
    )
    expect(page.get_by_text(STATS_TEXT[lang]).first).to_be_visible()
    effect = page.locator("table.comparisons td.effect", has_text="ε² = ").first
    expect(effect).to_have_text(re.compile(r"ε² = 0\.\d\d \[0\.\d\d, 0\.\d\d\]"))
    # A and B × 3 cohorts (C and E unanswered)
    expect(page.locator("#ordinal-summary tbody tr")).to_have_count(6)
    assert horizontal_scroll(page) == 0
    # The Likert chart of B: its 13-unit text as drawn on this screen, and nothing cut off.
    chart = page.locator("figure.chart svg", has=page.locator("text[data-total]")).nth(0)
    drawn = chart.evaluate(
        "svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width * 13"
    )
    assert drawn >= 12, drawn
    assert chart.evaluate("svg => svg.getBoundingClientRect().right") <= size[0]
    if GALLERY:
        compared = page.locator("section[aria-labelledby=compare-h]")
        compared.scroll_into_view_if_needed()
        compared.screenshot(
            path=str(Path(GALLERY) / f"research-stats-{size[0]}x{size[1]}-{lang}.png")
        )
        chart.scroll_into_view_if_needed()
        chart.screenshot(
            path=str(Path(GALLERY) / f"research-stats-chart-{size[0]}x{size[1]}-{lang}.png")
        )
    context.close()
