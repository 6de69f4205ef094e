"""The built-in card pictograms: one distinct, recognisable motif per value (1..24).

Players of the paper deck found the pictures hard to tell apart, so each of the 24 values has
its own silhouette here (see ``MOTIFS``). Pictures are drawn from a tiny shape vocabulary in a
100x100 space (``games.pictogram_render``) and coloured by tone, so one drawing serves every
field colour. Pure Python: no Django imports.

    render_svg(3, "#1f6fb2", title="Perceived value")  # -> standalone SVG text
    render_image(3, "#1f6fb2", 160)                     # -> 160x160 RGBA PIL image
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from PIL import Image

from games.pictogram_render import (
    Arc,
    Circle,
    Ellipse,
    Point,
    Polygon,
    Polyline,
    Rect,
    Shape,
    Tone,
    arc_points,
    shade,
    shapes_to_image,
    shapes_to_svg,
)

__all__ = [
    "MOTIFS",
    "PICTOGRAMS",
    "Arc",
    "Circle",
    "Ellipse",
    "Polygon",
    "Polyline",
    "Rect",
    "Shape",
    "Tone",
    "render_image",
    "render_svg",
    "shade",
]

Points = tuple[Point, ...]


# -- geometry helpers (used only to build the data below) ----------------------------------------


def _rot(points: Iterable[Point], degrees: float, about: Point = (50, 50)) -> Points:
    """Turn points clockwise (on screen) by ``degrees`` about ``about``."""
    a = math.radians(degrees)
    cos_a, sin_a = math.cos(a), math.sin(a)
    ox, oy = about
    return tuple(
        (ox + (x - ox) * cos_a - (y - oy) * sin_a, oy + (x - ox) * sin_a + (y - oy) * cos_a)
        for x, y in points
    )


def _quad(p0: Point, c: Point, p1: Point, steps: int = 16) -> list[Point]:
    """Points along a quadratic Bézier curve, ends included."""
    out = []
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        out.append(
            (u * u * p0[0] + 2 * u * t * c[0] + t * t * p1[0],
             u * u * p0[1] + 2 * u * t * c[1] + t * t * p1[1])
        )  # fmt: skip
    return out


def _arc(cx: float, cy: float, r: float, start: float, end: float) -> list[Point]:
    """Points along an arc from ``start`` to ``end`` degrees (either direction)."""
    if end >= start:
        return arc_points(cx, cy, r, start, end)
    return arc_points(cx, cy, r, end, start)[::-1]


def _star(cx: float, cy: float, outer: float, inner: float, tips: int = 5) -> Points:
    """A star polygon with a tip pointing up."""
    points = []
    for i in range(tips * 2):
        r = outer if i % 2 == 0 else inner
        a = math.radians(-90 + 180 * i / tips)
        points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return tuple(points)


def _heart(cx: float, cy: float, width: float) -> Points:
    """The classic parametric heart, ``width`` wide, centred on (cx, cy)."""
    k = width / 34
    points = []
    for i in range(60):
        t = 2 * math.pi * i / 60
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        points.append((cx + x * k, cy - (y + 2.5) * k))
    return tuple(points)


def _drop(cx: float, cy: float, r: float, tip_y: float) -> Points:
    """A drop: a circle drawn out to a point straight above it."""
    half = math.degrees(math.asin(r / (cy - tip_y)))
    return ((cx, tip_y), *_arc(cx, cy, r, -90 + (90 - half), 270 - (90 - half)))


def _arrow(cx: float, cy: float, r: float, start: float, end: float, width: float,
           tone: Tone) -> tuple[Shape, Shape]:  # fmt: skip
    """A clockwise arc with an arrow head at its end."""
    a = math.radians(end)
    ex, ey = cx + r * math.cos(a), cy + r * math.sin(a)
    tx, ty = -math.sin(a), math.cos(a)  # direction of travel
    nx, ny = math.cos(a), math.sin(a)  # outwards
    head = 1.7 * width
    tip = (ex + tx * head * 1.2, ey + ty * head * 1.2)
    wing = (ex + nx * head, ey + ny * head), (ex - nx * head, ey - ny * head)
    return Arc(cx, cy, r, start, end, width, tone), Polygon((tip, *wing), tone)


def _bust(cx: float, head_y: float, head_r: float, half_w: float, bottom: float,
          tone: Tone) -> tuple[Shape, Shape]:  # fmt: skip
    """A person from the chest up: a head over rounded shoulders."""
    body = _torso(cx, head_y, head_r, half_w, bottom)
    return Circle(cx, head_y, head_r, tone), Polygon(body, tone)


def _torso(cx: float, head_y: float, head_r: float, half_w: float, bottom: float) -> Points:
    """The shoulders and chest under a head (see ``_bust``)."""
    top = head_y + head_r * 1.35
    return (*_arc(cx, top + half_w, half_w, 180, 360), (cx + half_w, bottom), (cx - half_w, bottom))


def _capsule(cx: float, cy: float, half_len: float, r: float, angle: float) -> Points:
    """Outline of a stadium shape (a chain link), its long axis turned ``angle`` degrees."""
    a = math.radians(angle)
    ux, uy = math.cos(a), math.sin(a)
    far = _arc(cx + ux * half_len, cy + uy * half_len, r, angle - 90, angle + 90)
    near = _arc(cx - ux * half_len, cy - uy * half_len, r, angle + 90, angle + 270)
    return (*far, *near, far[0])


def _puzzle(x: float, y: float, s: float, sides: tuple[int, int, int, int]) -> Points:
    """A jigsaw piece: square ``s`` wide; sides (top, right, bottom, left) 1 tab, -1 hole."""
    corners = [(x, y), (x + s, y), (x + s, y + s), (x, y + s)]
    r = s * 0.17  # the knob: a circle centred 0.75 r beyond the edge
    meet = math.degrees(math.asin(0.75))  # where that circle crosses the edge
    points: list[Point] = []
    for i, kind in enumerate(sides):
        (x0, y0), (x1, y1) = corners[i], corners[(i + 1) % 4]
        dx, dy = (x1 - x0) / s, (y1 - y0) / s
        nx, ny = dy * kind, -dx * kind  # outwards for a tab, inwards for a hole
        points.append((x0, y0))
        if not kind:
            continue
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        for j in range(25):
            theta = math.radians(180 + meet - (180 + 2 * meet) * j / 24)
            t, h = r * math.cos(theta), 0.75 * r + r * math.sin(theta)
            points.append((mx + t * dx + h * nx, my + t * dy + h * ny))
    return tuple(points)


def _wave(x: float, y0: float, y1: float, amp: float) -> Points:
    """A vertical wavy line (steam)."""
    return tuple((x + amp * math.sin(math.pi * i / 4), y0 + (y1 - y0) * i / 12) for i in range(13))


# -- the 24 pictograms -----------------------------------------------------------------------


def _hammer() -> tuple[Shape, ...]:
    turn = 40
    head = ((24, 14), (74, 14), (74, 36), (24, 36), (12, 30), (12, 20))
    face = ((74, 12), (82, 12), (82, 38), (74, 38))
    return (
        Polyline(_rot([(50, 34), (50, 92)], turn), 11, "dark"),
        Polyline(_rot([(50, 70), (50, 92)], turn), 14, "main"),
        Polygon(_rot(head, turn), "main"),
        Polygon(_rot(face, turn), "dark"),
        Polyline(_rot([(26, 20), (68, 20)], turn), 3, "light"),
    )


def _exchange() -> tuple[Shape, ...]:
    return (
        Rect(10, 12, 34, 32, 4, "main"),
        Polyline(((27, 12), (27, 44)), 5, "light"),
        Circle(71, 69, 20, "accent"),
        Circle(71, 69, 12.5, "dark", stroke=3),
        *_arrow(50, 50, 38, -80, -12, 6, "dark"),
        *_arrow(50, 50, 38, 100, 168, 6, "dark"),
    )


def _eye() -> tuple[Shape, ...]:
    outer = _quad((4, 50), (50, 6), (96, 50)) + _quad((96, 50), (50, 94), (4, 50))[1:-1]
    inner = _quad((15, 50), (50, 17), (85, 50)) + _quad((85, 50), (50, 83), (15, 50))[1:-1]
    lashes = []
    for x in (22, 36, 50, 64, 78):
        t = (x - 4) / 92
        y = 50 - 88 * t * (1 - t)
        dx, dy = (x - 50) / 3, -14.0
        lashes.append(Polyline(((x, y), (x + dx * 0.6, y + dy)), 4, "dark"))
    return (
        *lashes,
        Polygon(tuple(outer), "main"),
        Polygon(tuple(inner), "white"),
        Circle(50, 50, 16, "main"),
        Circle(50, 50, 7, "dark"),
        Circle(55.5, 44.5, 3.5, "white"),
    )


def _bag() -> tuple[Shape, ...]:
    body = ((20, 40), (80, 40), (86, 92), (14, 92))
    return (
        Rect(22, 18, 14, 30, 2, "dark"),
        Circle(64, 32, 11, "accent"),
        Polygon(body, "main"),
        Arc(50, 48, 15, 180, 360, 5, "dark"),
        Circle(35, 48, 3, "dark"),
        Circle(65, 48, 3, "dark"),
        Polyline(((18, 84), (82, 84)), 3, "light"),
    )


def _price_tag() -> tuple[Shape, ...]:
    turn, about = -40, (50, 52)
    tag = ((50, 10), (74, 32), (74, 92), (26, 92), (26, 32))
    (hx, hy), (ax, ay), (bx, by) = _rot([(50, 30), (40, 52), (60, 76)], turn, about)
    return (
        Polygon(_rot(tag, turn, about), "main"),
        Circle(hx, hy, 5, "white"),
        Circle(ax, ay, 5, "white", stroke=4),
        Circle(bx, by, 5, "white", stroke=4),
        Polyline(_rot([(62, 46), (38, 82)], turn, about), 4.5, "white"),
    )


def _building() -> tuple[Shape, ...]:
    windows = tuple(
        Rect(44 + 10.5 * col, 17 + 11 * row, 7, 7, 1, "light")
        for row in range(5)
        for col in range(3)
    )
    side = tuple(Rect(22, 50 + 11 * row, 12, 6, 1, "light") for row in range(3))
    return (
        Rect(16, 42, 24, 50, 2, "dark"),
        *side,
        Rect(39, 10, 42, 82, 2, "main"),
        *windows,
        Rect(53, 74, 14, 18, 1, "dark"),
        Polyline(((10, 92), (90, 92)), 4, "dark"),
    )


def _bulb() -> tuple[Shape, ...]:
    rays = tuple(
        Polyline(
            (
                (50 + 31 * math.cos(a), 44 + 31 * math.sin(a)),
                (50 + 40 * math.cos(a), 44 + 40 * math.sin(a)),
            ),
            5,
            "main",
        )
        for a in (math.radians(d) for d in (-180, -135, -90, -45, 0))
    )
    return (
        *rays,
        Circle(50, 44, 24, "accent"),
        Polygon(((35, 58), (65, 58), (60, 74), (40, 74)), "accent"),
        Arc(50, 44, 16, 195, 250, 4.5, "white"),
        Rect(38, 73, 24, 6, 3, "dark"),
        Rect(39, 80, 22, 6, 3, "dark"),
        Rect(44, 87, 12, 5, 2.5, "dark"),
    )


def _summit() -> tuple[Shape, ...]:
    snow = ((40, 26), (47.7, 38.1), (43, 35), (39, 40), (35, 36), (32.1, 40.1))
    return (
        Polygon(((44, 90), (70, 42), (96, 90)), "dark"),
        Polygon(((4, 90), (40, 26), (76, 90)), "main"),
        Polygon(snow, "white"),
        Polyline(((40, 27), (40, 6)), 3, "dark"),
        Polygon(((41, 5), (60, 11), (41, 17)), "accent"),
    )


def _ladder() -> tuple[Shape, ...]:
    def rail_x(side: int, y: float) -> float:
        return 50 + side * (14 + (y - 6) / 88 * 8)

    rungs = tuple(
        Polyline(((rail_x(-1, y), y), (rail_x(1, y), y)), 6, "dark") for y in range(16, 90, 14)
    )
    return (
        *rungs,
        Polyline(((rail_x(-1, 94), 94), (rail_x(-1, 6), 6)), 7, "main"),
        Polyline(((rail_x(1, 94), 94), (rail_x(1, 6), 6)), 7, "main"),
    )


def _chain() -> tuple[Shape, ...]:
    half, r, w = 14, 13, 9
    return (
        Polygon(_capsule(35, 65, half, r, -45), "main", stroke=w),
        Polygon(_capsule(65, 35, half, r, -45), "dark", stroke=w),
        Arc(35 + half * math.sqrt(0.5), 65 - half * math.sqrt(0.5), r, -60, 40, w, "main"),
    )


def _torii() -> tuple[Shape, ...]:
    kasagi = _quad((2, 8), (50, 24), (98, 8)) + _quad((93, 22), (50, 32), (7, 22))
    return (
        Polygon(((24, 30), (33, 30), (33, 94), (21, 94)), "main"),
        Polygon(((67, 30), (76, 30), (79, 94), (67, 94)), "main"),
        Rect(10, 44, 80, 8, 1, "main"),
        Rect(46, 28, 8, 16, 0, "main"),
        Polygon(tuple(kasagi), "dark"),
        Rect(14, 27, 72, 6, 0, "main"),
        Rect(18, 88, 18, 6, 1, "dark"),
        Rect(64, 88, 18, 6, 1, "dark"),
    )


def _crowd() -> tuple[Shape, ...]:
    crown = ((40, 17), (39, 5), (45, 11), (50, 3), (55, 11), (61, 5), (60, 17))
    return (
        *_bust(20, 44, 9, 16, 92, "light"),
        *_bust(80, 44, 9, 16, 92, "light"),
        # a white rim keeps the leader apart from the two behind
        Circle(50, 32, 14, "white"),
        Polyline(((27, 89), *_torso(50, 32, 12, 23, 92)[:-2], (73, 89)), 6, "white"),
        *_bust(50, 32, 12, 23, 92, "main"),
        Polygon(crown, "accent"),
    )


def _ticket() -> tuple[Shape, ...]:
    turn = -10
    outline = (
        (10, 32), (90, 32), *_arc(90, 50, 8, 270, 90),
        (90, 68), (10, 68), *_arc(10, 50, 8, 90, -90),
    )  # fmt: skip
    perforation = tuple(
        Polyline(_rot([(66, y), (66, y + 3)], turn), 3, "white") for y in range(36, 66, 8)
    )
    return (
        Polygon(_rot(outline, turn), "main"),
        *perforation,
        Polygon(_rot(_star(40, 50, 15, 6.5), turn), "accent"),
        Polygon(_rot(_star(76, 50, 5, 2.2), turn), "light"),
    )


def _blocks() -> tuple[Shape, ...]:
    rows: tuple[tuple[int, Tone], ...] = ((4, "dark"), (3, "main"), (2, "main"), (1, "accent"))
    return tuple(
        Rect(50 - count * 11.5 + 23 * i + 1.2, 72 - 20 * level, 20.6, 18, 2.5, tone)
        for level, (count, tone) in enumerate(rows)
        for i in range(count)
    )


def _clock() -> tuple[Shape, ...]:
    return (
        Polyline(((6, 34), (20, 34)), 5, "main"),
        Polyline(((2, 50), (18, 50)), 5, "main"),
        Polyline(((6, 66), (20, 66)), 5, "main"),
        Circle(58, 52, 30, "light"),
        Circle(58, 52, 30, "main", stroke=7),
        *_arrow(58, 52, 30, -120, -35, 7, "accent"),
        Polyline(((58, 52), (58, 33)), 6, "dark"),
        Polyline(((58, 52), (72, 60)), 6, "dark"),
        Circle(58, 52, 4.5, "dark"),
    )


def _senses() -> tuple[Shape, ...]:
    return (
        Ellipse(21, 70, 10, 7.5, "main", angle=-20),
        Ellipse(51, 62, 10, 7.5, "main", angle=-20),
        Polyline(((29.5, 67), (29.5, 20)), 5, "main"),
        Polyline(((59.5, 59), (59.5, 12)), 5, "main"),
        Polygon(((27, 14), (62, 5), (62, 16), (27, 25)), "main"),
        Polygon(_drop(76, 74, 16, 40), "accent"),
        Ellipse(70, 76, 3, 5.5, "white", angle=20),
    )


def _thought() -> tuple[Shape, ...]:
    puffs = ((30, 44, 17), (50, 32, 21), (72, 42, 17), (64, 60, 16), (40, 60, 16))
    return (
        *(Circle(x, y, r, "main") for x, y, r in puffs),
        Rect(30, 38, 44, 26, 0, "main"),
        Circle(20, 80, 7, "main"),
        Circle(9, 92, 4.5, "main"),
        Polygon(_star(51, 47, 15, 4.5, tips=4), "accent"),
        Polygon(_star(69, 33, 6, 2, tips=4), "white"),
    )


def _customer() -> tuple[Shape, ...]:
    heart = _heart(72, 36, 38)
    return (
        *_bust(38, 32, 15, 26, 92, "main"),
        Polygon(heart, "white", stroke=7),
        Polygon(heart, "accent"),
    )


def _jigsaw() -> tuple[Shape, ...]:
    return (
        Polygon(_puzzle(55, 34, 38, (-1, 0, 1, -1)), "dark"),
        Polygon(_puzzle(7, 34, 38, (1, 1, -1, 0)), "main"),
    )


def _cup() -> tuple[Shape, ...]:
    return (
        Polyline(_wave(32, 28, 6, 3), 4, "main"),
        Polyline(_wave(45, 28, 4, 3), 4, "main"),
        Polyline(_wave(58, 28, 6, 3), 4, "main"),
        Arc(70, 56, 11, -90, 90, 7, "main"),
        Rect(16, 34, 56, 46, 10, "main"),
        Rect(16, 44, 56, 7, 0, "light"),
        Ellipse(46, 86, 40, 6, "dark"),
    )


def _book() -> tuple[Shape, ...]:
    left = _quad((8, 22), (30, 14), (50, 26)) + _quad((50, 84), (30, 72), (8, 80))
    right = _quad((50, 26), (70, 14), (92, 22)) + _quad((92, 80), (70, 72), (50, 84))
    cover = ((4, 28), (50, 34), (96, 28), (96, 88), (50, 94), (4, 88))
    lines = tuple(
        Polyline(((x0, y + dy0), (x1, y + dy1)), 3, "main")
        for y in (34, 44, 54, 64)
        for x0, dy0, x1, dy1 in ((16, 0, 42, 4), (58, 4, 84, 0))
    )
    return (
        Polygon(cover, "dark"),
        Polygon(tuple(left), "light"),
        Polygon(tuple(right), "light"),
        *lines,
        Polyline(((50, 26), (50, 84)), 3, "dark"),
    )


def _magnifier() -> tuple[Shape, ...]:
    gem = ((34, 33), (50, 33), (57, 41), (42, 58), (27, 41))
    return (
        Polyline(((62, 62), (88, 88)), 13, "dark"),
        Circle(42, 42, 26, "light"),
        Polygon(gem, "accent"),
        Polyline(((27, 41), (57, 41)), 2, "white"),
        Polyline(((38, 41), (42, 57), (46, 41)), 2, "white"),
        Circle(42, 42, 26, "main", stroke=8),
    )


def _tshirt() -> tuple[Shape, ...]:
    neck = _quad((63, 12), (50, 26), (37, 12))
    shirt = ((22, 16), (6, 34), (19, 46), (26, 40), (26, 92), (74, 92), (74, 40), (81, 46),
             (94, 34), (78, 16), *neck)  # fmt: skip
    bolt = ((56, 38), (40, 62), (50, 62), (44, 82), (62, 54), (52, 54), (60, 38))
    return (
        Polygon(shirt, "main"),
        Polyline(((12, 40), (22, 30)), 3, "dark"),
        Polyline(((88, 40), (78, 30)), 3, "dark"),
        Polygon(bolt, "accent"),
    )


def _leaf() -> tuple[Shape, ...]:
    outline = _quad((22, 80), (12, 18), (88, 12)) + _quad((88, 12), (84, 86), (22, 80))[1:]
    base, tip = (24, 78), (82, 18)
    veins = []
    for t, length in ((0.3, 15), (0.5, 14), (0.7, 10)):
        x, y = base[0] + (tip[0] - base[0]) * t, base[1] + (tip[1] - base[1]) * t
        for turn in (-42, 42):
            end = _rot([(x + length * 0.695, y - length * 0.719)], turn, (x, y))[0]
            veins.append(Polyline(((x, y), end), 2.5, "light"))
    return (
        Polyline(((24, 78), (8, 94)), 5, "dark"),
        Polygon(tuple(outline), "main"),
        Polyline((base, tip), 3.5, "light"),
        *veins,
    )


PICTOGRAMS: dict[int, tuple[Shape, ...]] = {
    1: _hammer(),
    2: _exchange(),
    3: _eye(),
    4: _bag(),
    5: _price_tag(),
    6: _building(),
    7: _bulb(),
    8: _summit(),
    9: _ladder(),
    10: _chain(),
    11: _torii(),
    12: _crowd(),
    13: _ticket(),
    14: _blocks(),
    15: _clock(),
    16: _senses(),
    17: _thought(),
    18: _customer(),
    19: _jigsaw(),
    20: _cup(),
    21: _book(),
    22: _magnifier(),
    23: _tshirt(),
    24: _leaf(),
}

# What each picture shows, for alt texts, docs and the printable deck's notes.
MOTIFS: dict[int, str] = {
    1: "hammer",
    2: "a box and a coin with arrows swapping them",
    3: "eye",
    4: "shopping bag with goods in it",
    5: "price tag with a percent mark",
    6: "office buildings",
    7: "glowing light bulb",
    8: "mountain with a flag on the summit",
    9: "ladder",
    10: "two chain links",
    11: "torii gate",
    12: "crowd with a crowned leader in front",
    13: "ticket with a star",
    14: "pyramid of foundation blocks",
    15: "clock with a fast arrow and speed lines",
    16: "music notes and a colour drop",
    17: "thought bubble with a sparkle",
    18: "person with a heart",
    19: "two jigsaw pieces",
    20: "coffee cup with steam",
    21: "open book",
    22: "magnifying glass over a gem",
    23: "T-shirt with a lightning print",
    24: "leaf",
}


def _shapes(number: int) -> Sequence[Shape]:
    try:
        return PICTOGRAMS[number]
    except KeyError:
        raise ValueError(f"no pictogram for value number {number!r} (1..24)") from None


def render_svg(number: int, color: str, *, title: str | None = None) -> str:
    """The pictogram of value ``number`` as a standalone SVG document in ``color`` (#rrggbb)."""
    return shapes_to_svg(_shapes(number), color, title=title)


def render_image(number: int, color: str, size: int) -> Image.Image:
    """The same pictogram as a ``size`` x ``size`` RGBA image on a transparent background."""
    return shapes_to_image(_shapes(number), color, size)
