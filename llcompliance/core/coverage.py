"""Coverage: each standard's state from real evidence (present, valid, in date), not from mapping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from llcompliance.core.catalogue import Catalogue
from llcompliance.core.findings import Finding
from llcompliance.core.states import ATTENTION as ATTENTION
from llcompliance.core.states import GAP as GAP
from llcompliance.core.states import READY as READY
from llcompliance.core.states import STATE_RANK as STATE_RANK
from llcompliance.core.workspace import EvidenceItem, Workspace

# Item states, best first.
OK, DUE_SOON, EXPIRED, INVALID, UNRESOLVED = "ok", "due-soon", "expired", "invalid", "unresolved"


@dataclass(frozen=True)
class ItemState:
    """A supporting item and how it stands on the as-of date."""

    item: EvidenceItem
    state: str
    how: str | None

    @property
    def good(self) -> bool:
        """Counts towards readiness: valid, in date, location resolves."""
        return self.state in (OK, DUE_SOON)


@dataclass(frozen=True)
class StandardResult:
    """One standard's state, why, and its evidence."""

    id: str
    section: str
    title: str
    state: str
    status: str
    reasons: tuple[str, ...]
    evidence: tuple[ItemState, ...]
    findings: tuple[Finding, ...]
    statement: str = ""
    self_assessment: str | None = None
    narrative: str = ""
    assessment: dict[str, Any] | None = None


@dataclass(frozen=True)
class Coverage:
    """Coverage of one framework on one date."""

    framework: Catalogue
    as_of: str
    standards: tuple[StandardResult, ...]
    last_changed: dict[str, str] = field(default_factory=dict)  # path -> date of its last commit

    def counts(self, section: str | None = None) -> dict[str, int]:
        """total/ready/attention/gap, overall or for one section."""
        chosen = [s for s in self.standards if section is None or s.section == section]
        counts = {"total": len(chosen), READY: 0, ATTENTION: 0, GAP: 0}
        for result in chosen:
            counts[result.state] += 1
        return counts

    def as_dict(self) -> dict[str, Any]:
        """`as_of`, `summary`, `sections`, `standards` as in readiness.json."""
        return {
            "as_of": self.as_of,
            "summary": self.counts(),
            "sections": [
                {"id": s.id, "title": s.title, "spirit": s.spirit, **self.counts(s.id)}
                for s in self.framework.sections
            ],
            "standards": [standard_dict(r, self.last_changed) for r in self.standards],
        }


def standard_dict(
    result: StandardResult, last_changed: dict[str, str] | None = None
) -> dict[str, Any]:
    """A standard's entry, shaped exactly as in readiness.json (`coverage --format json` too)."""
    changed = last_changed or {}
    return {
        "id": result.id,
        "section": result.section,
        "title": result.title,
        "state": result.state,
        "status": result.status,
        "reasons": list(result.reasons),
        "evidence": [
            {
                "id": e.item.id,
                "title": e.item.title,
                "kind": e.item.kind,
                "path": e.item.path,
                "state": e.state,
                "review_due": e.item.review_due,
                "how": e.how,
                "location": e.item.location,
                "sha256": e.item.sha256,
                "last_changed": changed.get(e.item.path),
            }
            for e in result.evidence
        ],
        "findings": [f.as_dict() for f in result.findings],
        "statement": result.statement,
        "self_assessment": result.self_assessment,
        "narrative": result.narrative,
        "assessment": result.assessment,
    }


def item_state(item: EvidenceItem, as_of: dt.date, due_soon_days: int) -> str:
    """How an item stands on `as_of`."""
    if not item.valid:
        return INVALID
    if not item.resolves:
        return UNRESOLVED
    try:
        due = dt.date.fromisoformat(item.review_due or "")
    except ValueError:
        return INVALID
    if due < as_of:
        return EXPIRED
    if (due - as_of).days <= due_soon_days:
        return DUE_SOON
    return OK


_ITEM_REASON = {
    EXPIRED: "{id} ({path}) is past its review date {due}: review it and update review_due",
    DUE_SOON: "{id} is due for review on {due}: plan the review now",
    INVALID: "{id} ({path}) has errors: run `llcompliance validate {path}`",
    UNRESOLVED: "{id} ({path}) points at evidence that cannot be found: fix location",
}


def compute(
    ws: Workspace,
    as_of: dt.date,
    framework: Catalogue | None = None,
    last_changed: dict[str, str] | None = None,
) -> Coverage:
    """The state of every standard in `framework` (default: the first catalogue) on `as_of`."""
    framework = framework or ws.framework
    supporting: dict[str, list[ItemState]] = {}
    for item in ws.items:
        state = item_state(item, as_of, ws.config.due_soon_days)
        for ref in item.standards:
            supporting.setdefault(ref.id, []).append(ItemState(item, state, ref.how))
    by_path: dict[str, list[Finding]] = {}
    for finding in ws.findings:
        by_path.setdefault(finding.path, []).append(finding)
    results = []
    for standard in framework.standards:
        items = tuple(
            sorted(supporting.get(standard.id, []), key=lambda s: (s.item.kind, s.item.id))
        )
        assessment = ws.self_assessments.get(standard.id)
        paths = [e.item.path for e in items] + ([assessment.path] if assessment else [])
        findings = tuple(f for p in dict.fromkeys(paths) for f in by_path.get(p, []))
        state, reasons = _state(standard.id, assessment, items)
        results.append(
            StandardResult(
                id=standard.id,
                section=standard.section,
                title=standard.title,
                state=state,
                status=assessment.status if assessment else "not-started",
                reasons=tuple(reasons),
                evidence=items,
                findings=findings,
                statement=standard.statement,
                self_assessment=assessment.path if assessment else None,
                narrative=assessment.narrative if assessment else "",
                assessment=_outcome(ws, standard.id),
            )
        )
    return Coverage(framework, as_of.isoformat(), tuple(results), dict(last_changed or {}))


def _outcome(ws: Workspace, standard_id: str) -> dict[str, Any] | None:
    outcome = ws.outcomes.get(standard_id)
    if outcome is None:
        return None
    return {
        "outcome": outcome.outcome,
        "comment": outcome.comment,
        "date": outcome.date,
        "assessor": outcome.assessor,
        "path": outcome.path,
    }


def _state(
    standard_id: str, assessment: Any, items: tuple[ItemState, ...]
) -> tuple[str, list[str]]:
    reasons: list[str] = []
    good = [i for i in items if i.good]
    for entry in items:
        if entry.state in _ITEM_REASON:
            reasons.append(
                _ITEM_REASON[entry.state].format(
                    id=entry.item.id, path=entry.item.path, due=entry.item.review_due
                )
            )
    if assessment is None:
        reasons.insert(0, f"no self-assessment: add standards/{standard_id}.md")
        return GAP, reasons
    if not assessment.valid:
        reasons.insert(
            0, f"{assessment.path} has errors: run `llcompliance validate {assessment.path}`"
        )
    if not good:
        if not items:
            reasons.insert(0, "no policy or evidence lists this standard yet")
        else:
            reasons.insert(0, "no supporting item is valid and in date")
        return GAP, reasons
    if assessment.status == "not-started":
        reasons.insert(0, "self-assessment not started: write how you meet it and set status")
        return GAP, reasons
    if assessment.status == "in-progress":
        reasons.insert(0, "self-assessment is in progress")
    elif not assessment.narrative:
        reasons.insert(0, "status is met but 'How we meet it' is empty")
    if reasons:
        return ATTENTION, reasons
    return READY, [f"met, with {len(good)} supporting item{'s' if len(good) != 1 else ''} in date"]


@dataclass(frozen=True)
class Regression:
    """A standard whose state got worse than in the committed tree."""

    id: str
    before: str
    after: str
    reasons: tuple[str, ...]


def regressions(before: Coverage, after: Coverage) -> list[Regression]:
    """Standards whose state is worse in `after` than in `before`."""
    previous = {s.id: s for s in before.standards}
    worse = []
    for result in after.standards:
        old = previous.get(result.id)
        if old and STATE_RANK[result.state] < STATE_RANK[old.state]:
            worse.append(Regression(result.id, old.state, result.state, result.reasons))
    return worse
