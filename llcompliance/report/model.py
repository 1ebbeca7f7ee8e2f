"""The readiness report as typed, frozen objects: read, check against the schema, then parse."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from llcompliance.adapters import schemas
from llcompliance.errors import UsageError

JSON_NAME = "readiness.json"  # DESIGN.md §6 (report.JSON_NAME is the same name)
MAX_BYTES = 16 * 1024 * 1024  # a real report is well under 1 MiB even with thousands of files
_REMAKE = "make it with `llcompliance report`"


@dataclass(frozen=True)
class Tool:
    """The toolkit that made the report."""

    name: str
    version: str


@dataclass(frozen=True)
class Framework:
    """The catalogue the report judges against."""

    id: str
    version: str
    digest: str
    title: str | None
    short_name: str | None
    attribution: str | None


@dataclass(frozen=True)
class Service:
    """Whose evidence it is."""

    name: str
    organisation: str | None


@dataclass(frozen=True)
class Source:
    """The commit (and its tree) the report describes."""

    commit: str
    tree: str


@dataclass(frozen=True)
class Summary:
    """How many standards are in each state."""

    total: int
    ready: int
    attention: int
    gap: int

    def as_dict(self) -> dict[str, int]:
        """`total`, `ready`, `attention`, `gap`, as in readiness.json."""
        return {
            "total": self.total,
            "ready": self.ready,
            "attention": self.attention,
            "gap": self.gap,
        }


@dataclass(frozen=True)
class Section:
    """One section of the framework with its counts."""

    id: str
    title: str
    spirit: str | None
    total: int
    ready: int
    attention: int
    gap: int


@dataclass(frozen=True)
class EvidenceEntry:
    """A policy or evidence item listed for a standard."""

    id: str
    path: str
    sha256: str
    state: str | None
    title: str | None
    kind: str | None
    location: str | None
    review_due: str | None
    how: str | None
    last_changed: str | None
    # Whether it counts and why not (DESIGN §4); defaults for reports made before format 2.
    evidence_kind: str | None = None
    counts: bool | None = None
    problems: tuple[str, ...] = ()
    date: str | None = None  # the date the evidence speaks for (evidence records only)


@dataclass(frozen=True)
class Requirement:
    """One requirement group of a standard: acceptable kinds, whether met, and the ids that meet it."""

    kinds: tuple[str, ...]
    met: bool
    ids: tuple[str, ...]


@dataclass(frozen=True)
class FindingEntry:
    """A validation problem in a file that a standard relies on."""

    path: str
    line: int
    rule: str
    severity: str
    message: str


@dataclass(frozen=True)
class Assessment:
    """The assessor's latest recorded outcome for a standard."""

    outcome: str | None
    assessor: str | None
    date: str | None
    comment: str | None
    path: str | None
    signed_by: str | None = None  # the trusted assessor who signed the file; None: unsigned

    @property
    def signed(self) -> bool:
        """True when a trusted assessor signed the outcome: otherwise it is the service's record."""
        return self.signed_by is not None


@dataclass(frozen=True)
class Standard:
    """One standard: its state, the service's own status, evidence, problems, outcome."""

    id: str
    section: str
    state: str
    status: str
    title: str | None
    statement: str | None
    narrative: str | None
    reasons: tuple[str, ...]
    self_assessment: str | None
    evidence: tuple[EvidenceEntry, ...]
    findings: tuple[FindingEntry, ...]
    assessment: Assessment | None
    requirements: tuple[Requirement, ...] = ()


@dataclass(frozen=True)
class PlannedAction:
    """One item of the service's action plan, as the report carries it."""

    id: str
    standard: str | None
    action: str
    owner: str | None
    due: str
    done: str | None
    overdue: bool


@dataclass(frozen=True)
class Cycle:
    """The report's `accreditation` object (DESIGN §9): where the service is in the cycle."""

    present: bool  # False: the reported commit has no accreditation.yaml
    valid: bool
    application_due: str | None
    applied: str | None
    visit: str | None
    outcome: str | None
    awarded: str | None
    expires: str | None
    reaccreditation_opens: str | None
    actions: tuple[PlannedAction, ...]

    def open_actions(self, standard_id: str | None = None) -> tuple[PlannedAction, ...]:
        """Actions not yet done (for one standard when given), overdue first, then by due date."""
        chosen = [
            a
            for a in self.actions
            if a.done is None and (standard_id is None or a.standard == standard_id)
        ]
        return tuple(sorted(chosen, key=lambda a: (not a.overdue, a.due, a.id)))


@dataclass(frozen=True)
class TrendPoint:
    """Readiness at the end of one day the repo changed (the last point: the report's own day)."""

    date: str
    commit: str
    ready: int
    attention: int
    gap: int
    total: int


@dataclass(frozen=True)
class Report:
    """A readiness.json (DESIGN.md §6)."""

    schema_version: int
    tool: Tool
    framework: Framework
    service: Service
    source: Source
    as_of: str
    summary: Summary
    sections: tuple[Section, ...]
    standards: tuple[Standard, ...]
    files: Mapping[str, str]  # repo-relative path: "sha256:…"
    # `links.base`: what the rendered files' links start with (None in reports made before it)
    link_base: str | None = None
    # DESIGN §9; None / () in reports made before they existed
    accreditation: Cycle | None = None
    trend: tuple[TrendPoint, ...] = ()

    def standard(self, standard_id: str) -> Standard | None:
        """The standard with this id, if the report has it."""
        return next((s for s in self.standards if s.id == standard_id), None)


# --- parsing (after schema validation) -----------------------------------------------------------


def _text(value: Any) -> str | None:
    """A field the schema leaves untyped (or optional): its text, or None."""
    return value if isinstance(value, str) else None


def _evidence(raw: Mapping[str, Any]) -> EvidenceEntry:
    # title, kind, location, review_due, how and last_changed are not in the schema: read them
    # defensively so a hand-edited report still renders.
    return EvidenceEntry(
        id=raw["id"],
        path=raw["path"],
        sha256=raw["sha256"],
        state=raw.get("state"),
        title=_text(raw.get("title")),
        kind=_text(raw.get("kind")),
        location=_text(raw.get("location")),
        review_due=_text(raw.get("review_due")),
        how=_text(raw.get("how")),
        last_changed=_text(raw.get("last_changed")),
        evidence_kind=_text(raw.get("evidence_kind")),
        counts=raw["counts"] if isinstance(raw.get("counts"), bool) else None,
        problems=tuple(p for p in raw.get("problems") or () if isinstance(p, str)),
        date=_text(raw.get("date")),
    )


def _finding(raw: Mapping[str, Any]) -> FindingEntry:
    return FindingEntry(raw["path"], raw["line"], raw["rule"], raw["severity"], raw["message"])


def _assessment(raw: Any) -> Assessment | None:
    # The schema only says "object or null": the keys inside are read defensively.
    if not isinstance(raw, Mapping) or not raw:
        return None
    return Assessment(
        outcome=_text(raw.get("outcome")),
        assessor=_text(raw.get("assessor")),
        date=_text(raw.get("date")),
        comment=_text(raw.get("comment")),
        path=_text(raw.get("path")),
        signed_by=signer_words(raw.get("signed_by")),
    )


def signer_words(raw: object) -> str | None:
    """`principal (SHA256:…)` of a `{principal, fingerprint}` signer, or None (unsigned)."""
    if not isinstance(raw, Mapping):
        return None
    principal, fingerprint = _text(raw.get("principal")), _text(raw.get("fingerprint"))
    return f"{principal} ({fingerprint})" if principal and fingerprint else None


def _standard(raw: Mapping[str, Any]) -> Standard:
    return Standard(
        id=raw["id"],
        section=raw["section"],
        state=raw["state"],
        status=raw["status"],
        title=raw.get("title"),
        statement=raw.get("statement"),
        narrative=raw.get("narrative"),
        reasons=tuple(raw.get("reasons", ())),
        self_assessment=raw.get("self_assessment"),
        evidence=tuple(_evidence(e) for e in raw["evidence"]),
        findings=tuple(_finding(f) for f in raw["findings"]),
        assessment=_assessment(raw.get("assessment")),
        requirements=tuple(
            Requirement(tuple(r["kinds"]), r["met"], tuple(r["ids"]))
            for r in raw.get("requirements") or ()
        ),
    )


def _section(raw: Mapping[str, Any]) -> Section:
    return Section(
        id=raw["id"],
        title=raw["title"],
        spirit=raw.get("spirit"),
        total=raw["total"],
        ready=raw["ready"],
        attention=raw["attention"],
        gap=raw["gap"],
    )


def _cycle(raw: Any) -> Cycle | None:
    if not isinstance(raw, Mapping):
        return None
    actions = raw["actions"]["items"]
    return Cycle(
        present=raw["present"],
        valid=raw["valid"],
        application_due=_text(raw.get("application_due")),
        applied=_text(raw.get("applied")),
        visit=_text(raw.get("visit")),
        outcome=_text(raw.get("outcome")),
        awarded=_text(raw.get("awarded")),
        expires=_text(raw.get("expires")),
        reaccreditation_opens=_text(raw.get("reaccreditation_opens")),
        actions=tuple(
            PlannedAction(
                id=a["id"],
                standard=_text(a.get("standard")),
                action=a["action"],
                owner=_text(a.get("owner")),
                due=a["due"],
                done=_text(a.get("done")),
                overdue=a["overdue"],
            )
            for a in actions
        ),
    )


def _point(raw: Mapping[str, Any]) -> TrendPoint:
    return TrendPoint(
        raw["date"], raw["commit"], raw["ready"], raw["attention"], raw["gap"], raw["total"]
    )


def parse(data: Mapping[str, Any]) -> Report:
    """The typed report from a readiness.json dict that passed the readiness schema."""
    fw, summary = data["framework"], data["summary"]
    return Report(
        schema_version=data["schema_version"],
        tool=Tool(data["tool"]["name"], data["tool"]["version"]),
        framework=Framework(
            id=fw["id"],
            version=fw["version"],
            digest=fw["digest"],
            title=fw.get("title"),
            short_name=fw.get("short_name"),
            attribution=fw.get("attribution"),
        ),
        service=Service(data["service"]["name"], data["service"].get("organisation")),
        source=Source(data["source"]["commit"], data["source"]["tree"]),
        as_of=data["as_of"],
        summary=Summary(summary["total"], summary["ready"], summary["attention"], summary["gap"]),
        sections=tuple(_section(s) for s in data["sections"]),
        standards=tuple(_standard(s) for s in data["standards"]),
        files=MappingProxyType(dict(data["files"])),
        link_base=data.get("links", {}).get("base"),
        accreditation=_cycle(data.get("accreditation")),
        trend=tuple(_point(p) for p in data.get("trend", ())),
    )


# --- reading a report folder ---------------------------------------------------------------------


def decode(content: bytes, where: str) -> Any:
    """JSON from bytes, or a UsageError naming `where`: never a RecursionError on deep nesting."""
    try:
        return json.loads(content)
    except RecursionError:
        # CPython's json gives up on very deep nesting (a hostile file, not a report).
        raise UsageError(
            f"{where} is nested too deeply to be a readiness report: {_REMAKE}"
        ) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(
            f"{where} is not valid JSON ({exc}): take a fresh copy of the report"
        ) from None


def check(data: Any, where: str) -> Mapping[str, Any]:
    """`data` if it passes the readiness schema, else a UsageError with the first problem."""
    try:
        problems = list(schemas.problems("readiness", data))
    except RecursionError:
        raise UsageError(
            f"{where} is nested too deeply to be a readiness report: {_REMAKE}"
        ) from None
    if problems:
        path, message = problems[0]
        raise UsageError(
            f"{where} is not a readiness report this tool understands "
            f"({'.'.join(map(str, path)) or 'top level'}: {message}): {_REMAKE}"
        )
    return data  # type: ignore[no-any-return]


def read(report_dir: Path) -> Mapping[str, Any]:
    """The readiness.json in `report_dir` as a schema-checked dict (size-capped, safely decoded)."""
    path = report_dir / JSON_NAME
    if not path.is_file():
        raise UsageError(
            f"{report_dir} has no {JSON_NAME}: point at a report folder, "
            "such as reports/2026-11-23-1a2b3c4"
        )
    try:
        with path.open("rb") as handle:
            content = handle.read(MAX_BYTES + 1)  # never more, whatever the file has grown to
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(content) > MAX_BYTES:
        raise UsageError(
            f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MiB, far beyond any readiness "
            f"report: point at a report folder made by `llcompliance report`"
        )
    return check(decode(content, str(path)), str(path))


def load(report_dir: Path) -> Report:
    """The readiness report in `report_dir`, checked against the schema and parsed."""
    return parse(read(report_dir))
