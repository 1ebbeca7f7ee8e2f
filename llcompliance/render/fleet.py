"""The fleet view for commissioners (DESIGN §11): fleet.json, fleet.csv, one self-contained HTML
page (services × standards, report age, accreditation expiry, weak spots, readiness over runs) and
the summary the command prints. Unverified reports are shown with their reason, never counted."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from llcompliance.core.states import STATES
from llcompliance.guard.mask import mask_text
from llcompliance.render.html import CSP, bar, long_date, plural
from llcompliance.render.states import LOOKS
from llcompliance.render.templating import environment, stylesheet
from llcompliance.report.fleet import Fleet, ServiceResult, age_days, standard_ids, weak_spots
from llcompliance.report.fleet_history import Point

JSON_NAME, CSV_NAME, HTML_NAME = "fleet.json", "fleet.csv", "fleet.html"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def fleet_json(fleet: Fleet) -> bytes:
    """fleet.json: the run's time and each service's result, in fleet.yaml's order. A reason may
    quote the service's file names or git's words, so it is masked like every shown value."""
    data = fleet.as_dict()
    for entry in data["services"]:
        if entry["reason"]:
            entry["reason"] = mask_text(entry["reason"])
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def _cell(value: object) -> str:
    text = "" if value is None else mask_text(str(value))
    return "'" + text if text.startswith(_FORMULA) else text


def fleet_csv(fleet: Fleet) -> bytes:
    """fleet.csv: one row per service, then one column per standard (empty when unverified)."""
    ids = standard_ids(fleet)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [
            "service", "verified", "reason", "as_of", "age_days", "commit", "total", "ready",
            "attention", "gap", "accreditation_expires", *ids,
        ]
    )  # fmt: skip
    for s in fleet.services:
        counted = s.verified and s.summary is not None
        summary: Mapping[str, int] = s.summary if counted and s.summary else {}
        writer.writerow(
            [
                _cell(s.name),
                "yes" if s.verified else "no",
                _cell(s.reason),
                s.as_of or "",
                age_days(s.as_of, fleet.generated) if counted else "",
                s.commit or "",
                *(summary.get(k, "") for k in ("total", "ready", "attention", "gap")),
                _expires(s) or "",
                *((s.states.get(i, "") if counted else "") for i in ids),
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _expires(service: ServiceResult) -> str | None:
    return (service.accreditation or {}).get("expires") if service.verified else None


@dataclass(frozen=True)
class Row:
    """One service as the page shows it."""

    service: ServiceResult
    name: str  # masked
    reason: str | None  # masked
    age: int | None
    expires: str | None
    cells: tuple[tuple[str, str | None], ...]  # (standard, state or None when not reported)
    trend: Markup | None
    trend_words: str


def sparkline(points: Sequence[Point]) -> Markup | None:
    """An inline SVG line of the share of standards ready, run by run (numbers only: safe)."""
    if not points:
        return None
    width, height, pad = 120, 28, 3
    step = (width - 2 * pad) / max(1, len(points) - 1)
    coords = []
    for i, p in enumerate(points):
        share = p.ready / p.total if p.total else 0.0
        coords.append(f"{pad + i * step:.1f},{height - pad - share * (height - 2 * pad):.1f}")
    last = coords[-1].split(",")
    return Markup(
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-hidden="true" focusable="false"><polyline fill="none" stroke="#0b6b54" '
        f'stroke-width="2" points="{" ".join(coords)}"/><circle cx="{last[0]}" cy="{last[1]}" '
        f'r="3" fill="#0b6b54"/></svg>'
    )


def _trend_words(points: Sequence[Point]) -> str:
    if not points:
        return "no verified report yet"
    first, last = points[0], points[-1]
    runs = plural(len(points), "run", "runs")
    if len(points) == 1:
        return f"{last.ready} of {last.total} ready ({runs})"
    return f"{first.ready} → {last.ready} of {last.total} ready over {runs}"


def rows(fleet: Fleet, history: Mapping[str, Sequence[Point]]) -> tuple[Row, ...]:
    """The page's rows, in fleet.yaml's order."""
    ids = standard_ids(fleet)
    found = []
    for s in fleet.services:
        points = history.get(s.name, ())
        found.append(
            Row(
                service=s,
                name=mask_text(s.name),
                reason=mask_text(s.reason) if s.reason else None,
                age=age_days(s.as_of, fleet.generated) if s.verified else None,
                expires=_expires(s),
                cells=tuple((i, s.states.get(i)) for i in ids) if s.verified else (),
                trend=sparkline(points),
                trend_words=_trend_words(points),
            )
        )
    return tuple(found)


def totals(fleet: Fleet) -> dict[str, int]:
    """Standards by state over verified services only."""
    counted = [s.summary for s in fleet.services if s.verified and s.summary]
    return {k: sum(c[k] for c in counted) for k in ("total", *STATES)}


def fleet_html(fleet: Fleet, history: Mapping[str, Sequence[Point]]) -> bytes:
    """fleet.html: one page, no scripts, nothing fetched (the report's CSP)."""
    verified = [s for s in fleet.services if s.verified]
    template = environment().get_template("fleet.html.j2")
    page = template.render(
        title="Leading Lights readiness across services",
        generated=fleet.generated,
        generated_day=long_date(fleet.generated[:10]),
        rows=rows(fleet, history),
        ids=standard_ids(fleet),
        verified=len(verified),
        failed=fleet.failed,
        failed_rows=[r for r in rows(fleet, history) if not r.service.verified],
        totals=totals(fleet),
        spots=weak_spots(fleet),
        css=stylesheet("report.css") + stylesheet("fleet.css"),
        csp=Markup(CSP),
        looks=LOOKS,
        states=STATES,
        bar=bar,
        long_date=long_date,
        plural=plural,
        mask=mask_text,
    )
    return page.encode("utf-8")


def summary_text(fleet: Fleet, written: Sequence[str]) -> str:
    """What the command prints: a line per unverified service, the counts, the files written."""
    lines = []
    for s in fleet.services:
        if s.verified:
            summary = s.summary or {}
            cached = " (unchanged since the last run)" if s.reused else ""
            lines.append(
                f"ok   {mask_text(s.name)}: {summary.get('ready', 0)} of "
                f"{summary.get('total', 0)} ready, as of {s.as_of}{cached}"
            )
        else:
            lines.append(f"FAIL {mask_text(s.name)}: {mask_text(s.reason or 'not verified')}")
    failed = len(fleet.failed)
    lines.append(
        f"{plural(len(fleet.services), 'service', 'services')}: "
        f"{len(fleet.services) - failed} verified, {failed} not verified (not counted)."
    )
    lines.append("Wrote " + ", ".join(written))
    return "\n".join(lines)
