"""Pillow rendering of the three card faces: torifuda front, torifuda back, yomifuda.

Sizes are in pixels; the printable deck asks for 63 × 88 mm cards at its resolution.
``lang`` is "ja", "en" or "both" (Japanese with the English under it).

Every line of text drawn goes through :func:`put_text`, which also notes it (position,
baseline, size, width) while :func:`recording` is on: the printed PDF lays those lines over
its pictures as invisible text, so the deck can be searched, copied and read by pdftotext.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from games import fonts
from games.models import ValueType, pick
from games.pictograms import render_image

INK = (32, 33, 36)
MUTED = (95, 99, 104)
PAPER = (255, 253, 247)  # washi-like off-white
NO_LINE_START = set(
    "、。，．・：；？！ー）」』】〕〉》’”ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.;:!?)]}"
)
# A web address is one word (never broken at its "://"); a page range keeps its dash.
TOKEN = re.compile(r"https?://\S+\s*|[A-Za-z0-9\u00C0-\u024F'’\-–%/&]+[,.;:!?)]*\s*|\s+|.", re.S)


@dataclass(frozen=True)
class TextLine:
    """One drawn line of text: left edge and baseline in pixels, font size and drawn width."""

    x: float
    baseline: float
    size: float
    width: float
    text: str

    def moved(self, dx: float, dy: float) -> "TextLine":
        return TextLine(self.x + dx, self.baseline + dy, self.size, self.width, self.text)


_recorded: ContextVar[list[TextLine] | None] = ContextVar("card_text_lines", default=None)


@contextmanager
def recording() -> Iterator[list[TextLine]]:
    """Collect the lines :func:`put_text` draws inside the ``with`` block."""
    lines: list[TextLine] = []
    token = _recorded.set(lines)
    try:
        yield lines
    finally:
        _recorded.reset(token)


def put_text(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, font, fill) -> None:
    """``draw.text`` (top-left anchor), noting the line when recording."""
    draw.text(xy, text, font=font, fill=fill)
    lines = _recorded.get()
    if lines is not None and text.strip():
        ascent, _descent = font.getmetrics()
        lines.append(TextLine(xy[0], xy[1] + ascent, font.size, font.getlength(text), text))


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return tuple(int(color[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def tokens(text: str) -> list[str]:
    """Words for Latin text, single characters for Japanese, punctuation glued to the left."""
    out: list[str] = []
    for token in TOKEN.findall(text):
        if out and token[0] in NO_LINE_START:
            out[-1] += token
        else:
            out.append(token)
    return out


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in tokens(paragraph):
            trial = line + token
            if line and font.getlength(trial.rstrip()) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line = trial
        lines.append(line.rstrip())
    return lines


def fit_text(
    text: str, width: int, height: int, start: int, weight: str = "regular", minimum: int = 8
) -> tuple[ImageFont.FreeTypeFont, list[str], int]:
    """The largest font size (down to ``minimum``) at which ``text`` fits the box."""
    size = start
    while True:
        font = fonts.load(size, weight)
        lines = wrap(text, font, width)
        line_height = int(size * 1.45)
        if len(lines) * line_height <= height or size <= minimum:
            return font, lines, line_height
        size = max(minimum, int(size * 0.92))


def draw_block(
    draw: ImageDraw.ImageDraw,
    text: str,
    box: tuple[int, int, int, int],
    start: int,
    *,
    weight: str = "regular",
    fill=INK,
    align: str = "left",
) -> int:
    """Draw wrapped text in ``box`` (x, y, w, h); return the y below the last line."""
    x, y, w, h = box
    font, lines, line_height = fit_text(text, w, h, start, weight)
    for line in lines:
        dx = (w - font.getlength(line)) / 2 if align == "center" else 0
        put_text(draw, (x + dx, y), line, font, fill)
        y += line_height
    return y


def texts(value: ValueType, part: str, lang: str) -> str:
    if lang == "both":
        return f"{value.text(part, 'ja')}\n{value.text(part, 'en')}"
    return value.text(part, lang)


def label(message: str, lang: str) -> str:
    """A UI label in the card's language; "both" shows Japanese then English."""
    if lang == "both":
        with translation.override("ja"):
            ja = _(message)
        with translation.override("en"):
            en = _(message)
        return f"{ja} / {en}"
    with translation.override(lang):
        return _(message)


def blank(
    size: tuple[int, int], color: tuple[int, int, int]
) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", size, PAPER)
    draw = ImageDraw.Draw(image)
    w, h = size
    border = max(4, w // 60)
    draw.rounded_rectangle(
        (border // 2, border // 2, w - border // 2 - 1, h - border // 2 - 1),
        radius=w // 18,
        outline=color,
        width=border,
    )
    return image, draw


def picture(value: ValueType, size: int) -> Image.Image:
    if value.illustration:
        from games.images import open_variant

        image = open_variant(value.illustration.name, "print").convert("RGBA")
        image.thumbnail((size, size), Image.Resampling.LANCZOS)
        return image
    return render_image(value.number, value.field.color, size)


def torifuda_front(value: ValueType, lang: str, size: tuple[int, int]) -> Image.Image:
    color = hex_to_rgb(value.field.color)
    image, draw = blank(size, color)
    w, h = size
    pad = w // 12
    small = fonts.load(max(10, w // 22))
    put_text(draw, (pad, pad * 0.8), f"{value.number:02d}", small, color)
    field_name = pick(value.field, "name", "ja" if lang == "both" else lang)
    put_text(draw, (w - pad - small.getlength(field_name), pad * 0.8), field_name, small, color)
    pic_size = int(w * 0.72)
    pic = picture(value, pic_size)
    image.paste(pic, ((w - pic.width) // 2, int(h * 0.11) + (pic_size - pic.height) // 2), pic)
    top = int(h * 0.11) + pic_size + h // 40
    name = value.text("name", "ja" if lang == "both" else lang)
    bottom = draw_block(
        draw, name, (pad, top, w - 2 * pad, h // 7), w // 8, weight="bold", align="center"
    )
    if lang == "both":
        draw_block(
            draw,
            value.name_en,
            (pad, bottom, w - 2 * pad, h // 12),
            w // 16,
            fill=MUTED,
            align="center",
        )
    return image


def header(draw: ImageDraw.ImageDraw, value: ValueType, lang: str, size: tuple[int, int]) -> int:
    w, h = size
    color = hex_to_rgb(value.field.color)
    top = w // 60 + w // 30
    band = h // 7 if lang != "both" else h // 6
    draw.rectangle((w // 60, top, w - w // 60, band), fill=color)
    name = value.text("name", "ja" if lang == "both" else lang)
    font = fonts.load(w // 13, "bold")
    # Centre the name (and the English under it) in the band.
    sub = fonts.load(w // 24) if lang == "both" else None
    block = font.size * 1.25 + (sub.size * 1.3 if sub else 0)
    y = top + (band - top - block) / 2
    put_text(draw, (w // 12, y), name, font, (255, 255, 255))
    if sub:
        put_text(draw, (w // 12, y + font.size * 1.25), value.name_en, sub, (255, 255, 255))
    return band + h // 40


def section(draw, title: str, body: str, box: tuple[int, int, int, int], color) -> int:
    x, y, w, h = box
    title_font = fonts.load(max(10, w // 22), "bold")
    put_text(draw, (x, y), title, title_font, color)
    y += int(title_font.size * 1.5)
    return draw_block(draw, body, (x, y, w, h - int(title_font.size * 1.5)), max(11, w // 17))


def text_card(
    value: ValueType,
    lang: str,
    size: tuple[int, int],
    parts: tuple[tuple[str, str, float], tuple[str, str]],
    footer: str = "",
) -> Image.Image:
    """A header with the name, then two titled texts; the first gets ``share`` of the room."""
    color = hex_to_rgb(value.field.color)
    image, draw = blank(size, color)
    w, h = size
    pad = w // 12
    y = header(draw, value, lang, size)
    # The source in print: a legible size (about 5.5 pt), on as many lines as it needs, up to
    # a quarter of the card (a long citation shrinks rather than crowd out the texts).
    footer_start = max(11, w // 31)
    footer_h = 0
    if footer:
        _font, lines, line_height = fit_text(footer, w - 2 * pad, h // 4, footer_start)
        footer_h = len(lines) * line_height + h // 60  # and a gap above it
    room = h - y - pad - footer_h
    (first_title, first_part, share), (second_title, second_part) = parts
    box = (pad, y, w - 2 * pad, int(room * share))
    y = section(draw, label(first_title, lang), texts(value, first_part, lang), box, color)
    y += h // 50
    box = (pad, y, w - 2 * pad, h - y - pad - footer_h)
    section(draw, label(second_title, lang), texts(value, second_part, lang), box, color)
    if footer:
        box = (pad, h - pad - footer_h + h // 60, w - 2 * pad, h // 4)
        draw_block(draw, footer, box, footer_start, fill=MUTED)
    return image


def torifuda_back(value: ValueType, lang: str, size: tuple[int, int]) -> Image.Image:
    return text_card(value, lang, size, (("Concept", "concept", 0.4), ("Outline", "outline")))


def yomifuda(value: ValueType, lang: str, size: tuple[int, int]) -> Image.Image:
    parts = (("Overview", "overview", 0.45), ("Easy explanation", "explanation"))
    return text_card(value, lang, size, parts, footer=value.source)
