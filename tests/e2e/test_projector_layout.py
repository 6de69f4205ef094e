"""The projector view (/<lang>/play/<CODE>/screen/) as the back row of a class of 40 sees it, in
Japanese and English, at 1920×1080 and scaled to 1280×720, 1366×768 and 3840×2160: type sizes,
a board that fits any number of cards without scrolling, every name in the lobby, wrong takes
that stay until the next card, and the end screen's podium and questionnaire QR in view."""

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.layout import (
    LAPTOP,
    PROJECTOR,
    box,
    font_sizes,
    horizontal_scroll,
    min_font,
    open_page,
    outside_viewport,
    overflowing,
    read_card_id,
    seed_room,
    seed_rooms,
    visible_count,
)
from tests.games.conftest import LiveClient, run_async

pytestmark = pytest.mark.browser

LANGS = ["en", "ja"]
SMALL = (1280, 720)
UHD = (3840, 2160)
SIZES = [PROJECTOR, SMALL, LAPTOP, UHD]
PLAYERS = 40


def scale(size: tuple[int, int]) -> float:
    """The type's size relative to 1920×1080 (the projector view scales with the screen)."""
    width, height = size
    return min(width / 1920, height / 1080)


def at_least(size, px: float) -> float:
    return px * scale(size) - 0.5


# Fields chosen for their number of cards: 2, 3, 7, 12 of the deck's 24 (24: all of them).
FIELDS = {2: ["psychology"], 3: ["sociology"], 7: ["economics"], 12: ["marketing"]}


def room_spec(stage: str, page_lang: str, players: int = PLAYERS, takes: int = 5, **options):
    """seed_rooms' spec of a room, and the key it is kept under. Its cards are in the page's
    language unless ``lang`` says otherwise."""
    options.setdefault("lang", page_lang)
    spec = {"stage": stage, "players": players, "takes": takes, "options": options}
    return json.dumps(spec, sort_keys=True), spec


# Every room the tests below ask for, seeded at once (one manage.py shell for all).
WANTED = [
    *[
        room_spec(stage, lang)
        for stage in ("lobby", "reading", "taken", "finished")
        for lang in LANGS
    ],
    room_spec("reading", "ja", lang="both"),
    *[room_spec("reading", lang, takes=1, fields=f) for lang in LANGS for f in FIELDS.values()],
    room_spec("lobby", "en", players=500),
    room_spec("reading", "en", wrong_take="penalty"),
    room_spec("reading", "ja", wrong_take="discuss"),
]


@pytest.fixture(scope="module")
def rooms(server):
    """The seeded rooms, shared by every size and check of this module:
    ``rooms("reading", "en")``, ``rooms("reading", "ja", lang="both")``."""
    keys, specs = zip(*WANTED, strict=True)
    made = dict(zip(keys, seed_rooms(server, list(specs)), strict=True))

    def get(*args, **kwargs):
        key, spec = room_spec(*args, **kwargs)
        if key not in made:
            made[key] = seed_rooms(server, [spec])[0]
        return made[key]

    return get


def screen(browser, server, room: dict, lang: str, size, state: str):
    page = open_page(browser, f"{server.url}/{lang}/play/{room['code']}/screen/", lang, size)
    expect(page.locator("body")).to_have_attribute("data-state", state)
    settle(page)
    return page


@pytest.fixture(scope="module")
def screens(browser, server, rooms):
    """The projector page of a seeded room, opened once and resized for each size it is
    measured at (as a window moved to the projector is): ``screens("reading", "en", size)``."""
    opened: dict = {}

    def get(stage: str, page_lang: str, size, **options):
        room = rooms(stage, page_lang, **options)
        key = (room["code"], page_lang)
        if key not in opened:
            opened[key] = screen(browser, server, room, page_lang, size, stage)
        page = opened[key]
        page.set_viewport_size({"width": size[0], "height": size[1]})
        settle(page)
        return page

    yield get
    for page in opened.values():
        page.context.close()


def settle(page) -> None:
    """Until the fitting that follows a draw or a resize is done (a few animation frames)."""
    page.evaluate(
        "() => new Promise(r => { let n = 4;"
        " const f = () => (--n ? requestAnimationFrame(f) : r()); requestAnimationFrame(f); })"
    )


def inside(page, selector: str) -> None:
    assert visible_count(page, selector), f"{selector} is not shown"
    assert outside_viewport(page, selector) == [], f"{selector} is outside the screen"


def no_scrolling(page) -> None:
    assert horizontal_scroll(page) == 0
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight + 1"), (
        "the projector page scrolls"
    )


# --- during a card --------------------------------------------------------------------------

SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_reading_type_is_large_and_the_board_fits(screens, lang, size):
    page = screens("reading", lang, size)
    expect(page.locator("#read-text p").first).not_to_be_empty()
    assert min_font(page, "#read-text p") >= at_least(size, 48)
    assert min_font(page, "#turn-info") >= at_least(size, 40)
    assert min_font(page, ".torifuda .name .main") >= at_least(size, 32)
    expect(page.locator(".torifuda")).to_have_count(24)
    # The whole board in the screen, no card's name sticking out of its card.
    inside(page, "#board")
    inside(page, ".torifuda")
    assert overflowing(page, ".torifuda .name, .torifuda .name span") == []
    inside(page, "#read-text")
    no_scrolling(page)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_scores_are_readable_and_never_overflow(screens, lang, size):
    page = screens("reading", lang, size)
    inside(page, "#scores li")
    assert overflowing(page, "#scores li") == []
    assert min_font(page, "#scores li") >= at_least(size, 22)
    # The name and the points apart, not glued ("Aiko1点1枚").
    gap = page.locator("#scores li").first.evaluate(
        "li => li.querySelector('.pts').getBoundingClientRect().left"
        " - li.querySelector('.nick').getBoundingClientRect().right"
    )
    assert gap >= 4
    # As many as fit, then how many more.
    shown = visible_count(page, "#scores li:not(.more)")
    more = page.locator("#scores li.more")
    expect(more).to_have_count(1)
    assert int("".join(filter(str.isdigit, more.inner_text()))) == PLAYERS - shown
    assert shown >= 8


@pytest.mark.parametrize("size", [PROJECTOR, SMALL, UHD], ids=SIZE_IDS[:2] + SIZE_IDS[3:])
def test_both_languages_sub_names_are_readable(screens, size):
    """Japanese names with their English under them: 32 px and 20 px at 1920×1080, dark."""
    page = screens("reading", "ja", size, lang="both")
    assert min_font(page, ".torifuda .name .main") >= at_least(size, 32)
    assert min_font(page, ".torifuda .name .sub") >= at_least(size, 20)
    assert min_font(page, "#read-text p") >= at_least(size, 40)
    colour = page.locator(".torifuda:not(.gone) .name .sub").first.evaluate(
        "node => getComputedStyle(node).color"
    )
    assert colour == "rgb(32, 33, 36)", f"sub-names are pale: {colour}"
    inside(page, ".torifuda")
    assert overflowing(page, ".torifuda .name, .torifuda .name span") == []
    no_scrolling(page)


@pytest.mark.parametrize("size", [PROJECTOR, SMALL], ids=["1920x1080", "1280x720"])
@pytest.mark.parametrize("count", FIELDS)
@pytest.mark.parametrize("lang", LANGS)
def test_any_number_of_cards_fills_the_board_without_scrolling(screens, lang, count, size):
    page = screens("reading", lang, size, takes=1, fields=FIELDS[count])
    expect(page.locator(".torifuda")).to_have_count(count)
    inside(page, ".torifuda")
    assert overflowing(page, ".torifuda .name, .torifuda .name span") == []
    assert min_font(page, ".torifuda .name .main") >= at_least(size, 32)
    # The board fills the space left: its cards span (nearly) its whole width or height.
    used = page.evaluate(
        """() => { const wrap = document.querySelector('.board-wrap').getBoundingClientRect();
        const cards = [...document.querySelectorAll('.torifuda')]
            .map(c => c.getBoundingClientRect());
        const w = Math.max(...cards.map(r => r.right)) - Math.min(...cards.map(r => r.left));
        const h = Math.max(...cards.map(r => r.bottom)) - Math.min(...cards.map(r => r.top));
        return Math.max(w / wrap.width, h / wrap.height); }"""
    )
    assert used > 0.9, f"the cards use {used:.0%} of the board's box"
    no_scrolling(page)


@pytest.mark.parametrize("lang", LANGS)
def test_timer_and_counter_are_large(browser, server, lang):
    room = seed_room(server, 3, "reading", takes=1, lang=lang, time_limit=120)
    page = screen(browser, server, room, lang, PROJECTOR, "reading")
    for size in (PROJECTOR, SMALL, UHD):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        settle(page)
        expect(page.locator("#timer")).not_to_be_empty()
        assert min_font(page, "#timer") >= at_least(size, 40)
        assert min_font(page, "#turn-info") >= at_least(size, 40)
        inside(page, "#timer")
        inside(page, "#turn-info")
    page.context.close()


async def take_wrong(server, code: str, token: str, card: int) -> dict:
    client = await LiveClient(server.url, code).open()
    try:
        await client.hello("player", token)
        await client.send("take", card=card)
        return await client.collect("outcome", "otetsuki")
    finally:
        await client.close()


@pytest.mark.parametrize(("lang", "mode"), [("en", "penalty"), ("ja", "discuss")])
def test_a_wrong_take_stays_on_screen_until_the_next_card(browser, server, rooms, lang, mode):
    room = rooms("reading", lang, wrong_take=mode)
    page = open_page(browser, "about:blank", lang, PROJECTOR)
    page.clock.install()
    page.goto(f"{server.url}/{lang}/play/{room['code']}/screen/")
    expect(page.locator("body")).to_have_attribute("data-state", "reading")
    read = read_card_id(server, room["code"])
    ids = [int(i) for i in page.locator(".torifuda:not(.gone)").evaluate_all(
        "cards => cards.map(c => c.dataset.id)"
    )]  # fmt: skip
    wrong = next(i for i in ids if i != read)
    got = run_async(take_wrong, server, room["code"], room["seats"]["Zofia"], wrong)
    assert got["otetsuki"]["card"] == wrong

    notice = page.locator("#notices li.notice", has_text="Zofia")
    marked = page.locator(f'.torifuda.mistaken[data-id="{wrong}"]')
    expect(notice).to_be_visible()
    expect(marked).to_be_visible()
    page.clock.run_for(8_000)  # a toast would be gone after 5 s
    settle(page)
    expect(notice).to_be_visible()
    expect(marked).to_be_visible()
    assert min_font(page, "#notices li.notice") >= 28
    inside(page, "#notices li.notice")
    inside(page, ".torifuda")
    outline = marked.evaluate("n => parseFloat(getComputedStyle(n).outlineWidth)")
    assert outline >= 4, "the card taken by mistake is not marked"
    no_scrolling(page)
    page.context.close()


# --- after a card: its back --------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_card_back_is_readable_beside_the_read_text(screens, lang, size):
    page = screens("taken", lang, size)
    expect(page.locator("#result .card-back")).to_be_visible()
    inside(page, "#result")
    inside(page, "#read-text")
    text, back = box(page, "#read-text"), box(page, "#result")
    assert back["y"] >= text["bottom"] or back["bottom"] <= text["y"], "the back covers the text"
    assert overflowing(page, "#result") == []
    assert min_font(page, "#result .card-back .text p") >= at_least(size, 24)
    assert min_font(page, "#result .who") >= at_least(size, 40)
    no_scrolling(page)


# --- before the game: the lobby --------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_lobby_lists_every_name_beside_the_way_in(screens, rooms, lang, size):
    page = screens("lobby", lang, size)
    names = page.locator("#lobby-names li")
    expect(names).to_have_count(PLAYERS)
    assert visible_count(page, "#lobby-names li") == PLAYERS
    inside(page, "#lobby-names li")
    assert overflowing(page, "#lobby-names li") == []  # no name cut short
    assert sorted(names.all_inner_texts()) == sorted(rooms("lobby", lang)["seats"])
    assert min_font(page, "#lobby-names li") >= at_least(size, 20)
    inside(page, ".lobby-join .qr")
    inside(page, ".lobby-join .big-code")
    no_scrolling(page)


def test_lobby_of_500_shows_a_count_of_those_that_do_not_fit(screens):
    page = screens("lobby", "en", PROJECTOR, players=500)
    more = page.locator("#lobby-names li.more")
    expect(more).to_be_visible()
    shown = visible_count(page, "#lobby-names li:not(.more)")
    assert shown >= 60
    assert more.inner_text() == f"+ {500 - shown} more"
    inside(page, "#lobby-names li")
    assert overflowing(page, "#lobby-names li") == []
    no_scrolling(page)


CAPTION = {
    "en": "Scan to answer the questionnaire",
    "ja": "QRコードを読み取ってアンケートに回答してください",
}

# --- the end ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("lang", LANGS)
def test_end_screen_shows_podium_and_questionnaire_qr_with_40_players(screens, rooms, lang, size):
    page = screens("finished", lang, size)
    code = rooms("finished", lang)["code"]
    expect(page.locator("#podium-list > li")).to_have_count(5)
    inside(page, "#podium-list > li")
    assert overflowing(page, "#podium .nick, #podium .pts") == []
    assert min_font(page, "#podium .nick") >= at_least(size, 32)
    expect(page.locator("#survey-screen .qr")).to_be_visible()
    inside(page, "#survey-screen .qr")
    assert box(page, "#survey-screen .qr")["width"] >= 300 * scale(size)
    expect(page.locator("#survey-screen .caption")).to_have_text(CAPTION[lang])
    inside(page, "#survey-screen .caption")
    assert min_font(page, "#survey-screen .caption") >= at_least(size, 32)
    expect(page.locator("#survey-short")).to_contain_text(f"/survey/room/{code}/")
    inside(page, "#survey-short")
    # The full ranking follows in its own column: every player is in it.
    expect(page.locator("#ranking-list > li")).to_have_count(PLAYERS)
    no_scrolling(page)


def test_a_fresh_page_at_each_size_fits_as_a_resized_one(browser, server, rooms):
    """Opened at the projector's size (not resized to it): the same fit, without scrolling."""
    for size in (PROJECTOR, LAPTOP):
        page = screen(browser, server, rooms("reading", "en"), "en", size, "reading")
        inside(page, ".torifuda")
        inside(page, "#scores li")
        assert overflowing(page, ".torifuda .name, .torifuda .name span") == []
        assert min_font(page, ".torifuda .name .main") >= at_least(size, 32)
        assert font_sizes(page, "#read-text p")[0] >= at_least(size, 48)
        no_scrolling(page)
        page.context.close()
