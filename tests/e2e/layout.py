"""Measuring a page as a person sees it: what overflows, what is outside the screen, how large
the type is. Shared by the layout tests of every screen (tests/e2e/test_*_layout.py).

Rooms in a given state are made in the live server's database by ``seed_room`` (the services,
run by ``manage.py shell``): a page opened afterwards gets them in its snapshot.
"""

from __future__ import annotations

import json

PHONE = (390, 844)
SMALL_PHONE = (360, 740)
PHONE_LANDSCAPE = (844, 390)
LAPTOP = (1366, 768)
PROJECTOR = (1920, 1080)
SIZES = {"phone": PHONE, "landscape": PHONE_LANDSCAPE, "laptop": LAPTOP, "projector": PROJECTOR}

# Names chosen to be long: they wrap, overflow and push layouts the way a real class's do.
NICKNAMES = [
    "Aiko", "Bartholomew", "Chen Wei", "Dagmar", "Eleanor", "Fumiko", "Gustavo", "Hiroshi",
    "Ingrid", "Jean-Baptiste", "Kenji", "Leonora", "Mei", "Nikolai", "Olufemi", "Priya",
    "Quentin", "Rosalind", "Satoshi", "Tatiana", "Umberto", "Valentina", "Wilhelmina", "Xiadani",
    "Yusuke", "Zofia", "たかはしゆうと", "さくら", "わたなべ", "こばやしはると", "Ana", "Björn",
    "Camille", "Dmitri", "Esperanza", "Friedrich", "Giovanni", "Hana", "Ivo", "Jonas",
]  # fmt: skip


def open_page(
    browser, url: str, lang: str, size: tuple[int, int], storage: dict | None = None, clock=False
):
    """A new tab of ``size`` in a browser speaking ``lang``; ``storage`` is put in its
    localStorage before the page's scripts run (a seat or host token). With ``clock`` the
    page's time is Playwright's (installed before its scripts set their timers), for
    ``page.clock.fast_forward``."""
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, locale=lang)
    if storage:
        context.add_init_script(
            "for (const [k, v] of Object.entries(" + json.dumps(storage) + "))"
            " localStorage.setItem(k, v);"
        )
    page = context.new_page()
    page.set_default_timeout(15_000)
    if clock:
        page.clock.install()
    page.goto(url)
    return page


def horizontal_scroll(page) -> int:
    """How many pixels the page is wider than its screen (0: no horizontal scroll)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


def overflowing(page, selector: str) -> list[str]:
    """The text of each visible element matching ``selector`` whose content is wider or taller
    than its box (scrollWidth > clientWidth), or which sticks out of its nearest card
    (``.torifuda``) if it is in one."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)].filter(node => {
            const box = node.getBoundingClientRect();
            if (!box.width || !box.height) return false;
            if (node.scrollWidth > node.clientWidth + 1) return true;
            const card = node.closest('.torifuda');
            if (!card || card === node) return false;
            const outer = card.getBoundingClientRect();
            return box.left < outer.left - 1 || box.right > outer.right + 1
                || box.top < outer.top - 1 || box.bottom > outer.bottom + 1;
        }).map(node => node.textContent.trim())""",
        selector,
    )


def outside_viewport(page, selector: str) -> list[str]:
    """Visible elements matching ``selector`` not wholly inside the screen as it is now."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)].filter(node => {
            const r = node.getBoundingClientRect();
            if (!r.width || !r.height) return false;
            return r.top < -1 || r.left < -1 || r.bottom > innerHeight + 1
                || r.right > innerWidth + 1;
        }).map(node => node.textContent.trim() || node.outerHTML.slice(0, 80))""",
        selector,
    )


def visible_count(page, selector: str) -> int:
    """How many elements matching ``selector`` are rendered with a size (not hidden)."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)].filter(node => {
            const r = node.getBoundingClientRect(); return r.width > 0 && r.height > 0;
        }).length""",
        selector,
    )


def font_sizes(page, selector: str) -> list[float]:
    """The computed font size in px of each visible element matching ``selector``."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)].filter(node => {
            const r = node.getBoundingClientRect(); return r.width > 0 && r.height > 0;
        }).map(node => parseFloat(getComputedStyle(node).fontSize))""",
        selector,
    )


def min_font(page, selector: str) -> float:
    sizes = font_sizes(page, selector)
    assert sizes, f"nothing visible matches {selector}"
    return min(sizes)


def box(page, selector: str) -> dict:
    """The first match's bounding box: x, y, width, height, bottom, right."""
    return page.locator(selector).first.evaluate(
        "node => { const r = node.getBoundingClientRect();"
        " return {x: r.x, y: r.y, width: r.width, height: r.height,"
        " bottom: r.bottom, right: r.right}; }"
    )


SEED = """
import json, random
from django.db import transaction
from games import events, rules, services
from games.takes import card_take_and_wait
from games.selectors import Actor


def seed(options, names, stage, takes):
    room = services.room_create(options=options)
    host = Actor(rules.HOST)
    tokens = {}
    for name in names:
        tokens[name] = services.seat_join(code=room.code, nickname=name).seat.token
    if stage != "lobby":
        services.room_start(code=room.code, actor=host, rng=random.Random(7))
        seats = list(room.seats.filter(status=rules.ACTIVE).order_by("pk"))
        n = 0
        while n < (takes if stage != "finished" else 10**6):
            room.refresh_from_db()
            if room.state == rules.FINISHED:
                break
            if room.state != rules.READING:
                services.room_next(code=room.code, actor=host)
                continue
            seat = seats[(n * 7) % len(seats)]
            card_take_and_wait(code=room.code, actor=Actor(rules.PLAYER, seat.pk),
                               card_id=room.current_card_id)
            n += 1
        room.refresh_from_db()
        if stage == "reading" and room.state != rules.READING:
            services.room_next(code=room.code, actor=host)
    return {"code": room.code, "host": room.host_token, "seats": tokens}


# One transaction, and no events: nobody is watching these rooms yet.
with transaction.atomic(), events.collect():
    rooms = [seed(**spec) for spec in json.loads(SPECS)]
print("SEEDED", json.dumps(rooms))
"""


def _names(players: int) -> list[str]:
    names = (NICKNAMES * (players // len(NICKNAMES) + 1))[:players]
    return [n if i < len(NICKNAMES) else f"{n}{i}" for i, n in enumerate(names)]


def seed_rooms(server, specs: list[dict]) -> list[dict]:
    """Several rooms at once (one ``manage.py shell``): each spec holds ``seed_room``'s
    arguments (players, stage, takes, and the room's options as ``options``)."""
    specs = [
        {
            "options": spec.get("options", {}),
            "names": _names(spec.get("players", 40)),
            "stage": spec.get("stage", "lobby"),
            "takes": spec.get("takes", 0),
        }
        for spec in specs
    ]
    script = f"SPECS = {json.dumps(json.dumps(specs))}\n" + SEED
    out = server.manage("shell", "-c", script)
    line = next(line for line in out.splitlines() if line.startswith("SEEDED "))
    return json.loads(line.removeprefix("SEEDED "))


def seed_room(server, players: int = 40, stage: str = "lobby", takes: int = 0, **options):
    """A room in the live server's database with ``players`` seated (long, mixed names):
    stage "lobby"; "reading" (``takes`` cards taken, then a card being read); "taken"
    (just after ``takes`` takes); or "finished" (every card taken, players taking in turn).
    Returns {"code", "host": host token, "seats": {nickname: seat token}}."""
    spec = {"players": players, "stage": stage, "takes": takes, "options": options}
    return seed_rooms(server, [spec])[0]


def host_storage(room: dict) -> dict:
    return {f"vk-host-{room['code']}": room["host"]}


def seat_storage(room: dict, nickname: str) -> dict:
    return {f"vk-seat-{room['code']}": room["seats"][nickname]}


def read_card_id(server, code: str) -> int:
    """The board card being read in the live server's room ``code`` (its ``data-id``)."""
    out = server.manage(
        "shell",
        "-c",
        "from games.models import Room;"
        f"print('READ', Room.objects.get(code={code!r}).current_card_id)",
    )
    line = next(line for line in out.splitlines() if line.startswith("READ "))
    return int(line.split()[1])
