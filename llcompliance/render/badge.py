"""Readiness badge: shields.io endpoint JSON and a self-made flat SVG for private repos."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr


def label(name: str) -> str:
    """The badge's left half: the framework's short name and whose judgement it is, kept short."""
    return f"{name} self-assessed"


LABEL = label("Leading Lights")

# shields.io's named colours, so the committed SVG matches what the endpoint badge would show.
COLOURS = {
    "brightgreen": "#4c1",
    "green": "#97ca00",
    "yellowgreen": "#a4a61d",
    "yellow": "#dfb317",
    "orange": "#fe7d37",
    "red": "#e05d44",
    "blue": "#007ec6",
    "lightgrey": "#9f9f9f",
    "grey": "#555",
}

# Approximate Verdana 11px advance widths (the shields convention), grouped by width; a badge only
# needs to be about right, and a table keeps the output identical on every machine.
_WIDTH_GROUPS = {
    "'il": 3.0, "j": 3.7, " f": 3.9, ",.": 4.0, "!t": 4.3, "I": 4.6, "r": 4.7,
    "()-/:;J[\\]|": 4.9, '"': 5.0, "csz": 5.7, "?": 6.0, "L": 6.2, "F": 6.3, "kvxy": 6.4,
    "ae": 6.6, "PTYo": 6.7, "Ebdgpq": 6.9, "$*0123456789_`hnu{}": 7.0, "ABSVXZ": 7.5, "K": 7.6,
    "CR": 7.7, "&": 8.0, "U": 8.1, "N": 8.2, "H": 8.3, "DG": 8.5, "OQ": 8.7, "w": 8.9,
    "#+<=>^~": 9.0, "M": 9.3, "m": 10.7, "W": 10.9, "@": 11.0, "%": 11.8,
}  # fmt: skip
_CHAR_WIDTHS = {char: width for chars, width in _WIDTH_GROUPS.items() for char in chars}
_DEFAULT_WIDTH = 7.0  # digits' width: a fair guess for letters outside ASCII
_PADDING = 5


def badge_colour(ready: int, total: int) -> str:
    """Pick a shields colour name for the share of standards that are ready."""
    if total <= 0:
        return "lightgrey"
    ratio = ready / total
    if ratio >= 1:
        return "brightgreen"
    if ratio >= 0.75:
        return "green"
    if ratio >= 0.5:
        return "yellow"
    if ratio >= 0.25:
        return "orange"
    return "red"


def badge_json(ready: int, total: int, *, label: str = LABEL) -> dict[str, object]:
    """Return a shields.io endpoint document (only the keys shields accepts)."""
    if total < 0 or not 0 <= ready <= total:
        raise ValueError(f"ready must be between 0 and total, got {ready}/{total}")
    return {
        "schemaVersion": 1,
        "label": label,
        "message": f"{ready}/{total} ready",
        "color": badge_colour(ready, total),
    }


def text_width(text: str) -> float:
    """Estimate the width of text in Verdana 11px."""
    return sum(_CHAR_WIDTHS.get(char, _DEFAULT_WIDTH) for char in text)


def _hex(color: str) -> str:
    """Resolve a shields colour name or a hex colour to hex."""
    value = COLOURS.get(color, color)
    digits = value.removeprefix("#")
    if len(digits) not in (3, 6) or any(c not in "0123456789abcdefABCDEF" for c in digits):
        raise ValueError(f"unknown badge colour {color!r}: use a shields name or #rrggbb")
    return "#" + digits.lower()


def _text_colour(background: str) -> str:
    """Dark text on light backgrounds, as shields does, so the message stays readable."""
    digits = background[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    brightness = (0.299 * red + 0.587 * green + 0.114 * blue) / 255
    return "#333" if brightness > 0.69 else "#fff"


def _caption(x: int, length: int, text: str, fill: str) -> str:
    """One half's text and its drop shadow, drawn at 10x and scaled down for sub-pixel placement."""
    shadow = "#010101" if fill == "#fff" else "#ccc"
    common = f'x="{x}" transform="scale(.1)" textLength="{length}"'
    return (
        f'    <text aria-hidden="true" {common} y="150" fill="{shadow}" fill-opacity=".3">'
        f"{escape(text)}</text>\n"
        f'    <text {common} y="140" fill="{fill}">{escape(text)}</text>'
    )


def badge_svg(label: str, message: str, color: str) -> str:
    """Draw a flat shields-style badge as SVG text (deterministic)."""
    fill = _hex(color)
    label_w = round(text_width(label)) + 2 * _PADDING
    message_w = round(text_width(message)) + 2 * _PADDING
    width = label_w + message_w
    label_text = _caption(label_w * 5, (label_w - 2 * _PADDING) * 10, label, "#fff")
    message_x = label_w * 10 + message_w * 5
    message_text = _caption(message_x, (message_w - 2 * _PADDING) * 10, message, _text_colour(fill))
    font = 'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="110"'
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" \
aria-label={quoteattr(f"{label}: {message}")}>
  <title>{escape(f"{label}: {message}")}</title>
  <linearGradient id="s" x2="0" y2="100%">
    <stop offset="0" stop-color="#bbb" stop-opacity=".1"/>
    <stop offset="1" stop-opacity=".1"/>
  </linearGradient>
  <clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>
  <g clip-path="url(#r)">
    <rect width="{label_w}" height="20" fill="#555"/>
    <rect x="{label_w}" width="{message_w}" height="20" fill="{fill}"/>
    <rect width="{width}" height="20" fill="url(#s)"/>
  </g>
  <g text-anchor="middle" {font} text-rendering="geometricPrecision">
{label_text}
{message_text}
  </g>
</svg>
"""
