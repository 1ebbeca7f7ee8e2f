"""Readiness over time as an inline SVG chart: no script, readable without colour (each state has
its own line style, marker shape and a label at the line's end), with a <title> and <desc>.

The page also shows the same points as a table (see report.html.j2): the chart is never the only
way to read them. Values from the report are escaped here, as Jinja would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 150, 16, 52  # the right margin holds the end-of-line labels
LABEL_GAP = 15  # the least vertical distance between two end labels
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Series:
    """One state's line: its key in a point, its words and how it looks without colour."""

    key: str
    words: str
    dash: str  # stroke-dasharray ("" for a solid line)
    marker: str  # circle, square or triangle


SERIES = (
    Series("ready", "ready", "", "circle"),
    Series("attention", "need attention", "7 4", "square"),
    Series("gap", "gaps", "2 3", "triangle"),
)


@dataclass(frozen=True)
class Point:
    """A trend point the chart can place: its day and counts."""

    day: dt.date
    counts: Mapping[str, int]
    total: int


def _points(raw: Iterable[Mapping[str, Any]]) -> list[Point]:
    """Points with a readable date (a hand-edited report may have others: the table shows them)."""
    out = []
    for point in raw:
        try:
            day = dt.date.fromisoformat(str(point["date"]))
        except ValueError:
            continue
        counts = {s.key: int(point[s.key]) for s in SERIES}
        out.append(Point(day, counts, int(point["total"])))
    return sorted(out, key=lambda p: p.day)


def _num(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros: stable bytes for the same data."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def long_day(day: dt.date) -> str:
    """'23 November 2026' (no locale)."""
    return day.strftime("%d ").lstrip("0") + day.strftime("%B %Y")


def month_ticks(first: dt.date, last: dt.date, most: int = 8) -> list[dt.date]:
    """First days of months between `first` and `last`, every nth month so at most `most`."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        day = dt.date(year, month, 1)
        if first <= day <= last:
            months.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    step = max(1, -(-len(months) // most))
    return months[::step]


def value_ticks(total: int) -> list[int]:
    """Whole-number gridlines from 0 up to the first at or above `total`, at most six: the last
    is the top of the scale."""
    step = max(1, -(-total // 5))
    step = next((n for n in (1, 2, 5, 10, 20, 25, 50, 100) if n >= step), step)
    return list(range(0, -(-total // step) * step + 1, step))


def _spread(wanted: list[float], low: float, high: float) -> list[float]:
    """End-label positions near `wanted`, at least LABEL_GAP apart, kept within [low, high]."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed: dict[int, float] = {}
    previous = low - LABEL_GAP
    for index in order:
        placed[index] = max(wanted[index], previous + LABEL_GAP)
        previous = placed[index]
    overflow = previous - high
    if overflow > 0:  # pushed off the bottom: move the whole stack up
        placed = {i: y - overflow for i, y in placed.items()}
    return [placed[i] for i in range(len(wanted))]


def _marker(kind: str, x: float, y: float, cls: str) -> str:
    if kind == "circle":
        return f'<circle class="{cls}" cx="{_num(x)}" cy="{_num(y)}" r="3.5"/>'
    if kind == "square":
        return f'<rect class="{cls}" x="{_num(x - 3.5)}" y="{_num(y - 3.5)}" width="7" height="7"/>'
    tip, base = y - 4.5, y + 3.5
    return (
        f'<path class="{cls}" d="M{_num(x)} {_num(tip)}L{_num(x + 4.5)} {_num(base)}'
        f'L{_num(x - 4.5)} {_num(base)}Z"/>'
    )


def describe(points: Sequence[Point]) -> str:
    """One or two sentences that say what the chart shows (its <desc>, for screen readers)."""
    first, last = points[0], points[-1]
    if len(points) == 1:
        return (
            f"On {long_day(last.day)}, {last.counts['ready']} of {last.total} standards were "
            f"ready, {last.counts['attention']} needed attention and {last.counts['gap']} were gaps."
        )
    return (
        f"Standards ready went from {first.counts['ready']} of {first.total} on "
        f"{long_day(first.day)} to {last.counts['ready']} of {last.total} on "
        f"{long_day(last.day)}, over {len(points)} days on which the evidence changed. "
        f"On the last day {last.counts['attention']} needed attention and "
        f"{last.counts['gap']} were gaps. The table below gives every point."
    )


def trend_chart(raw: Iterable[Mapping[str, Any]], ident: str = "trend") -> Markup:
    """The chart as inline SVG markup, or empty Markup when there are no points to draw."""
    points = _points(raw)
    if not points:
        return Markup("")
    first, last = points[0].day, points[-1].day
    span = max((last - first).days, 1)
    ticks = value_ticks(max(max(p.total for p in points), 1))
    top = ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    bottom = TOP + plot_h

    def x_of(day: dt.date) -> float:
        if first == last:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (day - first).days / span

    def y_of(value: int) -> float:
        return bottom - plot_h * value / top

    title_id, desc_id = f"{ident}-title", f"{ident}-desc"
    parts = [
        f'<svg class="trend-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">Readiness over time: standards in each state, by day</title>',
        f'<desc id="{desc_id}">{escape(describe(points))}</desc>',
        '<g class="grid" aria-hidden="true">',
    ]
    for value in ticks:
        y = _num(y_of(value))
        parts.append(f'<line x1="{LEFT}" y1="{y}" x2="{LEFT + plot_w}" y2="{y}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 8}" y="{y}" dy="0.35em" text-anchor="end">'
                     f"{value}</text>")  # fmt: skip
    months = month_ticks(first, last)
    if len(months) < 2:  # a short history: name its first and last days instead
        months = sorted({first, last})
    for day in months:
        x = _num(x_of(day))
        parts.append(f'<line class="month" x1="{x}" y1="{bottom}" x2="{x}" y2="{bottom + 5}"/>')
        label = SHORT_MONTHS[day.month - 1]
        if day.day != 1:
            label = f"{day.day} {label}"
        if day.month == 1 or day == months[0]:  # the year where it starts or changes
            label += f" {day.year}"
        parts.append(f'<text class="tick" x="{x}" y="{bottom + 18}" text-anchor="middle">'
                     f"{label}</text>")  # fmt: skip
    parts += [
        f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}"/>',
        f'<line class="axis" x1="{LEFT}" y1="{bottom}" x2="{LEFT + plot_w}" y2="{bottom}"/>',
        f'<text class="axis-label" x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 8}" '
        'text-anchor="middle">Day the evidence changed</text>',
        f'<text class="axis-label" transform="translate(14 {TOP + plot_h / 2:.0f}) rotate(-90)" '
        'text-anchor="middle">Standards</text>',
        "</g>",
    ]
    ends = [y_of(points[-1].counts[s.key]) for s in SERIES]
    label_y = _spread(ends, TOP + 6, bottom - 2)
    end_x = x_of(last)
    for series, label_at in zip(SERIES, label_y, strict=True):
        cls = f"trend-{series.key}"
        # a step line: a count holds until the next day something changed
        coords: list[str] = []
        for index, point in enumerate(points):
            at, value_y = _num(x_of(point.day)), _num(y_of(point.counts[series.key]))
            if index:
                coords.append(f"{at},{_num(y_of(points[index - 1].counts[series.key]))}")
            coords.append(f"{at},{value_y}")
        dash = f' stroke-dasharray="{series.dash}"' if series.dash else ""
        parts.append(f'<g class="{cls}" aria-hidden="true">')
        parts.append(f'<polyline class="line" points="{" ".join(coords)}"{dash}/>')
        parts += [
            _marker(series.marker, x_of(p.day), y_of(p.counts[series.key]), "mark") for p in points
        ]
        count = points[-1].counts[series.key]
        parts.append(
            f'<text class="end-label" x="{_num(end_x + 10)}" y="{_num(label_at)}" dy="0.35em">'
            f"{count} {series.words}</text>"
        )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))
