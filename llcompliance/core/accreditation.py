"""accreditation.yaml (DESIGN §9): the accreditation cycle, its action plan and eligibility answers,
read with file-and-line findings, and the dates that fall due from it and from the evidence."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import stat
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from llcompliance.adapters import resources, schemas, yamlio
from llcompliance.adapters.printable import printable
from llcompliance.core.documents import MAX_FILE_BYTES, decode
from llcompliance.core.findings import ERROR, WARNING, Finding
from llcompliance.core.workspace import Workspace
from llcompliance.errors import DocumentError

ACCREDITATION_NAME = "accreditation.yaml"
PRACTICE_KINDS = ("record", "data", "feedback")
DEFAULT_MAX_EVIDENCE_AGE_MONTHS = 12
DEFAULT_WITHIN_DAYS = 90

# Kinds of dates that fall due, in the order a day's entries are listed.
APPLICATION, VISIT, ACTION, REACCREDITATION, EXPIRY, REVIEW, STALE = (
    "application-window-ends",
    "visit",
    "action",
    "reaccreditation-opens",
    "expiry",
    "review-due",
    "evidence-stale",
)
KIND_ORDER = (APPLICATION, VISIT, ACTION, REACCREDITATION, EXPIRY, REVIEW, STALE)


@dataclass(frozen=True)
class Question:
    """An eligibility check the catalogue asks before a service applies."""

    id: str
    question: str


@dataclass(frozen=True)
class Programme:
    """The programme's timings and eligibility checks, from the catalogue's `eligibility` block."""

    application_window_months: int = 12
    accreditation_years: int = 3
    reaccreditation_opens_months: int = 6
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class Action:
    """One item of the action plan."""

    id: str
    standard: str | None
    action: str
    owner: str | None
    due: dt.date
    done: dt.date | None
    line: int


@dataclass(frozen=True)
class Answer:
    """The service's answer to one eligibility question, and what shows it."""

    answer: bool
    evidence: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Accreditation:
    """A read accreditation.yaml: values that are unreadable are left out (and reported)."""

    manager_qualified: dt.date | None
    applied: dt.date | None
    visit: dt.date | None
    outcome: str | None
    awarded: dt.date | None
    expires_given: dt.date | None
    actions: tuple[Action, ...]
    eligibility: dict[str, Answer]
    lines: dict[str, int]

    def expires(self, programme: Programme) -> dt.date | None:
        """`expires`, or `awarded` + the accreditation's length (3 years) when not given."""
        if self.expires_given is not None:
            return self.expires_given
        if self.awarded is not None and self.outcome in (None, "accredited"):
            return add_months(self.awarded, 12 * programme.accreditation_years)
        return None

    def line(self, key: str) -> int:
        """The file line of a top-level key."""
        return self.lines.get(key, 1)


@dataclass(frozen=True)
class AccreditationFile:
    """What reading accreditation.yaml gave: the values (None when unreadable) and the findings."""

    accreditation: Accreditation | None
    findings: tuple[Finding, ...]
    present: bool = True  # False: the repo (or commit) has no accreditation.yaml

    @property
    def failed(self) -> bool:
        """True when the file has errors."""
        return any(f.severity == ERROR for f in self.findings)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; the 31st (or 29 February) becomes the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def programme(catalogue_spec: str, root: Path | None = None) -> Programme:
    """The timings and eligibility questions of a catalogue (defaults when it has none)."""
    if (resources.catalogue_dir() / f"{catalogue_spec}.yaml").is_file():
        return _builtin_programme(catalogue_spec)
    if root is None:
        return Programme()
    path = (root / catalogue_spec).resolve()
    if not path.is_relative_to(root.resolve()) or not path.is_file():
        return Programme()  # the workspace loader reports a missing or escaping catalogue
    try:
        data = yamlio.load(path.read_text(encoding="utf-8")).data
    except (OSError, UnicodeDecodeError, DocumentError):
        return Programme()
    return programme_from(data)


@cache
def _builtin_programme(spec: str) -> Programme:
    path = resources.catalogue_dir() / f"{spec}.yaml"
    return programme_from(yamlio.load(path.read_text(encoding="utf-8")).data)


def programme_from(catalogue: Any) -> Programme:
    """The Programme of raw catalogue data (checked by the catalogue schema)."""
    block = catalogue.get("eligibility") if isinstance(catalogue, dict) else None
    if not isinstance(block, dict):
        return Programme()
    defaults = Programme()
    return Programme(
        application_window_months=int(
            block.get("application_window_months", defaults.application_window_months)
        ),
        accreditation_years=int(block.get("accreditation_years", defaults.accreditation_years)),
        reaccreditation_opens_months=int(
            block.get("reaccreditation_opens_months", defaults.reaccreditation_opens_months)
        ),
        questions=tuple(
            Question(str(q["id"]), str(q["question"]))
            for q in block.get("questions", [])
            if isinstance(q, dict) and "id" in q and "question" in q
        ),
    )


NO_FILE = AccreditationFile(None, (), present=False)


def read(root: Path) -> AccreditationFile:
    """ROOT/accreditation.yaml from the working tree (NO_FILE when the service has none)."""
    path = root / ACCREDITATION_NAME
    try:
        info = os.lstat(path)
    except OSError:
        return NO_FILE
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISREG(info.st_mode):
        return AccreditationFile(
            None,
            (
                Finding(
                    ACCREDITATION_NAME,
                    1,
                    "not-a-file",
                    ERROR,
                    "is a symbolic link or not a regular file: replace it with the file itself",
                ),
            ),
        )
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return _failed(DocumentError(f"cannot be read ({exc.strerror or exc})", rule="unreadable"))
    return parse(raw)


def _failed(exc: DocumentError) -> AccreditationFile:
    return AccreditationFile(
        None, (Finding(ACCREDITATION_NAME, exc.line or 1, exc.rule, ERROR, str(exc)),)
    )


def parse(raw: bytes) -> AccreditationFile:
    """Read accreditation.yaml's bytes: schema problems become findings with their line."""
    try:
        loaded = yamlio.load(decode(raw), path=ACCREDITATION_NAME)
    except DocumentError as exc:
        return _failed(exc)
    data = loaded.data
    if data is None:
        data = {}  # an empty file (all comments, as the template's stub) says nothing yet
    if not isinstance(data, dict):
        return AccreditationFile(
            None,
            (
                Finding(
                    ACCREDITATION_NAME,
                    loaded.first_line,
                    "schema",
                    ERROR,
                    "must be a set of keys, such as `manager_qualified: 2026-03-01`: "
                    "see the commented template",
                ),
            ),
        )
    findings = [
        Finding(ACCREDITATION_NAME, loaded.line_of(where), "schema", ERROR, message)
        for where, message in schemas.problems("accreditation", data)
    ]
    return AccreditationFile(_build(data, loaded), tuple(findings))


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    return printable(value) if isinstance(value, str) else None


def _build(data: dict[str, Any], loaded: yamlio.Loaded) -> Accreditation:
    """The readable values of the file, leniently: a bad value is left out, never guessed."""
    actions = []
    raw_actions = data.get("actions")
    for index, entry in enumerate(raw_actions if isinstance(raw_actions, list) else []):
        due = _date(entry.get("due")) if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or due is None:
            continue
        actions.append(
            Action(
                id=printable(entry["id"]),
                standard=_text(entry.get("standard")),
                action=_text(entry.get("action")) or "",
                owner=_text(entry.get("owner")),
                due=due,
                done=_date(entry.get("done")),
                line=loaded.line_of(("actions", index)),
            )
        )
    answers = {}
    raw_answers = data.get("eligibility")
    for key, entry in (raw_answers if isinstance(raw_answers, dict) else {}).items():
        if not isinstance(entry, dict) or not isinstance(entry.get("answer"), bool):
            continue
        evidence = entry.get("evidence")
        ids = [evidence] if isinstance(evidence, str) else evidence
        answers[str(key)] = Answer(
            entry["answer"],
            tuple(printable(i) for i in ids if isinstance(i, str)) if isinstance(ids, list) else (),
            loaded.line_of(("eligibility", str(key))),
        )
    outcome = data.get("outcome")
    return Accreditation(
        manager_qualified=_date(data.get("manager_qualified")),
        applied=_date(data.get("applied")),
        visit=_date(data.get("visit")),
        outcome=outcome if outcome in ("accredited", "deferred", "not-accredited") else None,
        awarded=_date(data.get("awarded")),
        expires_given=_date(data.get("expires")),
        actions=tuple(actions),
        eligibility=answers,
        lines={str(k): loaded.line_of((str(k),)) for k in data},
    )


def check(
    acc: Accreditation, prog: Programme, standards: set[str], item_ids: set[str]
) -> list[Finding]:
    """Cross-checks the schema cannot make: known standards, questions and evidence ids; dates
    in order; unique action ids."""
    out: list[Finding] = []

    def add(line: int, rule: str, severity: str, message: str) -> None:
        out.append(Finding(ACCREDITATION_NAME, line, rule, severity, message))

    seen: set[str] = set()
    for action in acc.actions:
        if action.id in seen:
            add(
                action.line,
                "duplicate-id",
                ERROR,
                f"action id '{action.id}' is used twice: renumber one",
            )
        seen.add(action.id)
        if action.standard is not None and action.standard not in standards:
            add(
                action.line,
                "unknown-standard",
                ERROR,
                f"action {action.id}: standard '{action.standard}' is not in the catalogue",
            )
    known_questions = {q.id for q in prog.questions}
    for key, answer in sorted(acc.eligibility.items()):
        if key not in known_questions:
            allowed = ", ".join(sorted(known_questions)) or "none in this catalogue"
            add(
                answer.line,
                "unknown-question",
                ERROR,
                f"eligibility: '{printable(key)}' is not one of the catalogue's questions ({allowed})",
            )
        for evidence_id in answer.evidence:
            if evidence_id not in item_ids:
                add(
                    answer.line,
                    "unknown-evidence",
                    ERROR,
                    f"eligibility {printable(key)}: no policy or evidence record has id "
                    f"'{evidence_id}': use the id of the document that shows it",
                )
        if answer.answer and not answer.evidence:
            add(
                answer.line,
                "no-evidence",
                WARNING,
                f"eligibility {printable(key)}: answered yes without evidence: add "
                "`evidence: <id>` naming the record that shows it",
            )
    expires = acc.expires_given
    if acc.awarded and expires and expires <= acc.awarded:
        add(
            acc.line("expires"),
            "dates",
            ERROR,
            f"expires {expires} is not after awarded {acc.awarded}",
        )
    if acc.manager_qualified and acc.applied:
        window_end = add_months(acc.manager_qualified, prog.application_window_months)
        if acc.applied > window_end:
            add(
                acc.line("applied"),
                "application-window",
                WARNING,
                f"applied {acc.applied}, after the window that ended {window_end} "
                f"({prog.application_window_months} months after manager_qualified): check "
                "with SafeLives whether the training must be renewed",
            )
    return out


def findings(root: Path, prog: Programme, standards: set[str], item_ids: set[str]) -> list[Finding]:
    """Every finding for ROOT/accreditation.yaml (none when the service has no such file)."""
    found = read(root)
    out = list(found.findings)
    if found.accreditation is not None:
        out += check(found.accreditation, prog, standards, item_ids)
    return out


@dataclass(frozen=True)
class Due:
    """A date that falls due: what, when, for which document or action, and where it is written."""

    kind: str
    id: str
    date: dt.date
    overdue: bool
    subject: str  # the action's text, or the document's title
    path: str
    line: int
    owner: str | None = None
    standard: str | None = None
    since: dt.date | None = None  # the date a window or age counts from

    def sort_key(self) -> tuple[bool, dt.date, int, str]:
        """Overdue first, then soonest, then in the order of the cycle."""
        return (not self.overdue, self.date, KIND_ORDER.index(self.kind), self.id)

    def as_dict(self, as_of: dt.date) -> dict[str, Any]:
        """The JSON shape of one entry."""
        return {
            "kind": self.kind,
            "id": self.id,
            "date": self.date.isoformat(),
            "days": (self.date - as_of).days,
            "overdue": self.overdue,
            "subject": self.subject,
            "owner": self.owner,
            "standard": self.standard,
            "since": self.since.isoformat() if self.since else None,
            "path": self.path,
            "line": self.line,
        }


def milestones(acc: Accreditation, prog: Programme, as_of: dt.date) -> list[Due]:
    """The cycle's dates still relevant on `as_of`, whatever their distance."""
    found: list[Due] = []
    name = ACCREDITATION_NAME
    if acc.manager_qualified and acc.applied is None:
        end = add_months(acc.manager_qualified, prog.application_window_months)
        found.append(
            Due(
                APPLICATION,
                "application",
                end,
                end < as_of,
                "",
                name,
                acc.line("manager_qualified"),
                since=acc.manager_qualified,
            )
        )
    if acc.visit and acc.visit >= as_of and acc.outcome is None:
        found.append(Due(VISIT, "visit", acc.visit, False, "", name, acc.line("visit")))
    for action in acc.actions:
        if action.done is None:
            found.append(
                Due(
                    ACTION,
                    action.id,
                    action.due,
                    action.due < as_of,
                    action.action,
                    name,
                    action.line,
                    owner=action.owner,
                    standard=action.standard,
                )
            )
    expires = acc.expires(prog)
    if expires is not None:
        line = acc.line("expires" if acc.expires_given else "awarded")
        opens = add_months(expires, -prog.reaccreditation_opens_months)
        if expires >= as_of and prog.reaccreditation_opens_months:
            found.append(
                Due(REACCREDITATION, "reaccreditation", opens, False, "", name, line, since=expires)
            )
        found.append(
            Due(EXPIRY, "expiry", expires, expires < as_of, "", name, line, since=acc.awarded)
        )
    return found


def document_dates(
    documents: Any, as_of: dt.date, max_age_months: int = DEFAULT_MAX_EVIDENCE_AGE_MONTHS
) -> list[Due]:
    """Reviews due (policies and evidence) and practice evidence turning stale, from documents."""
    found: list[Due] = []
    for doc in documents:
        data = doc.data
        if doc.kind not in ("policy", "evidence") or not isinstance(data, dict):
            continue
        doc_id = _text(data.get("id")) or doc.path
        title = _text(data.get("title")) or doc_id
        owner = _text(data.get("owner"))
        review = _date(data.get("review_due"))
        if review is not None:
            found.append(
                Due(
                    REVIEW,
                    doc_id,
                    review,
                    review < as_of,
                    title,
                    doc.path,
                    doc.key_lines.get("review_due", 1),
                    owner=owner,
                )
            )
        dated = _date(data.get("date")) if doc.kind == "evidence" else None
        kind = data.get("kind")
        if dated is not None and (kind is None or kind in PRACTICE_KINDS):
            stale = add_months(dated, max_age_months)
            found.append(
                Due(
                    STALE,
                    doc_id,
                    stale,
                    stale < as_of,
                    title,
                    doc.path,
                    doc.key_lines.get("date", 1),
                    owner=owner,
                    since=dated,
                )
            )
    return found


def due_within(entries: list[Due], as_of: dt.date, within: int) -> list[Due]:
    """What falls due by `as_of` + `within` days (overdue included), overdue first, then soonest."""
    horizon = as_of + dt.timedelta(days=within)
    chosen = {
        (d.kind, d.id): d
        for d in sorted(entries, key=Due.sort_key, reverse=True)
        if d.date <= horizon
    }
    return sorted(chosen.values(), key=Due.sort_key)


def eligibility_rows(
    acc: Accreditation | None, prog: Programme, item_ids: set[str]
) -> list[dict[str, Any]]:
    """Each catalogue question with the service's answer and whether its evidence exists."""
    rows = []
    for question in prog.questions:
        answer = acc.eligibility.get(question.id) if acc else None
        rows.append(
            {
                "id": question.id,
                "question": question.question,
                "answer": answer.answer if answer else None,
                "evidence": list(answer.evidence) if answer else [],
                "shown": bool(
                    answer
                    and answer.answer
                    and answer.evidence
                    and all(e in item_ids for e in answer.evidence)
                ),
            }
        )
    return rows


@dataclass(frozen=True)
class Status:
    """What `status` shows: the dates due within the horizon, the cycle and its findings."""

    as_of: dt.date
    within: int
    present: bool
    accreditation: Accreditation | None
    programme: Programme
    due: tuple[Due, ...]
    eligibility: tuple[dict[str, Any], ...]
    findings: tuple[Finding, ...]

    @property
    def expires(self) -> dt.date | None:
        """When accreditation ends (given, or awarded + 3 years)."""
        return self.accreditation.expires(self.programme) if self.accreditation else None


def status(
    ws: Workspace,
    as_of: dt.date,
    within: int = DEFAULT_WITHIN_DAYS,
    found: AccreditationFile | None = None,
) -> Status:
    """The repo's status on `as_of`: accreditation.yaml read from the working tree unless given."""
    found = found if found is not None else read(ws.root)
    prog = programme(ws.config.catalogues[0], ws.root) if ws.config.catalogues else Programme()
    acc = found.accreditation
    item_ids = {item.id for item in ws.items}
    standards = {s.id for cat in ws.catalogues for s in cat.standards}
    problems = list(found.findings)
    if acc is not None:
        problems += check(acc, prog, standards, item_ids)
    max_age = getattr(ws.config, "max_evidence_age_months", DEFAULT_MAX_EVIDENCE_AGE_MONTHS)
    entries = document_dates(ws.documents, as_of, int(max_age))
    if acc is not None:
        entries += milestones(acc, prog, as_of)
    return Status(
        as_of=as_of,
        within=within,
        present=found.present,
        accreditation=acc,
        programme=prog,
        due=tuple(due_within(entries, as_of, within)),
        eligibility=tuple(eligibility_rows(acc, prog, item_ids)),
        findings=tuple(sorted(set(problems))),
    )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def summary(result: Status) -> dict[str, Any]:
    """Plain data for reports: the cycle's dates, the action plan's counts and what falls due."""
    acc = result.accreditation
    actions = acc.actions if acc else ()
    open_actions = [a for a in actions if a.done is None]
    expires = result.expires
    window_end = (
        add_months(acc.manager_qualified, result.programme.application_window_months)
        if acc and acc.manager_qualified
        else None
    )
    return {
        "present": result.present,
        "valid": not any(f.severity == ERROR for f in result.findings),
        "as_of": result.as_of.isoformat(),
        "within_days": result.within,
        "manager_qualified": _iso(acc.manager_qualified) if acc else None,
        "application_due": _iso(window_end),
        "applied": _iso(acc.applied) if acc else None,
        "visit": _iso(acc.visit) if acc else None,
        "outcome": acc.outcome if acc else None,
        "awarded": _iso(acc.awarded) if acc else None,
        "expires": _iso(expires),
        "expires_default": bool(acc and expires and acc.expires_given is None),
        "reaccreditation_opens": _iso(
            add_months(expires, -result.programme.reaccreditation_opens_months) if expires else None
        ),
        "actions": {
            "total": len(actions),
            "done": len(actions) - len(open_actions),
            "open": len(open_actions),
            "overdue": sum(1 for a in open_actions if a.due < result.as_of),
            "items": [
                {
                    "id": a.id,
                    "standard": a.standard,
                    "action": a.action,
                    "owner": a.owner,
                    "due": a.due.isoformat(),
                    "done": _iso(a.done),
                    "overdue": a.done is None and a.due < result.as_of,
                }
                for a in actions
            ],
        },
        "eligibility": [dict(row) for row in result.eligibility],
        "due": [d.as_dict(result.as_of) for d in result.due],
        "findings": [f.as_dict() for f in result.findings],
    }


def accreditation_summary(
    ws: Workspace,
    as_of: dt.date,
    *,
    within: int = DEFAULT_WITHIN_DAYS,
    found: AccreditationFile | None = None,
) -> dict[str, Any]:
    """The accreditation object for readiness.json and the HTML timeline (see `summary`).

    When reporting on a commit, pass `found=parse(bytes)` of its accreditation.yaml, or
    `found=NO_FILE` when it has none; by default the working tree's file is read.
    """
    return summary(status(ws, as_of, within, found))
