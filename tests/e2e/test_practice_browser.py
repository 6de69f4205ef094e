"""Solo practice in Chromium: a whole round on a phone in English and Japanese, a wrong take's
pair side by side on screen, a round finished offline stored exactly once, screenshots."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.e2e.layout import (
    LAPTOP,
    PHONE,
    PHONE_LANDSCAPE,
    PROJECTOR,
    horizontal_scroll,
    min_font,
    open_page,
    outside_viewport,
)

pytestmark = pytest.mark.browser
# Screenshots go to VK_GALLERY (e.g. docs/img) when it is set, else to a scratch folder: a
# test run leaves the tree as it was.
IMG = Path(os.environ.get("VK_GALLERY") or tempfile.mkdtemp(prefix="vk-shots-"))
LABELS = {
    "en": {"start": "Start", "next": "Next card", "saved": "Result saved.", "queued": "Offline"},
    "ja": {
        "start": "スタート",
        "next": "次の札",
        "saved": "結果を保存しました。",
        "queued": "オフライン",
    },
}


def answer(page) -> int:
    page.wait_for_function("() => document.getElementById('practice-read').dataset.number")
    return int(page.locator("#practice-read").get_attribute("data-number"))


def take(page, number: int) -> None:
    page.locator(f'#practice-board .torifuda[data-number="{number}"]').click()


def take_right(page, done: int) -> None:
    """Take the card being read, and wait for the next reading (or the end)."""
    number = answer(page)
    take(page, number)
    page.wait_for_function(
        "n => !document.getElementById('practice-end').hidden || "
        "document.getElementById('practice-read').dataset.number !== String(n)",
        arg=number,
    )


def results_of(server, card_set: str) -> list[tuple]:
    out = server.manage(
        "shell", "-c",
        "from practice.models import Result; "
        f"print(list(Result.objects.filter(card_set='{card_set}').values_list('rounds', 'wrong')))",
    )  # fmt: skip
    return eval(out.strip().splitlines()[-1])  # noqa: S307 - our own shell's printed list


def pair_side_by_side(page) -> None:
    page.locator("#practice-pair").wait_for(state="visible")
    read, taken = (page.locator(f"#practice-pair .pair-card.{r}") for r in ("read", "taken"))
    a, b = read.bounding_box(), taken.bounding_box()
    assert abs(a["y"] - b["y"]) < 2 and a["x"] + a["width"] <= b["x"] + 1  # one row, read first
    assert outside_viewport(page, "#practice-pair .pair-card") == []
    assert min_font(page, "#practice-pair .concept p") >= 14


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_solo_round_on_a_phone_to_the_end(server, browser, lang):
    page = open_page(browser, f"{server.url}/{lang}/practice/?field=psychology", lang, PHONE)
    page.get_by_role("button", name=LABELS[lang]["start"]).click()
    # the first card: a wrong take first, then the pair, then the next card
    first = answer(page)
    other = 9 if first == 8 else 8
    take(page, other)
    pair_side_by_side(page)
    assert page.locator("#practice-pair .pair-card.read").get_attribute("data-number") == str(first)
    page.screenshot(path=str(IMG / f"practice-pair-phone-{lang}.png"))
    page.get_by_role("button", name=LABELS[lang]["next"]).click()
    take_right(page, 1)
    page.locator("#practice-end").wait_for(state="visible")
    assert page.locator("#end-accuracy").inner_text() == "50%"  # 2 cards, 1 wrong take
    assert page.locator("#end-missed li").count() == 1
    assert page.locator("#end-missed li").get_attribute("data-number") == str(first)
    seconds = float(page.locator("#end-time").inner_text().rstrip("s秒 "))
    assert 0 < seconds < 30
    page.get_by_text(LABELS[lang]["saved"]).wait_for()
    assert horizontal_scroll(page) == 0
    page.screenshot(path=str(IMG / f"practice-end-phone-{lang}.png"), full_page=True)
    assert (2, 1) in results_of(server, "field:psychology")
    page.context.close()


def test_a_round_finished_offline_is_stored_once_when_back_online(server, browser):
    page = open_page(browser, f"{server.url}/en/practice/?field=sociology", "en", PHONE)
    page.wait_for_function("() => localStorage.getItem('vk-learner')")
    page.get_by_role("button", name="Start").click()
    take_right(page, 0)
    page.context.set_offline(True)
    page.locator("#practice-net").wait_for(state="visible")  # the page says it is offline
    take_right(page, 1)
    take_right(page, 2)
    page.locator("#practice-end").wait_for(state="visible")
    page.get_by_text("the result is kept on this device").wait_for()
    assert results_of(server, "field:sociology") == []
    page.context.set_offline(False)
    page.get_by_text("Result saved.").wait_for()
    assert page.evaluate("() => JSON.parse(localStorage.getItem('vk-practice-queue')).length") == 0
    page.reload()  # a reload sends nothing again
    page.wait_for_load_state("networkidle")
    assert results_of(server, "field:sociology") == [(3, 0)]
    page.context.close()


@pytest.mark.parametrize(
    ("name", "size", "lang"),
    [("phone", PHONE, "ja"), ("landscape", PHONE_LANDSCAPE, "en"), ("laptop", LAPTOP, "en"),
     ("projector", PROJECTOR, "ja"), ("projector", PROJECTOR, "en")],
)  # fmt: skip
def test_the_board_fits_every_screen(server, browser, name, size, lang):
    page = open_page(browser, f"{server.url}/{lang}/practice/", lang, size)
    page.screenshot(path=str(IMG / f"practice-setup-{name}-{lang}.png"))
    page.get_by_role("button", name=LABELS[lang]["start"]).click()
    answer(page)
    page.wait_for_function(
        "() => document.querySelector('#practice-read p').textContent.length > 20"
    )
    assert horizontal_scroll(page) == 0
    assert min_font(page, "#practice-board .torifuda .name > span:first-child") >= 12
    assert min_font(page, "#practice-read p") >= 15
    page.screenshot(path=str(IMG / f"practice-game-{name}-{lang}.png"))
    assert outside_viewport(page, "#practice-yomifuda") == []
    page.screenshot(path=str(IMG / f"practice-game-{name}-{lang}.png"))
    page.context.close()
