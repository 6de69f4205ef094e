"""SVG charts written by hand: no plotting library, crisp at any size, text stays text
(searchable, translatable, readable by screen readers). Data in, SVG string out."""

from html import escape

from surveys.text import percent

FONT = (
    "system-ui, -apple-system, 'Segoe UI', 'Hiragino Sans', 'Noto Sans CJK JP', "
    "'Yu Gothic', Meiryo, sans-serif"
)
NEGATIVE = ["#b2182b", "#d6604d", "#f4a582"]  # strongest first
POSITIVE = ["#92c5de", "#4393c3", "#2166ac"]  # weakest first
NEUTRAL = "#c8c8c8"
BAR = "#8a1c1c"


def _svg(height: int, title: str, body: list[str], width: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{FONT}" font-size="13">'
        f"<title>{escape(title)}</title>"
        f'<rect width="{width}" height="{height}" fill="#fff"/>' + "".join(body) + "</svg>"
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


CHART_WIDTH = 360  # narrow on purpose: a phone (390 px) draws a chart at about 0.95×, text ≥ 12 px


def text_width(text: str, size: float = 13) -> float:
    """About how wide ``text`` is at ``size`` px (CJK characters are square, Latin ~0.58 em)."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.58 for ch in text)


def wrap(text: str, width: float, size: float = 13) -> list[str]:
    """``text`` in lines no wider than ``width`` (at spaces, or anywhere in CJK text)."""
    lines, line = [], ""
    for token in (t for t in text.replace(" ", " \0").split("\0") if t):
        pieces = [token] if text_width(token, size) <= width else list(token)
        for piece in pieces:
            if line and text_width(line + piece, size) > width:
                lines.append(line.rstrip())
                line = piece.lstrip()
            else:
                line += piece
    return [*lines, line.rstrip()] if line.strip() else lines


def diverging_bars(
    title: str, option_labels: list[str], rows: list[tuple[str, list[int]]], note: str = ""
) -> str:
    """A diverging stacked bar chart of an ordered question, as R's ``likert`` draws it.

    Options run from most negative to most positive. Each row (a group, or a gender) is 100 %
    of those who answered: options below the middle extend left of the centre line, those
    above it right, a middle option is split across it. The low total is printed at the left
    end, the high total at the right end, the neutral share on the centre; the axis is in
    percent (100 · 50 · 0 · 50 · 100). Group names stand above their bars, so the chart is
    narrow enough to read on a phone.
    """
    k = len(option_labels)
    colours = _colours(k)
    width, pad, ends = CHART_WIDTH, 12, 40
    left, right = pad + ends, width - pad - ends
    half = (right - left) / 2
    centre = left + half
    body, y = [], 8
    for line in wrap(title, width - 2 * pad, 15):
        y += 19
        body.append(
            f'<text x="{pad}" y="{y}" font-size="15" font-weight="700">{escape(line)}</text>'
        )
    x, y = pad, y + 10
    for label, colour in zip(option_labels, colours, strict=True):  # the legend, wrapped
        step = 22 + text_width(label)
        if x > pad and x + step > width - pad:
            x, y = pad, y + 20
        body.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>')
        body.append(f'<text x="{x + 16}" y="{y + 11}">{escape(label)}</text>')
        x += step + 10
    top = y + 26
    row_h = 48
    bottom = top + row_h * max(len(rows), 1)
    for tick in (-100, -50, 0, 50, 100):  # grid lines and the percent axis
        tx = centre + tick / 100 * half
        body.append(
            f'<line x1="{tx:.1f}" y1="{top}" x2="{tx:.1f}" y2="{bottom}" '
            f'stroke="{"#333" if tick == 0 else "#ddd"}"/>'
        )
        body.append(
            f'<text x="{tx:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#444">'
            f"{abs(tick)}%</text>"
        )
    middle = k // 2 if k % 2 else None
    for i, (name, counts) in enumerate(rows):
        y = top + i * row_h
        total = sum(counts)
        body.append(
            f'<text x="{pad}" y="{y + 15}"><title>{escape(name)}</title>'
            f"{escape(shorten(name, 40))} (n={total})</text>"
        )
        if not total:
            continue
        shares = [c / total for c in counts]
        low = sum(counts[: k // 2])
        high = sum(counts[k - k // 2 :])
        offset = sum(shares[: k // 2]) + (shares[middle] / 2 if middle is not None else 0)
        pos = centre - offset * half
        bar_y = y + 21
        for j, share in enumerate(shares):
            w = share * half
            if w <= 0:
                continue
            body.append(
                f'<rect x="{pos:.1f}" y="{bar_y}" width="{w:.1f}" height="20" '
                f'fill="{colours[j]}"><title>{escape(option_labels[j])}: {counts[j]} '
                f"({percent(100 * counts[j] / total)}%)</title></rect>"
            )
            pos += w
        body.append(
            f'<text x="{left - 5}" y="{bar_y + 15}" text-anchor="end" font-weight="700" '
            f'data-total="low">{percent(100 * low / total)}%</text>'
        )
        body.append(
            f'<text x="{right + 5}" y="{bar_y + 15}" font-weight="700" '
            f'data-total="high">{percent(100 * high / total)}%</text>'
        )
        if middle is not None and counts[middle]:
            body.append(
                f'<text x="{centre:.1f}" y="{bar_y + 15}" text-anchor="middle" '
                f'data-total="neutral">{percent(100 * counts[middle] / total)}%</text>'
            )
    height = bottom + 26
    for line in wrap(note, width - 2 * pad) if note else []:
        height += 17
        body.append(f'<text x="{pad}" y="{height - 4}" fill="#555">{escape(line)}</text>')
    return _svg(height + 6, title, body, width)


def bars(title: str, items: list[tuple[str, int, float]], note: str = "") -> str:
    """Horizontal bars: (label, count, percent of respondents), on a 0–100 % axis so charts
    compare. As narrow as the Likert chart, each label on its own line above its bar, so a
    phone draws the text at about 12 px (at 760 px wide with labels beside the bars it was 6)."""
    width, pad, figures = CHART_WIDTH, 12, 86  # figures: room for "1234 (100%)"
    plot_w = width - 2 * pad - figures
    body, y = [], 8
    for line in wrap(title, width - 2 * pad, 15):
        y += 19
        body.append(
            f'<text x="{pad}" y="{y}" font-size="15" font-weight="700">{escape(line)}</text>'
        )
    y += 8
    for label, count, pct in items:
        lines = wrap(label, width - 2 * pad) or [""]
        if len(lines) > 2:  # two lines at most; the whole label stays in the bar's tooltip
            lines = [lines[0], lines[1][:-1] + "…"]
        for line in lines:
            y += 16
            body.append(f'<text x="{pad}" y="{y}">{escape(line)}</text>')
        w = plot_w * pct / 100
        body.append(
            f'<rect x="{pad}" y="{y + 5}" width="{w:.1f}" height="16" fill="{BAR}">'
            f"<title>{escape(label)}: {count}</title></rect>"
        )
        body.append(f'<text x="{pad + w + 6:.1f}" y="{y + 18}">{count} ({percent(pct)}%)</text>')
        y += 28
    height = y + 8
    for line in wrap(note, width - 2 * pad) if note else []:
        height += 17
        body.append(f'<text x="{pad}" y="{height - 4}" fill="#555">{escape(line)}</text>')
    return _svg(height + 6, title, body, width)
