"""Badge: shields.io endpoint JSON and the self-drawn SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from llcompliance.render.badge import (
    COLOURS,
    LABEL,
    badge_colour,
    badge_json,
    badge_svg,
    label,
    text_width,
)

SVG = "{http://www.w3.org/2000/svg}"


def test_json_has_exactly_the_keys_shields_accepts() -> None:
    """shields rejects unknown keys, so nothing else may creep in."""
    badge = badge_json(15, 23)
    assert set(badge) == {"schemaVersion", "label", "message", "color"}
    assert badge == {
        "schemaVersion": 1,
        "label": "Leading Lights self-assessed",
        "message": "15/23 ready",
        "color": "yellow",
    }


def test_label_says_whose_judgement_it_is() -> None:
    """A badge is the service's own view, not the framework owner's decision; and it stays short."""
    assert LABEL == label("Leading Lights") == "Leading Lights self-assessed"
    assert label("NQS") == "NQS self-assessed"
    assert "readiness" not in LABEL and text_width(LABEL) < 170


@pytest.mark.parametrize(
    ("ready", "total", "colour"),
    [
        (23, 23, "brightgreen"),
        (22, 23, "green"),
        (18, 23, "green"),  # 78%
        (17, 23, "yellow"),  # 74%
        (12, 23, "yellow"),  # 52%
        (11, 23, "orange"),  # 48%
        (6, 23, "orange"),  # 26%
        (5, 23, "red"),
        (0, 23, "red"),
        (0, 0, "lightgrey"),
    ],
)
def test_colour_follows_the_share_ready(ready: int, total: int, colour: str) -> None:
    assert badge_colour(ready, total) == colour
    assert badge_json(ready, total)["color"] == colour
    assert colour in COLOURS


@pytest.mark.parametrize(("ready", "total"), [(24, 23), (-1, 23), (0, -1)])
def test_json_refuses_impossible_counts(ready: int, total: int) -> None:
    with pytest.raises(ValueError, match="between 0 and total"):
        badge_json(ready, total)


def test_svg_is_xml_with_accessible_text() -> None:
    svg = badge_svg(LABEL, "15/23 ready", "yellow")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Leading Lights self-assessed: 15/23 ready"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "Leading Lights self-assessed: 15/23 ready"
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert "15/23 ready" in texts and LABEL in texts
    assert 'fill="#dfb317"' in svg
    assert len(svg.splitlines()) <= 25


def test_svg_width_grows_with_text() -> None:
    def width(message: str) -> int:
        return int(ET.fromstring(badge_svg(LABEL, message, "green")).get("width") or 0)

    assert width("1/23 ready") < width("15/23 ready") < width("15/23 ready and more words")
    assert text_width("WWW") > text_width("iii")


def test_svg_is_deterministic_and_escapes_text() -> None:
    first = badge_svg("a<b", 'x & "y"', "#123456")
    assert first == badge_svg("a<b", 'x & "y"', "#123456")
    root = ET.fromstring(first)  # would raise if the text were not escaped
    assert root.get("aria-label") == 'a<b: x & "y"'
    assert 'fill="#123456"' in first


def test_svg_uses_dark_text_on_light_colours() -> None:
    """Legibility: white on a pale background would be unreadable."""
    assert 'fill="#333"' in badge_svg(LABEL, "1/2", "#eeeeee")
    assert 'fill="#333"' not in badge_svg(LABEL, "1/2", "red")


def test_svg_refuses_unknown_colour() -> None:
    with pytest.raises(ValueError, match="unknown badge colour"):
        badge_svg(LABEL, "1/2", "mauve")
