"""The printable deck: A4 pages of 3 × 3 cards (63 × 88 mm) with cut marks, as a PDF.

Pages: a cover sheet with instructions, then the torifuda fronts, the torifuda backs (columns
mirrored so that a long-edge duplex print puts each back behind its front) and the yomifuda.
"""

import io
from collections.abc import Callable, Iterable

from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from games import cards, fonts
from games.models import ValueType

DPI = 200
MM = DPI / 25.4
PAGE = (round(210 * MM), round(297 * MM))
CARD = (round(63 * MM), round(88 * MM))
COLS, ROWS = 3, 3
PER_PAGE = COLS * ROWS
MARK = round(5 * MM)
LANG_CHOICES = ("ja", "en", "both")


def origin() -> tuple[int, int]:
    return (PAGE[0] - COLS * CARD[0]) // 2, (PAGE[1] - ROWS * CARD[1]) // 2


def cut_marks(draw: ImageDraw.ImageDraw) -> None:
    """Short lines in the margins on every cutting line, clear of the cards themselves."""
    x0, y0 = origin()
    x1, y1 = x0 + COLS * CARD[0], y0 + ROWS * CARD[1]
    gap = round(1.5 * MM)
    for col in range(COLS + 1):
        x = x0 + col * CARD[0]
        draw.line((x, y0 - gap - MARK, x, y0 - gap), fill="black", width=2)
        draw.line((x, y1 + gap, x, y1 + gap + MARK), fill="black", width=2)
    for row in range(ROWS + 1):
        y = y0 + row * CARD[1]
        draw.line((x0 - gap - MARK, y, x0 - gap, y), fill="black", width=2)
        draw.line((x1 + gap, y, x1 + gap + MARK, y), fill="black", width=2)


def sheet(
    values: list[ValueType],
    render: Callable[[ValueType, str, tuple[int, int]], Image.Image],
    lang: str,
    title: str,
    *,
    mirrored: bool = False,
) -> Iterable[Image.Image]:
    x0, y0 = origin()
    small = fonts.load(round(3 * MM))
    for start in range(0, len(values), PER_PAGE):
        page = Image.new("RGB", PAGE, "white")
        draw = ImageDraw.Draw(page)
        for index, value in enumerate(values[start : start + PER_PAGE]):
            row, col = divmod(index, COLS)
            if mirrored:
                col = COLS - 1 - col
            page.paste(render(value, lang, CARD), (x0 + col * CARD[0], y0 + row * CARD[1]))
        cut_marks(draw)
        footer = f"Value Karuta · {title} · {start // PER_PAGE + 1}"
        draw.text((x0, PAGE[1] - round(10 * MM)), footer, font=small, fill=(120, 120, 120))
        yield page


def cover(lang: str, count: int) -> Image.Image:
    page = Image.new("RGB", PAGE, "white")
    draw = ImageDraw.Draw(page)
    pad = round(20 * MM)
    ui = "ja" if lang in ("ja", "both") else "en"
    with translation.override(ui):
        title = _("Value Karuta: printable deck")
        lines = [
            _("%(count)d torifuda (cards to take) and %(count)d yomifuda (cards to read).")
            % {"count": count},
            _(
                "Print on A4 at 100% (no scaling). Print the back pages double-sided, "
                "flipping on the long edge, so each back lands behind its front."
            ),
            _("Cut along the marks in the margins: every card is 63 × 88 mm."),
            _(
                "How to play: lay out all torifuda face up. The reader reads a yomifuda; "
                "the takers race to take the matching torifuda. Whoever takes the most cards wins."
            ),
        ]
    y = pad
    draw.text((pad, y), title, font=fonts.load(round(9 * MM), "bold"), fill=cards.INK)
    y += round(18 * MM)
    for line in lines:
        y = cards.draw_block(
            draw, line, (pad, y, PAGE[0] - 2 * pad, round(40 * MM)), round(5 * MM)
        ) + round(5 * MM)
    return page


def section_titles(lang: str) -> dict[str, str]:
    return {key: cards.label(key, lang) for key in ("Torifuda front", "Torifuda back", "Yomifuda")}


def deck_pages(values: list[ValueType], lang: str) -> list[Image.Image]:
    if lang not in LANG_CHOICES:
        raise ValueError(f"lang must be one of {', '.join(LANG_CHOICES)}")
    titles = section_titles(lang)
    pages = [cover(lang, len(values))]
    pages += sheet(values, cards.torifuda_front, lang, titles["Torifuda front"])
    pages += sheet(values, cards.torifuda_back, lang, titles["Torifuda back"], mirrored=True)
    pages += sheet(values, cards.yomifuda, lang, titles["Yomifuda"])
    return pages


def deck_pdf(values: list[ValueType], lang: str) -> bytes:
    pages = deck_pages(values, lang)
    buffer = io.BytesIO()
    pages[0].save(
        buffer,
        "PDF",
        save_all=True,
        append_images=pages[1:],
        resolution=DPI,
        title="Value Karuta",
        author="Value Karuta",
        quality=92,
    )
    return buffer.getvalue()


def expected_page_count(card_count: int) -> int:
    return 1 + 3 * -(-card_count // PER_PAGE)
