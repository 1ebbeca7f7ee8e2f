"""Coverage: each standard's state from real evidence (present, valid, in date), not from mapping."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from llcompliance.core.catalogue import POLICY_KIND, PRACTICE_KINDS, Catalogue
from llcompliance.core.config import Config
from llcompliance.core.findings import Finding
from llcompliance.core.states import ATTENTION as ATTENTION
from llcompliance.core.states import GAP as GAP
from llcompliance.core.states import READY as READY
from llcompliance.core.states import STATE_RANK as STATE_RANK
from llcompliance.core.workspace import (
    EvidenceItem,
    SelfAssessment,
    Workspace,
    one_sided_message,
)

# Item states, best first (by review date and validity; whether an item counts is `counts`).
OK, DUE_SOON, EXPIRED, INVALID, UNRESOLVED = "ok", "due-soon", "expired", "invalid", "unresolved"
# Why an item in date does not count, or needs care (DESIGN §4).
DRAFT, NOT_YET_APPROVED, SHORT, NO_KIND, UNDATED, STALE, FUTURE = (
    "draft",
    "approved-later",
    "short",
    "no-kind",
    "undated",
    "stale",
    "future",
)


@dataclass(frozen=True)
class ItemState:
    """A supporting item and how it stands on the as-of date."""

    item: EvidenceItem
    state: str
    how: str | None
    problems: tuple[str, ...] = ()  # DRAFT, SHORT, STALE…: why it does not count

    @property
    def good(self) -> bool:
        """Valid, in date and its location resolves (review-date view)."""
        return self.state in (OK, DUE_SOON)

    @property
    def counts(self) -> bool:
        """Counts towards readiness: good, and approved, full and recent enough (DESIGN §4)."""
        return self.good and not self.problems


@dataclass(frozen=True)
class Requirement:
    """One requirement group of a standard: the kinds that meet it and the counting ids that do."""

    kinds: tuple[str, ...]
    met: bool
    ids: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """`{"kinds": [...], "met": bool, "ids": [...]}` as in readiness.json."""
        return {"kinds": list(self.kinds), "met": self.met, "ids": list(self.ids)}


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
    requirements: tuple[Requirement, ...] = ()


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
        "requirements": [r.as_dict() for r in result.requirements],
        "evidence": [
            {
                "id": e.item.id,
                "title": e.item.title,
                "owner": e.item.owner,
                "kind": e.item.kind,
                "evidence_kind": e.item.evidence_kind,
                "date": e.item.date,
                "approved": (
                    {"date": e.item.approved_date, "by": e.item.approved_by}
                    if e.item.approved_date
                    else None
                ),
                "path": e.item.path,
                "state": e.state,
                "counts": e.counts,
                "problems": list(e.problems),
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


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day when it is shorter)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has a 28th


def item_problems(item: EvidenceItem, as_of: dt.date, config: Config) -> tuple[str, ...]:
    """Why an item that is valid and in date still does not count on `as_of` (DESIGN §4)."""
    problems = []
    if item.evidence_kind == POLICY_KIND:
        approved = _date(item.approved_date)
        if approved is None:
            problems.append(DRAFT)
        elif approved > as_of:
            problems.append(NOT_YET_APPROVED)
        if item.words < config.min_policy_words:
            problems.append(SHORT)
    elif item.evidence_kind is None:
        problems.append(NO_KIND)
    dated = _date(item.date)
    if item.kind == "evidence":
        if dated is None:
            problems.append(UNDATED)
        elif dated > as_of:
            problems.append(FUTURE)
        elif item.evidence_kind in PRACTICE_KINDS and dated < months_before(
            as_of, config.max_evidence_age_months
        ):
            problems.append(STALE)
    return tuple(problems)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


_ITEM_REASON = {
    EXPIRED: "{id} ({path}) is past its review date {due}: review it and update review_due",
    DUE_SOON: "{id} is due for review on {due}: plan the review now",
    INVALID: "{id} ({path}) has errors: run `llcompliance validate {path}`",
    UNRESOLVED: "{id} ({path}) points at evidence that cannot be found: fix location",
    DRAFT: "{id} ({path}) is a draft: once it is approved, add "
    "`approved: {{date: YYYY-MM-DD, by: Board of trustees}}`",
    NOT_YET_APPROVED: "{id} was approved on {approved}, after {as_of}: it counts from that date",
    SHORT: "{id} ({path}) has {words} words of its own policy text: write the policy in full, "
    "at least {min_words} words (headings and template prompts do not count)",
    NO_KIND: "{id} ({path}) does not say what kind of evidence it is: add "
    "`kind: record` (or data, feedback, template, plan)",
    UNDATED: "{id} ({path}) has no date: add `date: YYYY-MM-DD` (the end of the period it covers)",
    FUTURE: "{id} is dated {date}, after {as_of}: it counts from that date",
    STALE: "{id} is dated {date}, more than {months} months before {as_of}: add more recent "
    "{kind} evidence",
}

# How a requirement's kinds read in a reason, and an example of each (DESIGN §4 kinds).
KIND_NOUNS = {
    POLICY_KIND: "an approved policy",
    "plan": "a plan",
    "template": "a template",
    "record": "a record",
    "data": "data",
    "feedback": "feedback",
}
KIND_EXAMPLES = {
    POLICY_KIND: "a procedure the board has approved",
    "plan": "a business or action plan",
    "template": "a blank form or tool",
    "record": "a case-file audit",
    "data": "quarterly activity and outcome figures",
    "feedback": "a survivor feedback summary",
}


def requirement_reason(standard_id: str, kinds: tuple[str, ...], config: Config) -> str:
    """What a manager must add to meet one requirement group, with an example."""
    practice = [k for k in kinds if k in PRACTICE_KINDS]
    other = [k for k in kinds if k not in PRACTICE_KINDS]
    if not other:
        label = "practice evidence"
    elif POLICY_KIND in other:
        label = "a policy"
    else:
        label = "evidence"
    nouns = [KIND_NOUNS.get(k, k) for k in other]
    if practice:
        nouns += [KIND_NOUNS.get(k, k) for k in practice]
    text = _or_list(nouns)
    if practice:
        text += f" dated within {config.max_evidence_age_months} months"
    example = KIND_EXAMPLES.get(kinds[0])
    return f"{standard_id} needs {label}: {text}" + (f", e.g. {example}" if example else "")


def _or_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


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
        problems = item_problems(item, as_of, ws.config)
        for ref in item.standards:
            supporting.setdefault(ref.id, []).append(ItemState(item, state, ref.how, problems))
    by_path: dict[str, list[Finding]] = {}
    for finding in ws.findings:
        by_path.setdefault(finding.path, []).append(finding)
    by_id = {item.id: item for item in ws.items}
    results = []
    for standard in framework.standards:
        items = tuple(
            sorted(supporting.get(standard.id, []), key=lambda s: (s.item.kind, s.item.id))
        )
        assessment = ws.self_assessments.get(standard.id)
        paths = [e.item.path for e in items] + ([assessment.path] if assessment else [])
        findings = tuple(f for p in dict.fromkeys(paths) for f in by_path.get(p, []))
        requirements = tuple(
            Requirement(
                kinds,
                bool(
                    ids := tuple(
                        e.item.id for e in items if e.counts and e.item.evidence_kind in kinds
                    )
                ),
                ids,
            )
            for kinds in standard.requires
        )
        state, reasons = _state(
            _Judged(standard.id, assessment, items, requirements, by_id, ws.config, as_of)
        )
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
                requirements=requirements,
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


@dataclass(frozen=True)
class _Judged:
    """What a standard's state is decided from."""

    standard_id: str
    assessment: SelfAssessment | None
    items: tuple[ItemState, ...]
    requirements: tuple[Requirement, ...]
    by_id: dict[str, EvidenceItem]
    config: Config
    as_of: dt.date


def _item_reasons(judged: _Judged) -> list[str]:
    reasons = []
    config, as_of = judged.config, judged.as_of.isoformat()
    for entry in judged.items:
        item = entry.item
        for problem in (entry.state, *entry.problems) if not entry.good else entry.problems:
            template = _ITEM_REASON.get(problem)
            if template is None:
                continue
            reasons.append(
                template.format(
                    id=item.id,
                    path=item.path,
                    due=item.review_due,
                    approved=item.approved_date,
                    as_of=as_of,
                    words=item.words,
                    min_words=config.min_policy_words,
                    date=item.date,
                    months=config.max_evidence_age_months,
                    kind=item.evidence_kind or "",
                )
            )
        if entry.state == DUE_SOON:
            reasons.append(_ITEM_REASON[DUE_SOON].format(id=item.id, due=item.review_due))
    return reasons


def _narrative_reasons(judged: _Judged) -> list[str]:
    assessment, config = judged.assessment, judged.config
    assert assessment is not None
    reasons = []
    where = f"{assessment.path}: 'How we meet it'"
    if not assessment.narrative:
        reasons.append(
            f"{where} is empty: write at least {config.min_narrative_words} words on how you meet "
            f"{judged.standard_id}, citing your evidence by id"
        )
    elif assessment.narrative_words < config.min_narrative_words:
        reasons.append(
            f"{where} has {assessment.narrative_words} words: write at least "
            f"{config.min_narrative_words} in your own words on how you meet {judged.standard_id}"
        )
    counting = [e.item.id for e in judged.items if e.counts]
    if assessment.narrative and not set(assessment.narrative_cites) & set(counting):
        example = f", e.g. {counting[0]}" if counting else ""
        reasons.append(f"{where} does not cite evidence that counts: name it by id{example}")
    for cited, line in assessment.cited:
        item = judged.by_id.get(cited)
        if item is not None and judged.standard_id not in {r.id for r in item.standards}:
            reasons.append(
                f"{assessment.path}:{line}: {one_sided_message(cited, item.path, judged.standard_id)}"
            )
    return list(dict.fromkeys(reasons))


def _state(judged: _Judged) -> tuple[str, list[str]]:
    standard_id, assessment = judged.standard_id, judged.assessment
    reasons = _item_reasons(judged)
    counting = [e for e in judged.items if e.counts]
    if assessment is None:
        reasons.insert(0, f"no self-assessment: add standards/{standard_id}.md")
        return GAP, reasons
    if not assessment.valid:
        reasons.insert(
            0, f"{assessment.path} has errors: run `llcompliance validate {assessment.path}`"
        )
    unmet = [
        requirement_reason(standard_id, r.kinds, judged.config)
        for r in judged.requirements
        if not r.met
    ]
    if not counting:
        none = (
            "nothing that lists this standard counts yet"
            if judged.items
            else "no policy or evidence lists this standard yet"
        )
        return GAP, [none, *unmet, *reasons]
    if assessment.status == "not-started":
        reasons.insert(0, "self-assessment not started: write how you meet it and set status")
        return GAP, [*reasons, *unmet]
    progress = ["self-assessment is in progress"] if assessment.status == "in-progress" else []
    reasons = [*progress, *unmet, *reasons, *_narrative_reasons(judged)]
    if reasons:
        return ATTENTION, reasons
    ids = ", ".join(e.item.id for e in counting)
    return READY, [
        f"met, with {len(counting)} item{'s' if len(counting) != 1 else ''} that count "
        f"({ids}); every requirement is met"
    ]


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
