"""A whole game in Chromium: a host creates a room, two players join by code, the game is
played to the end, and the projector shows the final ranking.

Set VK_SCREENSHOTS=/some/dir to keep screenshots of each page along the way.
"""

import os
import re
import signal
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("VK_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=False)


ERRORS: list[str] = []


def new_page(browser, **kwargs):
    context = browser.new_context(locale="en-GB", **kwargs)
    # The host's console hides the answer unless asked to keep it shown (host.js).
    context.add_init_script("localStorage.setItem('vk-host-answer', 'shown')")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("pageerror", lambda error: ERRORS.append(str(error)))
    return page


def join(browser, server, code: str, nickname: str, waiting="Waiting for the host", **kwargs):
    page = new_page(browser, **kwargs)
    page.goto(f"{server.url}/en/play/")
    page.get_by_label("Room code").fill(code.lower())  # codes are case-insensitive
    page.get_by_role("button", name="Join").click()
    page.get_by_label("Your nickname").fill(nickname)
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.locator("#me")).to_contain_text(f"{nickname}: 0 pts")
    expect(page.locator("#waiting")).to_contain_text(waiting)
    return page


def test_a_whole_game_in_the_browser(browser, server):
    host = new_page(browser, viewport={"width": 1280, "height": 900})
    host.goto(f"{server.url}/en/play/")
    host.get_by_role("button", name="Create a room").click()
    expect(host).to_have_url(re.compile(r"/en/play/[A-Z0-9]{5}/host/$"))
    code = host.locator("#room-code").inner_text()
    expect(host.locator("#lobby")).to_be_visible()
    expect(host.get_by_label(re.compile("Economics"))).to_be_checked()  # snapshot applied

    # Only the three sociology cards, so the game is short.
    for field in ("Economics", "Psychology", "Marketing"):
        host.get_by_label(re.compile(field)).uncheck()
        expect(host.locator("#settings-status")).to_have_text("Saved.")
        host.locator("#settings-status").evaluate("node => node.textContent = ''")

    screen = new_page(browser, viewport={"width": 1920, "height": 1080})
    screen.goto(f"{server.url}/en/play/{code}/screen/")
    expect(screen.locator("#lobby")).to_be_visible()
    expect(screen.locator(".lobby-join .qr")).to_be_visible()

    aki = join(
        browser,
        server,
        code,
        "Aki",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    ben = join(browser, server, code, "Ben <b>")
    expect(host.locator("#scores")).to_contain_text("Aki")
    expect(host.locator("#scores")).to_contain_text("Ben <b>")  # escaped, shown as typed
    expect(screen.locator("#scores")).to_contain_text("Ben <b>")
    shot(host, "host-lobby")
    shot(screen, "screen-lobby")
    shot(aki, "player-lobby")

    host.get_by_role("button", name="Start the game").click()
    takers = [aki, aki, ben]
    for turn, taker in enumerate(takers, start=1):
        expect(screen.locator("#turn-info")).to_have_text(f"Card {turn} of 3")
        expect(aki.locator("#read-text p").first).not_to_be_empty()
        answer = host.locator("#host-answer .name .main").inner_text()
        if turn == 1:
            shot(host, "host-reading")
            shot(aki, "player-reading")
            shot(screen, "screen-reading")
        taker.locator(f'button.torifuda[aria-label="Take {answer}"]').click()
        nickname = "Aki" if taker is aki else "Ben <b>"
        for page in (screen, aki, ben, host):
            expect(page.locator("#result .who")).to_have_text(f"{nickname} took it")
        expect(screen.locator("#result .card-back")).to_contain_text(answer)
        if turn == 1:
            shot(aki, "player-taken")
            shot(screen, "screen-taken")
        host.get_by_role("button", name="Next card").click()

    for page in (screen, aki, host):
        expect(page.locator("#ranking")).to_be_visible()
    rows = screen.locator("#ranking-list > li")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Aki")
    expect(rows.nth(0)).to_contain_text("2 pts")
    expect(rows.nth(0).locator(".hand li")).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Ben <b>")
    expect(rows.nth(1).locator(".pts")).to_have_text("1 pt")
    expect(rows.nth(1).locator(".cards")).to_have_text("1 card")
    expect(rows.nth(1).locator(".hand li")).to_have_count(1)
    shot(screen, "screen-final")
    shot(aki, "player-final")

    # A reload brings the player back to the same seat and score.
    aki.reload()
    expect(aki.locator("#me")).to_contain_text("Aki: 2 pts, 2 cards")
    expect(aki.locator("#ranking")).to_be_visible()
    for page in (host, screen, aki, ben):
        page.context.close()
    assert ERRORS == []  # no script error on any page


def test_restart_reader_hand_over_and_kick(browser, tmp_path):
    """A phone reconnects by itself after a server crash; a player reads; a kick sticks."""
    from tests.conftest import make_server

    server = make_server(tmp_path)
    pages = []
    try:
        host = new_page(browser)
        pages.append(host)
        host.goto(f"{server.url}/en/play/")
        host.get_by_role("button", name="Create a room").click()
        code = host.locator("#room-code").inner_text()
        aki = join(browser, server, code, "Aki", viewport={"width": 390, "height": 844})
        pages.append(aki)
        host.get_by_role("button", name="Start the game").click()
        answer = host.locator("#host-answer .name .main").inner_text()
        aki.locator(f'button.torifuda[aria-label="Take {answer}"]').click()
        expect(aki.locator("#me")).to_contain_text("Aki: 1 pt, 1 card")
        host.get_by_role("button", name="Next card").click()
        expect(aki.locator("#turn-info")).to_have_text("Card 2 of 24")

        # A crash, not a polite shutdown: nothing in the process survives.
        server.stop(signal.SIGKILL)
        expect(aki.locator("#connection")).to_have_text("Connection lost, reconnecting…")
        server.start()
        # No reload: the page reconnects with back-off and redraws from the snapshot.
        expect(aki.locator("#connection")).to_be_hidden(timeout=20_000)
        expect(aki.locator("#me")).to_contain_text("Aki: 1 pt, 1 card")
        expect(aki.locator("#turn-info")).to_have_text("Card 2 of 24")
        answer = host.locator("#host-answer .name .main").inner_text()
        aki.locator(f'button.torifuda[aria-label="Take {answer}"]').click()
        expect(aki.locator("#me")).to_contain_text("Aki: 2 pts, 2 cards")

        # The host hands the reader role to a player, who then sees the answer and moves on.
        ben = join(browser, server, code, "Ben", waiting="Waiting for the next card")
        pages.append(ben)
        host.locator("#scores li", has_text="Ben").locator(".menu-toggle").click()  # its ⋯ menu
        host.locator("#scores li", has_text="Ben").get_by_role("button", name="Make reader").click()
        expect(ben.locator("#waiting")).to_contain_text("You are the reader")
        ben.get_by_role("button", name="Next card").click()
        expect(ben.locator("#turn-info")).to_have_text("Card 3 of 24")
        expect(ben.locator("#answer")).to_be_visible()
        expect(aki.locator("#answer")).to_be_hidden()

        # Kicked: told so, and the same nickname cannot come back for a while.
        host.locator("#scores li", has_text="Aki").locator(".menu-toggle").click()
        host.locator("#scores li", has_text="Aki").get_by_role("button", name="Kick").click()
        host.locator("#confirm-ok").click()  # the host's own confirmation dialog
        expect(aki.locator("#waiting")).to_contain_text("The host removed you")
        expect(host.locator("#scores")).not_to_contain_text("Aki")
        aki.reload()
        aki.get_by_label("Your nickname").fill("Aki")
        aki.get_by_role("button", name="Join", exact=True).click()
        expect(aki.locator("#join-error")).to_contain_text("cannot rejoin")
    finally:
        for page in pages:
            page.context.close()
        try:
            server.stop()
        except subprocess.TimeoutExpired:  # daphne can hang on a request still in flight
            server.stop(signal.SIGKILL)
    assert ERRORS == []
