"""The join QR code, drawn on the server as SVG (no script, no CDN, projects sharply)."""

import io

import segno


def qr_svg(text: str, *, scale: int = 8, dark: str = "#202124", fluid: bool = False) -> str:
    """``fluid``: no width/height but a viewBox, so CSS sizes it (a projected page)."""
    qr = segno.make(text, error="m")
    out = io.BytesIO()
    qr.save(
        out,
        kind="svg",
        scale=scale,
        border=2,
        dark=dark,
        light="#ffffff",
        xmldecl=False,
        svgns=True,
        title=text,
        omitsize=fluid,
    )
    return out.getvalue().decode()
