"""The visible round seal (公章样式), drawn here as SVG. rendering.seal_pdf renders it to the one-page PDF
that becomes the appearance of the signature field; the renderer imports this module, never the reverse."""

import math
from xml.sax.saxutils import escape

SEAL_SIZE_MM = 40
SEAL_RED = "#d0021b"
_VIEW = 200
_CENTRE = _VIEW / 2
_RING_RADIUS = 94
_TEXT_RADIUS = 64
_STAR_RADIUS = 26


def _star_points(cx: float, cy: float, outer: float) -> str:
    inner = outer * math.sin(math.radians(18)) / math.sin(math.radians(126))
    points = []
    for index in range(10):
        radius = outer if index % 2 == 0 else inner
        angle = math.radians(-90 + index * 36)
        points.append(f"{cx + radius * math.cos(angle):.2f},{cy + radius * math.sin(angle):.2f}")
    return " ".join(points)


def seal_svg(institution_name: str, purpose: str = "容错认定专用章") -> str:
    """Name along the upper arc, a star in the middle, the purpose underneath, like a 公章."""
    characters = list(institution_name)
    font_size = 24 if len(characters) <= 8 else max(15, 24 - (len(characters) - 8) * 1.5)
    step = min(28.0, 240.0 / max(len(characters), 1))
    start = -step * (len(characters) - 1) / 2
    letters = []
    for index, character in enumerate(characters):
        angle = start + index * step
        radians = math.radians(angle)
        x = _CENTRE + _TEXT_RADIUS * math.sin(radians)
        y = _CENTRE - _TEXT_RADIUS * math.cos(radians)
        letters.append(
            f'<text x="{x:.2f}" y="{y:.2f}" transform="rotate({angle:.2f} {x:.2f} {y:.2f})" '
            f'font-size="{font_size:.1f}" text-anchor="middle">{escape(character)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_VIEW} {_VIEW}" '
        f'width="{SEAL_SIZE_MM}mm" height="{SEAL_SIZE_MM}mm">'
        f'<g fill="{SEAL_RED}" font-family="Tolerance Sans">'
        f'<circle cx="{_CENTRE}" cy="{_CENTRE}" r="{_RING_RADIUS}" fill="none" stroke="{SEAL_RED}" stroke-width="6"/>'
        f"{''.join(letters)}"
        f'<polygon points="{_star_points(_CENTRE, _CENTRE + 4, _STAR_RADIUS)}"/>'
        f'<text x="{_CENTRE}" y="{_CENTRE + 58}" font-size="15" text-anchor="middle">{escape(purpose)}</text>'
        "</g></svg>"
    )
