"""The questionnaire and the research table in a real Chromium against a live daphne server."""

import http.cookiejar
import json
import os
import re
import threading
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.surveys.conftest import respondent_in, seed_room

pytestmark = pytest.mark.browser

STAFF = ("researcher", "pw-researcher-7391")
GALLERY = os.environ.get("VK_GALLERY")  # e.g. docs/img: keep the screenshots


def stored(server, room: str) -> list[dict]:
    """The responses of a room, read in the live server's own database."""
    out = server.manage(
        "shell",
        "-c",
        "import json; from surveys.models import Response; print('RESULT' + json.dumps(list("
        f"Response.objects.filter(room_code={room!r}).order_by('questionnaire').values("
        "'questionnaire', 'respondent', 'gender', 'age_band', 'answers', 'seat__nickname'))))",
    )
    return json.loads(out.split("RESULT", 1)[1])


@pytest.fixture(scope="module")
def staff(server):
    server.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.filter(username={STAFF[0]!r}).exists() or "
        f"User.objects.create_superuser({STAFF[0]!r}, 'r@example.org', {STAFF[1]!r})",
    )
    return STAFF


def link_room(server, group: str, room: str) -> int:
    out = server.manage(
        "shell",
        "-c",
        "from surveys.models import Group, GroupRoom; "
        f"g, _ = Group.objects.get_or_create(name={group!r}); "
        f"GroupRoom.objects.get_or_create(group=g, room_code={room!r}); print('PK', g.pk)",
    )
    return int(out.split("PK", 1)[1])


def log_in(page, server, user) -> None:
    page.goto(f"{server.url}/admin/login/?next=/en/survey/research/")
    page.fill("#id_username", user[0])
    page.fill("#id_password", user[1])
    page.click("input[type=submit]")
    page.wait_for_url("**/survey/research/")


def test_a_phone_player_answers_in_japanese_and_a_reload_keeps_the_draft(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    page = context.new_page()
    page.set_default_timeout(15_000)
    seed_room(server, "PHONE1")
    seed_room(server, "PHONE2")
    page.goto(f"{server.url}/ja/survey/room/PHONE1/")
    assert page.get_by_text("満足しましたか？").is_visible()
    page.locator("#q-A label.choice", has_text="満足").first.click()
    page.fill("textarea[name=A_reason]", "札を探すのが楽しかった")
    page.locator("#q-F label.choice", has_text="こだわり価値").click()
    page.locator("#q-B2 label.choice").nth(3).click()  # 4
    page.locator("#q-E2 label.choice", has_text="かわいい").click()
    page.reload()
    assert page.locator("[data-draft-note]").is_visible()
    assert page.input_value("textarea[name=A_reason]") == "札を探すのが楽しかった"
    assert page.locator("#q-B2 input[value='4']").is_checked()
    assert page.locator("#q-F input:checked").count() == 1
    page.locator("label.choice", has_text="女性").click()
    page.locator("[data-submit]").click()
    page.wait_for_url("**/thanks/")
    assert page.get_by_text("ありがとうございました！").is_visible()
    rows = stored(server, "PHONE1")
    assert [r["questionnaire"] for r in rows] == [1, 2]
    assert rows[0]["answers"] == {"A": "satisfied", "A_reason": "札を探すのが楽しかった",
                                  "F": ["こだわり価値"]}  # fmt: skip
    assert rows[1]["answers"] == {"B2": 4, "E2": ["pretty"]} and rows[1]["gender"] == "woman"
    # Who answered is the room's HttpOnly cookie: the page's script keeps no token of its own.
    assert page.evaluate("() => Object.keys(localStorage).filter(k => /respondent/.test(k))") == []
    assert "PHONE1" not in page.evaluate("() => document.cookie")
    # The draft is gone once stored; reopened, the page shows the answers sent, to change.
    page.goto(f"{server.url}/ja/survey/room/PHONE1/")
    assert page.locator("[data-draft-note]").is_hidden()
    assert page.locator("[data-revise-note]").is_visible()
    assert page.input_value("textarea[name=A_reason]") == "札を探すのが楽しかった"
    assert page.locator("#q-B2 input[value='4']").is_checked()
    page.fill("textarea[name=A_reason]", "札を探すのがとても楽しかった")
    page.locator("[data-submit]").click()
    page.wait_for_url("**/thanks/?updated=1")
    rows = stored(server, "PHONE1")
    assert len(rows) == 2 and rows[0]["answers"]["A_reason"] == "札を探すのがとても楽しかった"
    # A fresh game's questionnaire opens empty.
    page.goto(f"{server.url}/ja/survey/room/PHONE2/")
    assert page.input_value("textarea[name=A_reason]") == ""
    assert page.locator("[data-revise-note]").count() == 0
    context.close()


def test_a_double_click_stores_one_response(page, server):
    seed_room(server, "DBL1")
    page.goto(f"{server.url}/en/survey/room/DBL1/?q=1")
    page.locator("#q-A label.choice", has_text="Dissatisfied").click()
    page.locator("[data-submit]").dblclick()
    page.wait_for_url("**/thanks/**")
    assert len(stored(server, "DBL1")) == 1
    assert "Your answers were recorded" in page.content()
    # Back to the form: it shows the answer sent; sending again changes it, never adds one.
    page.go_back()
    expect(page.locator("[data-revise-note]")).to_be_visible()
    assert page.locator("#q-A input[value=dissatisfied]").is_checked()
    page.locator("#q-A label.choice", has_text="Neither").click()
    page.locator("[data-submit]").dblclick()
    page.wait_for_url("**/thanks/?updated=1")
    rows = stored(server, "DBL1")
    assert len(rows) == 1 and rows[0]["answers"] == {"A": "neither"}


def play_a_short_game(browser, server) -> tuple[str, object]:
    """Host a two-card game (psychology only) that one player wins; the player's page."""
    from tests.e2e.test_game_e2e import join, new_page

    host = new_page(browser, viewport={"width": 1280, "height": 900})
    host.goto(f"{server.url}/en/play/")
    host.get_by_role("button", name="Create a room").click()
    code = host.locator("#room-code").inner_text()
    # The lobby's settings come from the first snapshot: wait for it before changing them.
    expect(host.locator("#lobby")).to_be_visible()
    expect(host.get_by_label(re.compile("Economics"))).to_be_checked()
    for field in ("Economics", "Sociology", "Marketing"):
        host.get_by_label(re.compile(field)).uncheck()
        expect(host.locator("#settings-status")).to_have_text("Saved.")
        host.locator("#settings-status").evaluate("node => node.textContent = ''")
    player = join(browser, server, code, "Mika")
    host.get_by_role("button", name="Start the game").click()
    for turn in (1, 2):
        expect(player.locator("#turn-info")).to_contain_text(f"{turn} of 2")
        answer = host.locator("#host-answer .name .main").inner_text()
        player.locator(f'button.torifuda[aria-label="Take {answer}"]').click()
        expect(player.locator("#result .who")).to_have_text("Mika took it")
        host.get_by_role("button", name="Next card").click()
    expect(player.locator("#ranking")).to_be_visible()
    host.context.close()
    return code, player


def test_a_player_finishes_a_game_answers_and_staff_see_the_response(browser, server, staff):
    room, player = play_a_short_game(browser, server)
    # The end screen links to the questionnaire of this room (its QR code has the same URL).
    # The button posts the seat's token (never in the URL) and lands on the questionnaire.
    player.get_by_role("link", name="Answer the questionnaire").click()
    player.wait_for_url(f"**/en/survey/room/{room}/")
    assert "from-seat" not in player.url
    player.locator("#q-A label.choice", has_text="Satisfied").first.click()
    player.fill("textarea[name=A_reason]", "We laughed at the wrong takes")
    player.locator("#q-D label.choice", has_text="80%").click()
    player.locator("#q-F label.choice", has_text="Linking value").click()
    player.locator("#q-B2 label.choice").nth(4).click()  # 5 (understand well)
    player.locator("#q-E2 label.choice", has_text="bright").click()
    player.fill("input[name=E2_other]", "like washi paper")
    player.locator("label.choice", has_text="man").first.click()
    player.locator("[data-submit]").click()
    player.wait_for_url("**/thanks/")
    player.context.close()
    # The answers are the seat's: one per player, whatever link or browser they come from.
    assert {r["seat__nickname"] for r in stored(server, room)} == {"Mika"}

    pk = link_room(server, "E2E seminar", room)
    staff_context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    researcher = staff_context.new_page()
    log_in(researcher, server, staff)
    researcher.goto(f"{server.url}/en/survey/research/")
    researcher.get_by_role("link", name="E2E seminar").click()
    researcher.wait_for_url(f"**/research/group/{pk}/")
    table = researcher.locator("table.published[data-questionnaire='1']")
    satisfied = table.locator("tr[data-question='A']", has_text="Satisfied")
    assert re.sub(r"\s+", " ", satisfied.first.inner_text()).strip().startswith("A")
    cells = satisfied.first.locator("td.num").all_inner_texts()
    assert cells == ["1", "100%", "100%", "1", "0"]  # n, % of respondents, % of answered, by gender
    assert "We laughed at the wrong takes" in satisfied.first.inner_text()
    dissatisfied = table.locator("tr[data-question='A']", has_text="Dissatisfied")
    assert dissatisfied.locator("td.num").all_inner_texts() == ["0", "0%", "0%", "0", "0"]
    linking = table.locator("tr[data-question='F']", has_text="Linking value")
    assert linking.locator("td.num").all_inner_texts()[0] == "1"
    learning = researcher.locator("table.published[data-questionnaire='2']")
    well = learning.locator("tr[data-question='B2']", has_text="5 (understand well)")
    assert well.locator("td.num").all_inner_texts() == ["1", "100%", "100%", "1", "0"]
    other = learning.locator("tr[data-question='E2']", has_text="like washi paper")
    assert other.locator("td.num").all_inner_texts()[0] == "1"
    staff_context.close()


def test_fifty_players_submitting_at_once_are_stored_once_each(server):
    room, players = "RUSH50", 50
    seed_room(server, room, seats=players)
    url = f"{server.url}/en/survey/room/{room}/?q=2"
    forms, tokens = [], set()
    for _ in range(players):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        html = opener.open(url).read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        tokens.add(respondent_in(jar, room))
        data = {"csrfmiddlewaretoken": csrf, "B2": "3"}
        forms.append((opener, urllib.parse.urlencode(data).encode()))
    barrier = threading.Barrier(players * 2)
    errors = []

    def submit(opener, data):
        barrier.wait()
        try:
            request = urllib.request.Request(url, data=data, headers={"Referer": url})
            assert opener.open(request, timeout=60).status == 200
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=submit, args=form) for form in forms for _ in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = stored(server, room)
    assert len(rows) == players
    assert {r["respondent"] for r in rows} == tokens


CHART_TEXT = """() => [...document.querySelectorAll('figure.chart svg')].map(svg => {
  const box = svg.getBoundingClientRect();
  const sizes = [...svg.querySelectorAll('text')].map(t =>
      parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  return {label: svg.getAttribute('aria-label'), left: box.left, right: box.right,
          smallest: Math.min(...sizes)};
})"""


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("size", [(390, 844), (1366, 768), (1920, 1080)])
def test_every_chart_is_readable_on_a_phone_a_laptop_and_a_projector(
    browser, server, staff, lang, size
):
    """Before: the bar charts were drawn 760 px wide, so a phone showed their text at 6 px."""
    server.manage(
        "shell",
        "-c",
        "from surveys.models import Group, Response; "
        "g, made = Group.objects.get_or_create(name='Chart check'); "
        "made and [Response.objects.create(questionnaire=1 + i % 2, group=g, respondent=f'c{i}', "
        "source=Response.IMPORT, gender=('man', 'woman')[i % 2], answers={'A': 'satisfied', "
        "'B': 'good', 'D': 80, 'F': ['Environmental value', 'Experience value'], 'B2': 1 + i % 5, "
        "'E2': ['pretty', 'cool'], 'F2': ['when taking a card'], 'A2': ['Sensory value']}) "
        "for i in range(30)]",
    )
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    log_in(page, server, staff)
    page.goto(f"{server.url}/{lang}/survey/research/")
    page.get_by_role("link", name="Chart check").click()
    page.wait_for_selector("figure.chart svg")
    charts = page.evaluate(CHART_TEXT)
    if GALLERY:
        page.screenshot(path=f"{GALLERY}/research-charts-{lang}-{size[0]}.png", full_page=True)
    context.close()
    assert len(charts) >= 8  # A–E, F, B2, D2, E2, F2, A2
    for chart in charts:
        assert 11 <= chart["smallest"] <= 20, chart  # px as drawn, after the SVG is scaled
        assert 0 <= chart["left"] and chart["right"] <= size[0], chart
