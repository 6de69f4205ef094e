"""SVG charts written by hand: no plotting library, crisp at any size, text stays text
(searchable, translatable, readable by screen readers). Data in, SVG string out."""

from html import escape

from surveys.text import percent

WIDTH = 760
FONT = (
    "system-ui, -apple-system, 'Segoe UI', 'Hiragino Sans', 'Noto Sans CJK JP', "
    "'Yu Gothic', Meiryo, sans-serif"
)
NEGATIVE = ["#b2182b", "#d6604d", "#f4a582"]  # strongest first
POSITIVE = ["#92c5de", "#4393c3", "#2166ac"]  # weakest first
NEUTRAL = "#c8c8c8"
BAR = "#8a1c1c"


def _svg(height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}" font-size="13">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>' + "".join(body) + "</svg>"
    )


def _colours(k: int) -> list[str]:
    """k colours from most negative to most positive, grey in the middle when k is odd."""
    half = k // 2
    neg = NEGATIVE[-half:] if half <= 3 else NEGATIVE + [NEGATIVE[-1]] * (half - 3)
    pos = POSITIVE[:half] if half <= 3 else POSITIVE + [POSITIVE[-1]] * (half - 3)
    return neg + ([NEUTRAL] if k % 2 else []) + pos


def shorten(text: str, limit: int) -> str:
    """A label that fits the chart's left margin; the full text stays in the tooltip."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def diverging_bars(
    title: str, option_labels: list[str], rows: list[tuple[str, list[int]]], note: str = ""
) -> str:
    """Diverging stacked bars for a scale: options from most negative to most positive.

    Each row (a group, or a gender) is 100 % of those who answered; negative options extend
    left of the centre line, positive ones right, a middle option is split across it.
    """
    k = len(option_labels)
    colours = _colours(k)
    label_w, top, row_h = 190, 64, 34
    plot_w = WIDTH - label_w - 60
    centre = label_w + plot_w / 2
    height = top + row_h * max(len(rows), 1) + 40
    body = [f'<text x="12" y="22" font-size="15" font-weight="700">{escape(title)}</text>']
    x = 12
    for label, colour in zip(option_labels, colours, strict=True):  # the legend
        body.append(f'<rect x="{x}" y="34" width="12" height="12" fill="{colour}"/>')
        body.append(f'<text x="{x + 16}" y="45">{escape(label)}</text>')
        x += 26 + 7.5 * len(label) + (6 * sum(1 for ch in label if ord(ch) > 0x2E80))
    for i, (name, counts) in enumerate(rows):
        y = top + i * row_h
        total = sum(counts)
        body.append(
            f'<text x="{label_w - 8}" y="{y + 20}" text-anchor="end"><title>{escape(name)}</title>'
            f"{escape(shorten(name, 18))} (n={total})</text>"
        )
        if not total:
            continue
        shares = [c / total for c in counts]
        middle = k // 2 if k % 2 else None
        left = sum(shares[: k // 2]) + (shares[middle] / 2 if middle is not None else 0)
        pos = centre - left * plot_w / 2 * 1.0
        for j, share in enumerate(shares):
            w = share * plot_w / 2
            if w <= 0:
                continue
            body.append(
                f'<rect x="{pos:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 10}" '
                f'fill="{colours[j]}"><title>{escape(option_labels[j])}: {counts[j]} '
                f"({percent(100 * counts[j] / total)}%)</title></rect>"
            )
            if w > 26:
                body.append(
                    f'<text x="{pos + w / 2:.1f}" y="{y + 22}" text-anchor="middle" '
                    f'font-size="11">{percent(100 * counts[j] / total)}%</text>'
                )
            pos += w
    body.append(
        f'<line x1="{centre}" y1="{top - 4}" x2="{centre}" '
        f'y2="{top + row_h * max(len(rows), 1)}" stroke="#333"/>'
    )
    if note:
        body.append(f'<text x="12" y="{height - 12}" fill="#555">{escape(note)}</text>')
    return _svg(height, title, body)


def bars(title: str, items: list[tuple[str, int, float]], note: str = "") -> str:
    """Horizontal bars: (label, count, percent of respondents)."""
    label_w, top, row_h = 230, 44, 26
    plot_w = WIDTH - label_w - 90
    height = top + row_h * max(len(items), 1) + 36
    body = [f'<text x="12" y="24" font-size="15" font-weight="700">{escape(title)}</text>']
    for i, (label, count, pct) in enumerate(items):
        y = top + i * row_h
        w = plot_w * pct / 100  # bars on a 0–100 % axis, comparable across charts
        body.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(label[:34])}</text>'
        )
        body.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{BAR}"><title>{escape(label)}: {count}</title></rect>'
        )
        body.append(
            f'<text x="{label_w + w + 6:.1f}" y="{y + 17}">{count} ({percent(pct)}%)</text>'
        )
    if note:
        body.append(f'<text x="12" y="{height - 12}" fill="#555">{escape(note)}</text>')
    return _svg(height, title, body)
