"""The printable deck: A4 pages of 3 × 3 cards (63 × 88 mm) with cut marks, as a PDF.

Pages: a cover sheet with instructions, then the torifuda fronts, the torifuda backs (columns
mirrored so that a long-edge duplex print puts each back behind its front) and the yomifuda.

Each page is a picture drawn by Pillow with, over it, the same words as invisible text (as a
scanner's OCR layer does): the PDF can be searched, its text copied, and ``pdftotext`` reads
it in the deck's language.
"""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageDraw

from games import cards, fonts
from games import rules as game_rules
from games.models import ValueType

DPI = 200
MM = DPI / 25.4
PAGE = (round(210 * MM), round(297 * MM))
CARD = (round(63 * MM), round(88 * MM))
COLS, ROWS = 3, 3
PER_PAGE = COLS * ROWS
MARK = round(5 * MM)
LANG_CHOICES = ("ja", "en", "both")


@dataclass
class Page:
    """A printed page: its picture and the lines of text drawn on it (pixels)."""

    image: Image.Image
    lines: list[cards.TextLine] = field(default_factory=list)


def points(count: int) -> str:
    """ "1 point", "3 points" in the active language."""
    return ngettext("%(count)d point", "%(count)d points", count) % {"count": count}


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
) -> Iterable[Page]:
    x0, y0 = origin()
    small = fonts.load(round(3 * MM))
    for start in range(0, len(values), PER_PAGE):
        page = Page(Image.new("RGB", PAGE, "white"))
        draw = ImageDraw.Draw(page.image)
        for index, value in enumerate(values[start : start + PER_PAGE]):
            row, col = divmod(index, COLS)
            if mirrored:
                col = COLS - 1 - col
            at = (x0 + col * CARD[0], y0 + row * CARD[1])
            with cards.recording() as lines:
                card = render(value, lang, CARD)
            page.image.paste(card, at)
            page.lines += [line.moved(*at) for line in lines]
        cut_marks(draw)
        footer = f"Value Karuta · {title} · {start // PER_PAGE + 1}"
        with cards.recording() as lines:
            cards.put_text(draw, (x0, PAGE[1] - round(10 * MM)), footer, small, (120, 120, 120))
        page.lines += lines
        yield page


def cover(lang: str, count: int) -> Page:
    page = Page(Image.new("RGB", PAGE, "white"))
    draw = ImageDraw.Draw(page.image)
    pad = round(20 * MM)
    ui = "ja" if lang in ("ja", "both") else "en"
    with translation.override(ui):
        title = _("Value Karuta: printable deck")
        lines = [
            ngettext(
                "%(count)d torifuda (card to take) and %(count)d yomifuda (card to read).",
                "%(count)d torifuda (cards to take) and %(count)d yomifuda (cards to read).",
                count,
            )
            % {"count": count},
            _(
                "Print on A4 at 100% (no scaling). Print the back pages double-sided, "
                "flipping on the long edge, so each back lands behind its front."
            ),
            _("Cut along the marks in the margins: every card is 63 × 88 mm."),
            # The winner as games/rules.py ranks players: by points, not by cards.
            _(
                "How to play: lay out all torifuda face up. The reader reads a yomifuda; "
                "the takers race to take the matching torifuda. Each card taken is worth "
                "%(card)s; by agreement, a wrong take (otetsuki) costs %(penalty)s and taking "
                "every card of a field earns a set bonus of %(bonus)s. The player with the "
                "most points wins."
            )
            % {
                "card": points(1),
                "penalty": points(game_rules.PENALTY_POINTS),
                "bonus": points(game_rules.SET_BONUS_POINTS),
            },
        ]
    y = pad
    with cards.recording() as drawn:
        cards.put_text(draw, (pad, y), title, fonts.load(round(9 * MM), "bold"), cards.INK)
        y += round(18 * MM)
        for line in lines:
            y = cards.draw_block(
                draw, line, (pad, y, PAGE[0] - 2 * pad, round(40 * MM)), round(5 * MM)
            ) + round(5 * MM)
    page.lines = drawn
    return page


def section_titles(lang: str) -> dict[str, str]:
    return {key: cards.label(key, lang) for key in ("Torifuda front", "Torifuda back", "Yomifuda")}


def deck_pages(values: list[ValueType], lang: str) -> list[Page]:
    if lang not in LANG_CHOICES:
        raise ValueError(f"lang must be one of {', '.join(LANG_CHOICES)}")
    titles = section_titles(lang)
    pages = [cover(lang, len(values))]
    pages += sheet(values, cards.torifuda_front, lang, titles["Torifuda front"])
    pages += sheet(values, cards.torifuda_back, lang, titles["Torifuda back"], mirrored=True)
    pages += sheet(values, cards.yomifuda, lang, titles["Yomifuda"])
    return pages


def deck_pdf(values: list[ValueType], lang: str) -> bytes:
    return write_pdf(deck_pages(values, lang), language="ja" if lang == "both" else lang)


# --- the PDF file: one JPEG picture a page, the text invisible over it ---------------------

PT = 72 / DPI  # PDF points per pixel


def _to_unicode_cmap() -> bytes:
    """Character code = Unicode code point (UTF-16, BMP): pdftotext maps codes back to text."""
    ranges = [f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256)
              if not 0xD8 <= hi <= 0xDF]  # fmt: skip
    body = []
    for start in range(0, len(ranges), 100):  # at most 100 entries a block
        chunk = ranges[start : start + 100]
        body += [f"{len(chunk)} beginbfrange", *chunk, "endbfrange"]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            "<0000> <FFFF>",
            "endcodespacerange",
            *body,
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    ).encode("ascii")


@lru_cache(maxsize=8192)
def _advance(char: str) -> int:
    """The character's advance in the card font, in thousandths of the font size."""
    return round(fonts.load(1000).getlength(char))


def _bmp(char: str) -> bool:
    """A character one UTF-16 code unit encodes (the text layer's codes)."""
    return ord(char) < 0x10000 and not 0xD800 <= ord(char) < 0xE000


def _codes(text: str) -> str:
    return "".join(f"{ord(c):04X}" for c in text if _bmp(c))


def _stream(head: str, data: bytes) -> bytes:
    return f"<< {head} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def _text_ops(lines: list[cards.TextLine], height_pt: float) -> str:
    ops = ["BT", "3 Tr"]  # render mode 3: invisible (the picture shows the text)
    for line in lines:
        size = line.size * PT
        natural = sum(_advance(c) for c in line.text) * line.size / 1000
        scale = 100 * line.width / natural if natural else 100
        ops.append(
            f"/F1 {size:.2f} Tf {scale:.1f} Tz 1 0 0 1 {line.x * PT:.2f} "
            f"{height_pt - line.baseline * PT:.2f} Tm <{_codes(line.text)}> Tj"
        )
    ops.append("ET")
    return "\n".join(ops)


def write_pdf(pages: list[Page], *, language: str, title: str = "Value Karuta") -> bytes:
    objects: list[bytes] = []

    def add(data: bytes) -> int:
        objects.append(data)
        return len(objects)

    used = sorted({c for page in pages for line in page.lines for c in line.text if _bmp(c)})
    widths = " ".join(f"{ord(c)} [{_advance(c)}]" for c in used)
    descriptor = add(
        b"<< /Type /FontDescriptor /FontName /ValueKarutaText /Flags 4 "
        b"/FontBBox [0 -250 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 "
        b"/CapHeight 730 /StemV 80 >>"
    )
    cid_font = add(
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ValueKarutaText "
        f"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        f"/FontDescriptor {descriptor} 0 R /DW 1000 /W [{widths}] /CIDToGIDMap /Identity >>"
        .encode()
    )  # fmt: skip
    to_unicode = add(_stream("", _to_unicode_cmap()))
    font = add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /ValueKarutaText /Encoding /Identity-H "
        f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>".encode()
    )
    tree = add(b"")  # the page tree, written once the pages are known
    kids = []
    for page in pages:
        jpeg = io.BytesIO()
        page.image.convert("RGB").save(jpeg, "JPEG", quality=92)
        width, height = page.image.width * PT, page.image.height * PT
        picture = add(
            _stream(
                f"/Type /XObject /Subtype /Image /Width {page.image.width} "
                f"/Height {page.image.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 "
                "/Filter /DCTDecode",
                jpeg.getvalue(),
            )
        )
        draw = f"q {width:.2f} 0 0 {height:.2f} 0 0 cm /Im0 Do Q\n" + _text_ops(page.lines, height)
        contents = add(_stream("", draw.encode("ascii")))
        kids.append(
            add(
                f"<< /Type /Page /Parent {tree} 0 R /MediaBox [ 0 0 {width:.2f} {height:.2f} ] "
                f"/Resources << /XObject << /Im0 {picture} 0 R >> /Font << /F1 {font} 0 R >> >> "
                f"/Contents {contents} 0 R >>".encode()
            )
        )
    objects[tree - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>"
    ).encode()
    catalog = add(f"<< /Type /Catalog /Pages {tree} 0 R /Lang ({language}) >>".encode())
    info = add(f"<< /Title ({title}) /Author ({title}) /Producer (Value Karuta) >>".encode())
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, data in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + data + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def expected_page_count(card_count: int) -> int:
    return 1 + 3 * -(-card_count // PER_PAGE)
