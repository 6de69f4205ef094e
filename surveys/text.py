"""Text helpers shared by the pure modules (no Django models here)."""

import unicodedata
from decimal import ROUND_HALF_UP, Decimal


def normalize_text(text: str) -> str:
    """How written value names are compared: NFKC, case-folded, single spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    return " ".join(text.casefold().split()).strip(" .。、,")


def percent(value: float) -> str:
    """A percentage for people to read: rounded once, half up, to a whole number (12.46 → 12,
    12.5 → 13), the same in tables, charts and text. Data keep the unrounded share."""
    return str(Decimal(repr(float(value))).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
