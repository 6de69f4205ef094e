"""The pages a player meets when something is wrong, in Chromium, in English and Japanese, on a
phone and a laptop: a room code that leads nowhere (404 with a form to try again), a back-off
to wait out (429), a page that does not exist (404), an expired form (403) and a server error
(500). Each says what happened in the page's language, links back to Play, and fits the
screen's width.

A private server: its join limit's counters are its own (the shared ``server`` fixture's are
left alone), and one browser's second unknown code already waits 30 s.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from games.rules import CODE_ALPHABET
from tests.conftest import make_server
from tests.e2e.layout import LAPTOP, PHONE, horizontal_scroll, open_page
from tests.games.conftest import room_on_server

pytestmark = pytest.mark.browser

SIZES = [pytest.param(PHONE, id="390x844"), pytest.param(LAPTOP, id="1366x768")]
LANGS = ["en", "ja"]
TEXT = {
    "en": {
        "play": "Back to Play",
        "no_room": "No room with code {code}",
        "wait_title": "Please wait a moment",
        "wait": "Try again in 30 seconds.",
        "browser": "Several codes that do not exist were typed in this browser.",
        "not_found": "Page not found",
        "expired": "This page has expired",
        "error": "Something went wrong",
    },
    "ja": {
        "play": "「遊ぶ」に戻る",
        "no_room": "コード {code} のルームはありません",
        "wait_title": "少しお待ちください",
        "wait": "30 秒後にもう一度試してください。",
        "browser": "このブラウザで、存在しないコードが何度か入力されました。",
        "not_found": "ページが見つかりません",
        "expired": "このページの有効期限が切れました",
        "error": "問題が起きました",
    },
}


def unknown(number: int) -> str:
    """A well-formed code that leads to no room."""
    return "WW" + "".join(CODE_ALPHABET[number // 24**i % 24] for i in (2, 1, 0))


@pytest.fixture(scope="module")
def errors_server(tmp_path_factory):
    server = make_server(
        tmp_path_factory.mktemp("errors"),
        {"JOIN_BROWSER_FREE": "1", "JOIN_BACKOFF_BASE": "30", "JOIN_ADDRESS_FREE": "10000"},
    )
    yield server
    server.stop()


@pytest.fixture(scope="module")
def room_code(errors_server) -> str:
    return room_on_server(errors_server)[0]


def check_page(page, lang: str, status_seen: int, expected_status: int, heading: str) -> None:
    """The status, the heading, the way back to Play inside the screen, no sideways scroll."""
    assert status_seen == expected_status
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_text(heading)
    back = page.get_by_role("link", name=TEXT[lang]["play"])
    expect(back).to_have_attribute("href", f"/{lang}/play/")
    box = back.bounding_box()
    viewport = page.viewport_size
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert box["y"] + box["height"] <= viewport["height"], "the way back is below the fold"
    assert horizontal_scroll(page) == 0


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_room_says_so_and_the_form_gets_the_player_in(
    browser, errors_server, room_code, lang, size
):
    typo = unknown(7)
    page = open_page(browser, "about:blank", lang, size)
    response = page.goto(f"{errors_server.url}/{lang}/play/{typo}/")
    check_page(page, lang, response.status, 404, TEXT[lang]["no_room"].format(code=typo))
    field = page.locator("#join-code")
    expect(field).to_have_value(typo)
    field.fill(room_code.lower())
    with page.expect_navigation():
        field.press("Enter")
    assert page.url == f"{errors_server.url}/{lang}/play/{room_code}/"
    expect(page.locator("main")).to_contain_text(room_code)
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_a_browser_that_keeps_mistyping_is_asked_to_wait(
    browser, errors_server, room_code, lang, size
):
    page = open_page(browser, "about:blank", lang, size)
    for number in (1, 2):  # one free failure, then the second starts a 30 s wait
        assert (
            page.goto(f"{errors_server.url}/{lang}/play/join/?code={unknown(number)}").status == 404
        )
    response = page.goto(f"{errors_server.url}/{lang}/play/join/?code={room_code}")
    heading = {
        "en": "Please wait a moment",
        "ja": "少しお待ちください",
    }
    check_page(page, lang, response.status, 429, heading[lang])
    assert response.headers["retry-after"] == "30"
    expect(page.locator("#error-wait")).to_have_text(TEXT[lang]["wait"])
    expect(page.locator("main")).to_contain_text(TEXT[lang]["browser"])
    expect(page.locator("#join-code")).to_have_value(room_code)
    page.context.close()
    # Another browser behind the same address goes straight in.
    other = open_page(browser, "about:blank", lang, size)
    assert other.goto(f"{errors_server.url}/{lang}/play/{room_code}/").status == 200
    other.context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_a_page_that_does_not_exist(browser, errors_server, lang, size):
    page = open_page(browser, "about:blank", lang, size)
    response = page.goto(f"{errors_server.url}/{lang}/no-such-page/")
    check_page(page, lang, response.status, 404, TEXT[lang]["not_found"])
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_an_expired_form_is_explained(browser, errors_server, lang, size):
    page = open_page(browser, f"{errors_server.url}/{lang}/play/", lang, size)
    page.context.clear_cookies()  # as after a long night: the form's token no longer matches
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("form[action$='/play/new/'] button").click()
    page.wait_for_load_state()
    check_page(page, lang, posted.value.status, 403, TEXT[lang]["expired"])
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", LANGS)
def test_a_server_error_page_needs_no_request_context(browser, errors_server, lang, size):
    """Django renders 500.html without a request context; rendered here exactly so, and served
    at the server's address (its stylesheet comes from the server)."""
    from django.test import RequestFactory
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override(lang):
        html = server_error(RequestFactory().get(f"/{lang}/play/")).content.decode()
    url = f"{errors_server.url}/{lang}/boom/"
    page = open_page(browser, "about:blank", lang, size)
    page.route(url, lambda route: route.fulfill(status=500, body=html, content_type="text/html"))
    response = page.goto(url)
    check_page(page, lang, response.status, 500, TEXT[lang]["error"])
    page.context.close()
