"""Rebuild games/fonts/*.otf: Noto Sans CJK JP (Debian's fonts-noto-cjk) subset to kana, the
JIS X 0208 kanji, Latin and punctuation, without hints or layout tables (Pillow's basic layout
uses neither), which keeps each weight near 1.5 MB.

    apt-get install fonts-noto-cjk && .venv/bin/python tools/subset_font.py
"""

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE = "/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc"
OUT = Path(__file__).resolve().parent.parent / "games" / "fonts"
RANGES = [(0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070), (0x2100, 0x2150), (0x2190, 0x2200),
          (0x2460, 0x24FF), (0x25A0, 0x2700), (0x3000, 0x3100), (0x31F0, 0x3200),
          (0xFF00, 0xFFF0)]  # fmt: skip


def characters() -> set[int]:
    chars = {code for low, high in RANGES for code in range(low, high)}
    for high in range(0xA1, 0xFF):  # every character of JIS X 0208, through EUC-JP
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([high, low]).decode("euc_jp")))
            except (UnicodeDecodeError, TypeError):
                pass
    return chars


def main() -> None:
    chars = characters()
    for weight in ("Regular", "Bold"):
        collection = TTCollection(SOURCE.format(weight=weight))
        font = next(f for f in collection.fonts if "JP" in f["name"].getDebugName(1))
        options = subset.Options()
        options.layout_features = []
        options.hinting = False
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
        options.notdef_outline = True
        options.drop_tables += ["GSUB", "GPOS", "VORG", "vhea", "vmtx"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=chars)
        subsetter.subset(font)
        font.save(OUT / f"NotoSansJP-{weight}-subset.otf")
        print(weight, len(chars), "characters")


if __name__ == "__main__":
    main()
