"""Readiness report as one self-contained, script-free HTML page for boards and commissioners.

The markup is render/templates/report.html.j2 and the styling render/report.css. Jinja escapes
every value; the only Markup is our own stylesheet and the narratives' safe Markdown rendering.
CSS classes and marks come from the state tables here, never from the data. The report is the
dict report.build makes (the shape readiness.schema.json describes), so keys are read as given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from llcompliance.core.explain import checklist, other_reasons
from llcompliance.core.states import STATES
from llcompliance.render import timeline, verify_hint
from llcompliance.render.markdown import render_markdown
from llcompliance.render.states import LOOKS, StateLook
from llcompliance.render.templating import environment, stylesheet
from llcompliance.render.trend_svg import trend_chart

STATUSES = {"met": "Met", "in-progress": "In progress", "not-started": "Not started"}
# An evidence item's or an assessor's word, and the state whose colour and mark it borrows.
EVIDENCE_STATES = {
    "ok": ("In date", "ready"),
    "due-soon": ("Due for review soon", "attention"),
    "expired": ("Expired", "gap"),
    "invalid": ("Invalid", "gap"),
    "unresolved": ("Not found", "gap"),
}
OUTCOMES = {
    "met": ("Met", "ready"),
    "further-evidence": ("Further evidence needed", "attention"),
    "not-met": ("Not met", "gap"),
}
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

Report = Mapping[str, Any]


@dataclass(frozen=True)
class Segment:
    """One state's share of a bar."""

    look: StateLook
    count: int
    width: str  # a CSS percentage without the % sign


@dataclass(frozen=True)
class Bar:
    """A stacked ready / attention / gap bar and the words a screen reader says for it."""

    label: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Group:
    """A section and its standards, in report order."""

    section: Mapping[str, Any]
    standards: tuple[Mapping[str, Any], ...]


def long_date(iso: str | None) -> str:
    """Write an ISO date the British way ("23 November 2026"), whatever the locale."""
    try:
        day = date.fromisoformat(str(iso))
    except ValueError:
        return str(iso or "")
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def looks_like_path(location: str) -> bool:
    """Tell a repo path ("policies/x.md") from a record system ("Case system > Audits")."""
    return not any(char.isspace() for char in location) and ("/" in location or "." in location)


def plural(count: int, one: str, many: str) -> str:
    """'1 standard is a gap', '3 standards are gaps'."""
    return f"{count} {one if count == 1 else many}"


def bar(counts: Mapping[str, Any]) -> Bar:
    """The segments of a bar for a summary or a section's counts, with its accessible label."""
    total = counts["total"]
    segments = []
    for state in STATES:
        count = counts[state]
        if count and total:
            width = f"{100 * count / total:.3f}".rstrip("0").rstrip(".")
            segments.append(Segment(LOOKS[state], count, width))
    words = ", ".join(f"{counts[state]} {LOOKS[state].label.lower()}" for state in STATES)
    return Bar(f"{words} (of {total})", tuple(segments))


def narrative(text: str) -> Markup:
    """A self-assessment's narrative as safe HTML (no raw HTML, unsafe links neutralised)."""
    return Markup(render_markdown(text, heading_offset=3))


def groups(report: Report) -> list[Group]:
    """Standards under their sections, in report order; sections without standards left out."""
    grouped = [
        Group(section, tuple(s for s in report["standards"] if s["section"] == section["id"]))
        for section in report["sections"]
    ]
    return [group for group in grouped if group.standards]


def render_html(report: Report) -> str:
    """Render a readiness report as one self-contained HTML page (no scripts, nothing fetched)."""
    framework = report["framework"]
    summary = report["summary"]
    name = framework.get("short_name") or "Leading Lights"
    attention, gap = summary["attention"], summary["gap"]
    template = environment().get_template("report.html.j2")
    return template.render(
        report=report,
        framework=framework,
        name=name,
        title=f"{name} self-assessed readiness: {report['service']['name']}",
        rest=f"{plural(attention, 'standard needs', 'standards need')} attention · "
        f"{plural(gap, 'standard is a gap', 'standards are gaps')}",
        groups=groups(report),
        css=stylesheet("report.css"),
        csp=Markup(CSP),  # our constant: its quotes need no escaping inside the attribute
        looks=LOOKS,
        states=STATES,
        statuses=STATUSES,
        evidence_states=EVIDENCE_STATES,
        outcomes=OUTCOMES,
        bar=bar,
        long_date=long_date,
        looks_like_path=looks_like_path,
        narrative=narrative,
        checklist=checklist,
        other_reasons=other_reasons,
        verify_toolkit=verify_hint.toolkit_command(),
        verify_openssh=verify_hint.openssh_command(),
        report_folder=verify_hint.REPORT_FOLDER,
        principal=verify_hint.PRINCIPAL,
        trusted_signers=verify_hint.TRUSTED_SIGNERS,
        usual_folder=verify_hint.usual_folder(report),
        timeline=timeline,
        trend_chart=trend_chart,
    )
