"""A tiny shape vocabulary for the card pictograms, and its two renderers (SVG and Pillow).

Shapes live in a 100x100 coordinate space (y grows downwards). Every shape has a *tone*, not a
colour: the tone is resolved against the field colour when the picture is rendered, so one
drawing serves all four fields. Shapes are filled unless ``stroke`` (a line width) is set;
``Polyline`` and ``Arc`` are always stroked, with round caps and joins.

Pure Python plus Pillow: no Django here, so the pictograms can be drawn anywhere.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from PIL import Image, ImageDraw

Tone = Literal["main", "dark", "light", "white", "accent"]
Point = tuple[float, float]
RGBA = tuple[int, int, int, int]

VIEWBOX = 100.0
SUPERSAMPLE = 4  # draw at 4x, then downsample: Pillow's own shapes are not antialiased
MAX_CANVAS = 2400  # ... but never above this many pixels a side (print sizes), nor below 2x
ACCENT = "#f5b700"
WHITE = "#ffffff"
DARK_AMOUNT = -0.4
LIGHT_AMOUNT = 0.72


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    tone: Tone = "main"
    stroke: float = 0.0


@dataclass(frozen=True)
class Ellipse:
    """An ellipse, optionally turned by ``angle`` degrees (clockwise) about its centre."""

    cx: float
    cy: float
    rx: float
    ry: float
    tone: Tone = "main"
    stroke: float = 0.0
    angle: float = 0.0


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    radius: float = 0.0
    tone: Tone = "main"
    stroke: float = 0.0


@dataclass(frozen=True)
class Polygon:
    points: tuple[Point, ...]
    tone: Tone = "main"
    stroke: float = 0.0


@dataclass(frozen=True)
class Polyline:
    points: tuple[Point, ...]
    width: float
    tone: Tone = "main"


@dataclass(frozen=True)
class Arc:
    """A stroked circular arc; angles in degrees, clockwise from 3 o'clock, start < end."""

    cx: float
    cy: float
    r: float
    start: float
    end: float
    width: float
    tone: Tone = "main"


Shape = Circle | Ellipse | Rect | Polygon | Polyline | Arc


# -- colours ------------------------------------------------------------------------------


def _parse_hex(color: str) -> tuple[int, int, int]:
    value = color.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    if len(value) != 6:
        raise ValueError(f"not a #rgb or #rrggbb colour: {color!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def shade(color: str, amount: float) -> str:
    """Mix ``color`` towards white (``amount`` > 0) or black (< 0); ``amount`` in -1..1."""
    amount = max(-1.0, min(1.0, amount))
    target = 255 if amount > 0 else 0
    mixed = (round(c + (target - c) * abs(amount)) for c in _parse_hex(color))
    return "#" + "".join(f"{c:02x}" for c in mixed)


def palette(color: str) -> dict[Tone, str]:
    """The five tones for one field colour."""
    return {
        "main": shade(color, 0.0),
        "dark": shade(color, DARK_AMOUNT),
        "light": shade(color, LIGHT_AMOUNT),
        "white": WHITE,
        "accent": ACCENT,
    }


# -- geometry shared by both renderers -------------------------------------------------------


def arc_points(cx: float, cy: float, r: float, start: float, end: float) -> list[Point]:
    """Points along an arc, about one every 4 degrees (ends included)."""
    steps = max(2, math.ceil(abs(end - start) / 4))
    angles = (math.radians(start + (end - start) * i / steps) for i in range(steps + 1))
    return [(cx + r * math.cos(a), cy + r * math.sin(a)) for a in angles]


def ellipse_points(shape: Ellipse, steps: int = 72) -> list[Point]:
    """Outline of a (possibly turned) ellipse as a polygon."""
    turn = math.radians(shape.angle)
    cos_t, sin_t = math.cos(turn), math.sin(turn)
    points = []
    for i in range(steps):
        t = 2 * math.pi * i / steps
        x, y = shape.rx * math.cos(t), shape.ry * math.sin(t)
        points.append((shape.cx + x * cos_t - y * sin_t, shape.cy + x * sin_t + y * cos_t))
    return points


# -- SVG ----------------------------------------------------------------------------------------


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _pts(points: Iterable[Point]) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in points)


def _paint(color: str, stroke: float) -> str:
    if stroke <= 0:
        return f'fill="{color}"'
    return f'fill="none" stroke="{color}" stroke-width="{_num(stroke)}" stroke-linejoin="round"'


def _line_paint(color: str, width: float) -> str:
    return (
        f'fill="none" stroke="{color}" stroke-width="{_num(width)}" '
        'stroke-linecap="round" stroke-linejoin="round"'
    )


def svg_element(shape: Shape, colors: dict[Tone, str]) -> str:
    """One SVG element for one shape."""
    color = colors[shape.tone]
    match shape:
        case Circle(cx, cy, r, _, stroke):
            attrs = f'cx="{_num(cx)}" cy="{_num(cy)}" r="{_num(r)}"'
            return f"<circle {attrs} {_paint(color, stroke)}/>"
        case Ellipse(cx, cy, rx, ry, _, stroke, angle):
            attrs = f'cx="{_num(cx)}" cy="{_num(cy)}" rx="{_num(rx)}" ry="{_num(ry)}"'
            if angle:
                attrs += f' transform="rotate({_num(angle)} {_num(cx)} {_num(cy)})"'
            return f"<ellipse {attrs} {_paint(color, stroke)}/>"
        case Rect(x, y, w, h, radius, _, stroke):
            attrs = f'x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="{_num(h)}"'
            if radius:
                attrs += f' rx="{_num(radius)}"'
            return f"<rect {attrs} {_paint(color, stroke)}/>"
        case Polygon(points, _, stroke):
            return f'<polygon points="{_pts(points)}" {_paint(color, stroke)}/>'
        case Polyline(points, width, _):
            return f'<polyline points="{_pts(points)}" {_line_paint(color, width)}/>'
        case Arc():
            return _arc_path(shape, color)
    raise TypeError(f"not a shape: {shape!r}")


def _arc_path(shape: Arc, color: str) -> str:
    paint = _line_paint(color, shape.width)
    span = shape.end - shape.start
    if span >= 360:
        return f'<circle cx="{_num(shape.cx)}" cy="{_num(shape.cy)}" r="{_num(shape.r)}" {paint}/>'
    points = arc_points(shape.cx, shape.cy, shape.r, shape.start, shape.end)
    (x0, y0), (x1, y1) = points[0], points[-1]
    large = 1 if span > 180 else 0
    d = f"M{_num(x0)} {_num(y0)}A{_num(shape.r)} {_num(shape.r)} 0 {large} 1 {_num(x1)} {_num(y1)}"
    return f'<path d="{d}" {paint}/>'


def shapes_to_svg(shapes: Sequence[Shape], color: str, *, title: str | None = None) -> str:
    """A standalone SVG document (viewBox 0 0 100 100) drawing ``shapes`` in ``color``."""
    colors = palette(color)
    head = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" role="img"'
    parts = []
    if title:
        head += f" aria-label={quoteattr(title)}"
        parts.append(f"<title>{escape(title)}</title>")
    parts.extend(svg_element(shape, colors) for shape in shapes)
    return head + ">" + "".join(parts) + "</svg>"


# -- Pillow -------------------------------------------------------------------------------------


def _rgba(color: str) -> RGBA:
    return (*_parse_hex(color), 255)


class _Painter:
    """Draws shapes onto a Pillow image whose side is ``scale`` times the viewBox."""

    def __init__(self, image: Image.Image, colors: dict[Tone, str]) -> None:
        self.draw = ImageDraw.Draw(image)
        self.scale = image.width / VIEWBOX
        self.colors = {tone: _rgba(value) for tone, value in colors.items()}

    def xy(self, points: Iterable[Point]) -> list[Point]:
        return [(x * self.scale, y * self.scale) for x, y in points]

    def box(self, x0: float, y0: float, x1: float, y1: float) -> list[float]:
        return [x0 * self.scale, y0 * self.scale, x1 * self.scale, y1 * self.scale]

    def line(self, points: Sequence[Point], width: float, fill: RGBA) -> None:
        """A stroked polyline with round joins and caps: straight segments plus discs.

        (Pillow's own ``joint="curve"`` leaves hairline spikes on finely sampled curves.)
        """
        pixels = max(1, round(width * self.scale))
        scaled = self.xy(points)
        for start, end in zip(scaled, scaled[1:], strict=False):
            self.draw.line([start, end], fill=fill, width=pixels)
        half = width / 2
        for x, y in points:
            self.draw.ellipse(self.box(x - half, y - half, x + half, y + half), fill=fill)

    def paint(self, shape: Shape) -> None:
        fill = self.colors[shape.tone]
        match shape:
            case Circle(cx, cy, r, _, stroke):
                self._oval(cx, cy, r, r, stroke, fill)
            case Ellipse(cx, cy, rx, ry, _, stroke, angle) if not angle:
                self._oval(cx, cy, rx, ry, stroke, fill)
            case Ellipse(_, _, _, _, _, stroke):
                self._polygon(ellipse_points(shape), stroke, fill)
            case Rect():
                self._rect(shape, fill)
            case Polygon(points, _, stroke):
                self._polygon(list(points), stroke, fill)
            case Polyline(points, width, _):
                self.line(points, width, fill)
            case Arc(cx, cy, r, start, end, width, _):
                self.line(arc_points(cx, cy, r, start, end), width, fill)

    def _oval(self, cx: float, cy: float, rx: float, ry: float, stroke: float, fill: RGBA) -> None:
        half = stroke / 2
        bbox = self.box(cx - rx - half, cy - ry - half, cx + rx + half, cy + ry + half)
        if stroke <= 0:
            self.draw.ellipse(bbox, fill=fill)
        else:
            self.draw.ellipse(bbox, outline=fill, width=max(1, round(stroke * self.scale)))

    def _rect(self, rect: Rect, fill: RGBA) -> None:
        half = rect.stroke / 2
        bbox = self.box(
            rect.x - half, rect.y - half, rect.x + rect.w + half, rect.y + rect.h + half
        )
        corner = (rect.radius + half) * self.scale  # round joins, as in the SVG
        if rect.stroke <= 0:
            self.draw.rounded_rectangle(bbox, radius=corner, fill=fill)
        else:
            width = max(1, round(rect.stroke * self.scale))
            self.draw.rounded_rectangle(bbox, radius=corner, outline=fill, width=width)

    def _polygon(self, points: list[Point], stroke: float, fill: RGBA) -> None:
        if stroke <= 0:
            self.draw.polygon(self.xy(points), fill=fill)
        else:
            self.line([*points, points[0]], stroke, fill)


def shapes_to_image(shapes: Sequence[Shape], color: str, size: int) -> Image.Image:
    """``shapes`` rasterised at ``size`` x ``size`` pixels, RGBA on transparent, antialiased."""
    if size < 1:
        raise ValueError(f"size must be positive, not {size}")
    factor = max(2, min(SUPERSAMPLE, MAX_CANVAS // size))
    big = Image.new("RGBA", (size * factor, size * factor), (0, 0, 0, 0))
    painter = _Painter(big, palette(color))
    for shape in shapes:
        painter.paint(shape)
    return big.resize((size, size), Image.Resampling.LANCZOS)
