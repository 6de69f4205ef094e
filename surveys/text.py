"""Text helpers shared by the pure modules (no Django models here)."""

import unicodedata


def normalize_text(text: str) -> str:
    """How written value names are compared: NFKC, case-folded, single spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    return " ".join(text.casefold().split()).strip(" .。、,")
