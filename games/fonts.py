"""Fonts for Pillow-rendered cards.

The project ships a subset of Noto Sans CJK JP (SIL Open Font License 1.1, see
games/fonts/LICENSE-OFL.txt) covering kana, the JIS X 0208 kanji, Latin and punctuation, so
the printable deck renders Japanese on a machine with no CJK font installed. ``CARD_FONT``
(a path to a regular-weight font) overrides it.
"""

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from PIL import ImageFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
SHIPPED = {
    "regular": FONT_DIR / "NotoSansJP-Regular-subset.otf",
    "bold": FONT_DIR / "NotoSansJP-Bold-subset.otf",
}


def font_path(weight: str = "regular") -> Path:
    if settings.CARD_FONT:
        return Path(settings.CARD_FONT)
    return SHIPPED[weight]


@lru_cache(maxsize=256)
def load(size: int, weight: str = "regular") -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(weight)), size)
