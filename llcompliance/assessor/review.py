"""The assessor's side: what changed between reports, the PR body, outcomes beside coverage."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from llcompliance.core import catalogue as catalogue_mod
from llcompliance.core import config as config_mod
from llcompliance.core.coverage import Coverage
from llcompliance.core.findings import Finding
from llcompliance.core.states import ATTENTION, GAP, READY, STATE_RANK
from llcompliance.core.workspace import Workspace
from llcompliance.errors import SignatureError, UsageError
from llcompliance.render.markup import md_code, md_link, md_text
from llcompliance.render.states import MARK, words
from llcompliance.report import build as report
from llcompliance.report import model as readiness
from llcompliance.report import signing
from llcompliance.report.model import Assessment, EvidenceEntry, FindingEntry, Report, Standard

GITHUB_BODY_LIMIT = 65_536  # GitHub refuses a pull-request body longer than this
REPORT_BRANCH = "readiness/report"  # the template's workflow opens the assessor's PR from it
ASSESSMENTS_DIR = "assessments/"
ALLOWED_SIGNERS = ".llcompliance/allowed_signers"  # the repo's own list: a hint, never a proof
OUTCOMES = ("met", "further-evidence", "not-met")
NOT_ASSESSED = "not-assessed"
DIFF_ITEMS = 25  # per list in the PR body; the full lists are in `llcompliance diff`

_ITEM_MARK = {"ok": "✓", "due-soon": "!", "expired": "✕", "invalid": "✕", "unresolved": "✕"}
_OUTCOME_WORDS = {"met": "met", "further-evidence": "further evidence", "not-met": "not met"}


# --- reading a report ----------------------------------------------------------------------------


# --- what changed between two reports ------------------------------------------------------------


@dataclass(frozen=True)
class StateChange:
    """A standard whose state differs between two reports (None: not in that report)."""

    id: str
    title: str
    before: str | None
    after: str | None

    @property
    def better(self) -> bool:
        """True when the standard moved towards ready."""
        return STATE_RANK.get(self.after or "", -1) > STATE_RANK.get(self.before or "", -1)


@dataclass(frozen=True)
class EvidenceChange:
    """Evidence ids listed for one standard that were added, removed or whose file changed."""

    standard: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    edited: tuple[str, ...]


@dataclass(frozen=True)
class ReportDiff:
    """What changed from one readiness report (before) to another (after)."""

    before_as_of: str
    after_as_of: str
    before_commit: str
    after_commit: str
    summary_before: dict[str, int]
    summary_after: dict[str, int]
    states: tuple[StateChange, ...]
    evidence: tuple[EvidenceChange, ...]
    files_added: tuple[str, ...]
    files_removed: tuple[str, ...]
    files_edited: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when no standard changed state, no evidence and no file changed."""
        return not (
            self.states
            or self.evidence
            or self.files_added
            or self.files_removed
            or self.files_edited
        )

    def state_change(self, standard_id: str) -> StateChange | None:
        """The change of one standard's state, if it changed."""
        return next((c for c in self.states if c.id == standard_id), None)

    def evidence_change(self, standard_id: str) -> EvidenceChange | None:
        """The evidence changes listed under one standard, if any."""
        return next((c for c in self.evidence if c.standard == standard_id), None)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able dict (for `diff --format json`)."""
        return {
            "before": {
                "as_of": self.before_as_of,
                "commit": self.before_commit,
                "summary": self.summary_before,
            },
            "after": {
                "as_of": self.after_as_of,
                "commit": self.after_commit,
                "summary": self.summary_after,
            },
            "states": [asdict(c) for c in self.states],
            "evidence": [
                {
                    "standard": c.standard,
                    "added": list(c.added),
                    "removed": list(c.removed),
                    "edited": list(c.edited),
                }
                for c in self.evidence
            ],
            "files": {
                "added": list(self.files_added),
                "removed": list(self.files_removed),
                "edited": list(self.files_edited),
            },
            "notes": list(self.notes),
        }


def _evidence_map(std: Standard | None) -> dict[str, tuple[str, str]]:
    if std is None:
        return {}
    return {e.id: (e.path, e.sha256) for e in std.evidence}


def _changed_keys(before: Mapping[str, object], after: Mapping[str, object]) -> tuple[str, ...]:
    return tuple(sorted(k for k in set(before) & set(after) if before[k] != after[k]))


def diff_reports(old: Report, new: Report) -> ReportDiff:
    """Compare two readiness reports: states, evidence per standard, every file's digest."""
    old_std = {s.id: s for s in old.standards}
    new_std = {s.id: s for s in new.standards}
    order = list(new_std) + [sid for sid in old_std if sid not in new_std]
    states: list[StateChange] = []
    evidence: list[EvidenceChange] = []
    for sid in order:
        before, after = old_std.get(sid), new_std.get(sid)
        state_before = before.state if before else None
        state_after = after.state if after else None
        if state_before != state_after:
            title = next((s.title for s in (after, before) if s is not None), None)
            states.append(StateChange(sid, title or "", state_before, state_after))
        items_before, items_after = _evidence_map(before), _evidence_map(after)
        added = tuple(sorted(set(items_after) - set(items_before)))
        removed = tuple(sorted(set(items_before) - set(items_after)))
        edited = _changed_keys(items_before, items_after)
        if added or removed or edited:
            evidence.append(EvidenceChange(sid, added, removed, edited))
    files_before, files_after = old.files, new.files
    return ReportDiff(
        before_as_of=old.as_of,
        after_as_of=new.as_of,
        before_commit=old.source.commit,
        after_commit=new.source.commit,
        summary_before=old.summary.as_dict(),
        summary_after=new.summary.as_dict(),
        states=tuple(states),
        evidence=tuple(evidence),
        files_added=tuple(sorted(set(files_after) - set(files_before))),
        files_removed=tuple(sorted(set(files_before) - set(files_after))),
        files_edited=_changed_keys(files_before, files_after),
        notes=tuple(_notes(old, new)),
    )


def _notes(old: Report, new: Report) -> list[str]:
    notes = []
    fw_old, fw_new = old.framework, new.framework
    if (fw_old.id, fw_old.version) != (fw_new.id, fw_new.version):
        notes.append(
            f"the framework changed from {fw_old.id} {fw_old.version} to "
            f"{fw_new.id} {fw_new.version}: "
            "standards may differ for that reason"
        )
    if old.as_of != new.as_of:
        notes.append(
            f"the reports are judged on different dates ({old.as_of} and "
            f"{new.as_of}): review dates that passed in between change states too"
        )
    v_old, v_new = old.tool.version, new.tool.version
    if v_old != v_new:
        notes.append(
            f"the reports were made by different llcompliance versions ({v_old} and "
            f"{v_new}): some changes may come from the tool, not the evidence"
        )
    return notes


def diff_against_head(report_dir: Path, root: Path, as_of: dt.date | None = None) -> ReportDiff:
    """A previous report versus a fresh report of HEAD judged on `as_of` (default: today).

    Today, not the previous report's date, because the question is what a report made now says
    that the last one did not, and a review date that has passed since is such a change. Pass the
    previous report's as_of to see only what the commits changed.
    """
    old = readiness.load(report_dir)
    built = report.build(root, as_of or dt.date.today(), framework=_same_framework(root, old))
    diff = diff_reports(old, readiness.parse(built.data))
    return dataclasses.replace(diff, notes=built.warnings + diff.notes)


def _same_framework(root: Path, old: Report) -> str | None:
    """The previous report's catalogue when this repo still configures it, else the default."""
    config = config_mod.load(root)
    configured = {catalogue_mod.load(spec, root).id for spec in config.catalogues}
    return old.framework.id if old.framework.id in configured else None


def _arrow(change: StateChange) -> str:
    return f"{change.before or 'not in the report'} → {change.after or 'not in the report'}"


def _evidence_words(change: EvidenceChange) -> list[str]:
    parts = []
    verbs = (("added", change.added), ("edited", change.edited), ("removed", change.removed))
    for verb, ids in verbs:
        if ids:
            parts.append(f"{verb} {', '.join(ids)}")
    return parts


def _summary_line(diff: ReportDiff) -> str:
    b, a = diff.summary_before, diff.summary_after
    return (
        f"Ready: {b[READY]} → {a[READY]} of {a['total']}; "
        f"attention {b[ATTENTION]} → {a[ATTENTION]}; gaps {b[GAP]} → {a[GAP]}"
    )


def render_diff_text(diff: ReportDiff) -> str:
    """The changes in plain English ("SP4: attention → ready", "Edited: policies/x.md")."""
    lines = [
        f"Since the report of {diff.before_as_of} (commit {diff.before_commit[:12]}), "
        f"compared with {diff.after_as_of} (commit {diff.after_commit[:12]}):",
        _summary_line(diff),
    ]
    if diff.empty:
        lines.append("Nothing changed: no standard changed state and no file changed.")
    if diff.states:
        lines += ["", "Standards whose state changed:"]
        lines += [f"  {c.id}: {_arrow(c)}" for c in diff.states]
    if diff.evidence:
        lines += ["", "Evidence added, removed or edited:"]
        lines += [f"  {c.standard}: {'; '.join(_evidence_words(c))}" for c in diff.evidence]
    if diff.files_added or diff.files_edited or diff.files_removed:
        lines += ["", "Files:"]
        lines += [f"  Added: {p}" for p in diff.files_added]
        lines += [f"  Edited: {p}" for p in diff.files_edited]
        lines += [f"  Removed: {p}" for p in diff.files_removed]
    if diff.notes:
        lines.append("")
        lines += [f"Note: {n}" for n in diff.notes]
    return "\n".join(lines)


def render_diff_markdown(
    diff: ReportDiff, *, base_url: str | None = None, max_items: int | None = None
) -> str:
    """The changes as a Markdown section; with `base_url`, added and edited files are links."""
    b, a = diff.summary_before, diff.summary_after
    lines = [
        "## What changed since the last report",
        "",
        f"Compared with the report of {md_text(diff.before_as_of)} at commit "
        f"{md_code(diff.before_commit[:12])}: "
        f"**{b[READY]} → {a[READY]} of {a['total']} ready** · attention {b[ATTENTION]} → "
        f"{a[ATTENTION]} · gaps {b[GAP]} → {a[GAP]}",
        "",
    ]
    if diff.empty:
        lines += ["Nothing changed: no standard changed state and no file changed.", ""]
    if diff.states:
        lines += ["| Standard | Before | After |", "|---|---|---|"]
        for c in diff.states:
            lines.append(
                f"| {md_text(c.id)} — {md_text(c.title)} | {words(c.before)} | {words(c.after)} |"
            )
        lines.append("")
    if diff.evidence:
        lines += ["**Evidence added, removed or edited**", ""]
        lines += _capped(
            [
                f"- {md_text(c.standard)}: {md_text('; '.join(_evidence_words(c)))}"
                for c in diff.evidence
            ],
            max_items,
        )
        lines.append("")
    if diff.files_added or diff.files_edited or diff.files_removed:
        lines += ["**Files**", ""]
        lines += _capped([f"- Added: {_file(p, base_url)}" for p in diff.files_added], max_items)
        lines += _capped([f"- Edited: {_file(p, base_url)}" for p in diff.files_edited], max_items)
        lines += _capped([f"- Removed: {md_text(p)}" for p in diff.files_removed], max_items)
        lines.append("")
    if diff.notes:
        lines += [f"_Note: {md_text(n)}_" for n in diff.notes] + [""]
    return "\n".join(lines)


def _file(path: str, base_url: str | None) -> str:
    """A repo file as a link when there is a base to link from, else as literal text."""
    return md_text(path) if base_url is None else md_link(path, base_url, path)


def _capped(lines: list[str], limit: int | None) -> list[str]:
    if limit is None or len(lines) <= limit:
        return lines
    return lines[:limit] + [f"- … and {len(lines) - limit} more (run `llcompliance diff` for all)"]


# --- the pull-request body -----------------------------------------------------------------------


def _short_name(data: Report) -> str:
    return data.framework.short_name or "Leading Lights"


def pr_title(data: Report) -> str:
    """A one-line pull-request title: the date and how many standards are ready."""
    s = data.summary
    return (
        f"{_short_name(data)} readiness report {data.as_of}: {s.ready} of {s.total} standards ready"
    )


def pr_body(
    data: Report,
    *,
    base_url: str,
    previous: ReportDiff | None = None,
    limit: int = GITHUB_BODY_LIMIT,
    full_report_url: str | None = None,
    fingerprint: str | None = None,
    principal: str | None = None,
    report_path: str | None = None,
    signed: bool | None = None,
    signer_problem: str | None = None,
) -> str:
    """The assessor's pull-request body, one `###` heading per standard, never longer than `limit`.

    `base_url` + a repo path links a file at the report's commit. `report_path` is the report
    folder in the repo (e.g. reports/2026-11-23-1a2b3c4), used in the commands shown. Beyond
    `limit`, whole standards are left off and the last line links `full_report_url`.
    `signed=False` warns the assessor that the report cannot be checked; `signer_problem` says
    why the signer could not be checked against the repo's own allowed_signers.
    """
    if previous is not None and previous.after_commit != data.source.commit:
        previous_links: str | None = None  # not this report's commit: its files may not exist here
    else:
        previous_links = base_url
    head = [_head_block(data)]
    if previous is not None:
        head.append(render_diff_markdown(previous, base_url=previous_links, max_items=DIFF_ITEMS))
    head.append(_verify_block(data, fingerprint, principal, report_path, signed, signer_problem))
    head.append(_record_block(data, report_path))
    standards: list[tuple[str, str]] = []
    for section in data.sections:
        members = [s for s in data.standards if s.section == section.id]
        for index, std in enumerate(members):
            block = _standard_block(std, base_url, data.files, previous)
            if index == 0:
                block = (
                    f"## {md_text(section.title)}: "
                    f"{section.ready} of {section.total} ready\n\n" + block
                )
            standards.append((std.id, block))
    placed = {sid for sid, _ in standards}
    standards += [
        (s.id, _standard_block(s, base_url, data.files, previous))
        for s in data.standards
        if s.id not in placed
    ]
    tail = _footer_block(data)
    blocks = head + [b for _, b in standards]
    body = _join([*blocks, "---", tail])
    if len(body) <= limit:
        return body
    for keep in range(len(blocks) - 1, 0, -1):  # whole blocks only: a cut never splits a line
        shown = max(0, keep - len(head))
        left_off = [sid for sid, _ in standards[shown:]]
        cut = _cut_block(data, limit, shown, left_off, full_report_url, report_path)
        body = _join([*blocks[:keep], "---", cut, tail])
        if len(body) <= limit:
            return body
    raise UsageError(
        f"a limit of {limit:,} characters is too small for a pull-request body: "
        "allow at least a few thousand characters"
    )


def _join(blocks: list[str]) -> str:
    return "\n".join(b.rstrip("\n") + "\n" for b in blocks)


def _head_block(data: Report) -> str:
    s, fw = data.summary, data.framework
    title = fw.title if fw.title is not None else fw.id
    lines = [
        f"# {md_text(data.service.name)}: {md_text(_short_name(data))} readiness on {data.as_of}",
        "",
        f"**{s.ready} of {s.total} standards ready** · {s.attention} need attention · "
        f"{s.gap} gap{'s' * (s.gap != 1)}",
        "",
        f"Framework: {md_text(title)} ({md_text(fw.id)} {md_text(fw.version)}). "
        f"Evidence at commit {md_code(data.source.commit[:12])}, judged on {data.as_of}. "
        f"Made by llcompliance {md_text(data.tool.version)}.",
        "",
        "| Section | Ready | Attention | Gap |",
        "|---|---|---|---|",
    ]
    for section in data.sections:
        lines.append(
            f"| {md_text(section.title)} | {section.ready}/{section.total} | "
            f"{section.attention} | {section.gap} |"
        )
    return "\n".join(lines) + "\n"


def _verify_block(
    data: Report,
    fingerprint: str | None,
    principal: str | None,
    report_path: str | None,
    signed: bool | None,
    signer_problem: str | None = None,
) -> str:
    folder = report_path or "REPORT_DIR"
    who = principal or "PRINCIPAL"
    lines = ["## Check the report is genuine", ""]
    if signed is False:
        lines += [
            f"**This report is not signed** (there is no {md_code(report.SIG_NAME)}), so nobody "
            "can check it is genuine. Ask the service to add its signing key (the "
            f"{md_code('LLCOMPLIANCE_SIGNING_KEY')} secret) and run the readiness workflow again.",
            "",
        ]
    lines += [
        "Before relying on this report, check its signature. Get the service's signing key and "
        "its fingerprint **from the service itself, by phone, e-mail or in person: never from "
        "this pull request**, since whoever can change this pull request can change "
        f"{md_code(ALLOWED_SIGNERS)} in it too. Put the key in a file of your own "
        f"called {md_code('allowed_signers')} (one line: {md_code(f'{who} ssh-ed25519 AAAA…')}).",
        "",
    ]
    if signer_problem:
        lines += [
            f"The signer could not be checked against this repo's {md_code(ALLOWED_SIGNERS)}: "
            f"{md_text(signer_problem)}. Check the signature yourself as below.",
            "",
        ]
    if fingerprint:
        lines += [
            f"The signature names the key {md_code(fingerprint)}: trust the report only if that "
            "is the fingerprint the service gave you.",
            "",
        ]
    lines += [
        "In a clone of the evidence repo with this branch checked out (checks the signature, "
        f"then every file digest against commit {md_code(data.source.commit[:12])}, then "
        "rebuilds the report and compares bytes):",
        "",
        "```",
        f"llcompliance verify {folder} --allowed-signers allowed_signers --rebuild",
        "```",
        "",
        f"Or with plain OpenSSH, in the report folder {md_code(folder)} (checks the signature "
        "only):",
        "",
        "```",
        f"ssh-keygen -Y verify -f allowed_signers -I {who} -n {signing.NAMESPACE} "
        f"-s {report.SIG_NAME} < {report.JSON_NAME}",
        "```",
    ]
    if principal is None:
        lines += [
            "",
            f"{md_code('PRINCIPAL')} is the name at the start of the line in your "
            f"{md_code('allowed_signers')} file (usually the service's e-mail address).",
        ]
    return "\n".join(lines) + "\n"


def _record_block(data: Report, report_path: str | None) -> str:
    first = data.standards[0].id if data.standards else "SP1"
    lines = [
        "## For the assessor",
        "",
        "Each standard below has its own heading: comment on it in this pull request's review, and "
        "tick its box when you have reviewed it. Record your outcome for each standard in a file "
        f"{md_code(ASSESSMENTS_DIR + '<date>-<assessor>.yaml')} (for example "
        f"{md_code(ASSESSMENTS_DIR + '2027-02-14-a-assessor.yaml')}), added to this branch or sent "
        "to the service to commit:",
        "",
        "```yaml",
        "assessor: Your name",
        "organisation: Your organisation",
        "date: YYYY-MM-DD",
    ]
    if report_path:
        lines.append(f"report: {json.dumps(report_path)}")
    lines += [
        "findings:",
        f"  - standard: {first}",
        "    outcome: met            # met | further-evidence | not-met",
        "    comment: What you found, in a sentence or two.",
        "```",
        "",
        "The service then sees your outcomes beside its own coverage with "
        f"{md_code('llcompliance assess')}.",
    ]
    return "\n".join(lines) + "\n"


def _standard_block(
    std: Standard, base_url: str, files: Mapping[str, str], previous: ReportDiff | None
) -> str:
    state = std.state
    lines = [
        f"### {md_text(std.id)} — {md_text(std.title or '')}: {MARK.get(state, '')} {state}",
        "",
    ]
    if std.statement:
        lines += [f"> {md_text(std.statement)}", ""]
    own = f"Self-assessment: **{md_text(std.status)}**"
    if std.self_assessment and std.self_assessment in files:
        own += f" — {md_link(std.self_assessment, base_url, std.self_assessment)}"
    lines += [own, ""]
    if previous is not None:
        lines += _changed_lines(std.id, previous)
    if std.reasons and (state != READY or len(std.reasons) > 1):
        lines += [f"- {md_text(r)}" for r in std.reasons] + [""]
    if std.evidence:
        lines += ["**Evidence**", ""]
        lines += [_evidence_line(e, base_url, files) for e in std.evidence] + [""]
    else:
        lines += ["No policy or evidence lists this standard.", ""]
    if std.findings:
        lines += ["**Problems found by validation**", ""]
        lines += [_finding_line(f) for f in std.findings] + [""]
    if std.assessment is not None:
        lines += [_assessment_line(std.assessment, state, base_url, files), ""]
    lines.append(f"- [ ] {md_text(std.id)} reviewed")
    return "\n".join(lines) + "\n"


def _finding_line(finding: FindingEntry) -> str:
    where = f"{finding.path}:{finding.line}"
    return f"- {md_code(where)} {md_text(finding.rule)}: {md_text(finding.message)}"


def _changed_lines(standard_id: str, previous: ReportDiff) -> list[str]:
    lines: list[str] = []
    change = previous.state_change(standard_id)
    if change is not None:
        lines.append(f"**Changed since the last report:** {md_text(_arrow(change))}.")
    items = previous.evidence_change(standard_id)
    if items is not None:
        lines.append(
            f"Evidence since the last report: {md_text('; '.join(_evidence_words(items)))}."
        )
    return [part for line in lines for part in (line, "")]


def _evidence_line(item: EvidenceEntry, base_url: str, files: Mapping[str, str]) -> str:
    state = item.state or ""
    text = (
        f"- {_ITEM_MARK.get(state, '•')} {md_text(state)} · **{md_text(item.id)}**: "
        f"{md_text(item.title or '')} — "
    )
    text += md_link(item.path, base_url, item.path) if item.path in files else md_text(item.path)
    if item.review_due:
        text += f", review due {md_text(item.review_due)}"
    location = item.location
    if item.kind == "evidence" and location and location != item.path:
        if location in files:
            text += f"; file: {md_link(location, base_url, location)}"
        elif state == "unresolved":
            text += f"; points at {md_text(location)}, which cannot be found"
        else:
            text += f"; held outside the repo: {md_text(location)}"
    if item.how:
        text += f". How: {md_text(item.how)}"
    return text


def _assessment_line(
    assessment: Assessment, state: str, base_url: str, files: Mapping[str, str]
) -> str:
    outcome = assessment.outcome or ""
    who = ", ".join(md_text(x) for x in (assessment.assessor, assessment.date) if x)
    where = assessment.path
    if where and where in files:
        link = md_link(where, base_url, where)
        who = f"{who}; {link}" if who else link
    text = f"Assessor's recorded outcome: **{md_text(_OUTCOME_WORDS.get(outcome, outcome))}**"
    if who:
        text += f" ({who})"
    if assessment.comment:
        text += f" — {md_text(assessment.comment)}"
    if disagrees(state, outcome):
        text += (
            f". **The service's coverage now says {state}**: "
            "look at what changed before confirming either."
        )
    return text


def _cut_block(
    data: Report,
    limit: int,
    shown: int,
    left_off: list[str],
    full_report_url: str | None,
    report_path: str | None,
) -> str:
    if full_report_url:
        where = f"in the [full report]({full_report_url})"
    elif report_path:
        where = f"in {md_code(report_path.rstrip('/') + '/' + report.MD_NAME)} on this branch"
    else:
        where = f"in {md_code(report.MD_NAME)} in the report folder on this branch"
    ids = ", ".join(left_off)
    return (
        f"**Cut to fit the {limit:,}-character limit for a pull-request body: {shown} of "
        f"{len(data.standards)} standards are shown here.** Read the rest ({md_text(ids)}) "
        f"{where}.\n"
    )


def _footer_block(data: Report) -> str:
    lines: list[str] = []
    if data.framework.attribution:
        lines += [f"_{md_text(data.framework.attribution)}_", ""]
    lines.append(
        f"Made by llcompliance {md_text(data.tool.version)} from commit "
        f"{md_code(data.source.commit[:12])}."
    )
    return "\n".join(lines) + "\n"


def default_links(
    report_dir: Path, root: Path, commit: str, server: str | None, repository: str | None
) -> tuple[str, str | None, str | None]:
    """(base_url, full_report_url, report_path) for pr-body: GitHub URLs in Actions, else relative.

    In Actions, files link to the report's commit and the full report to the report branch (the
    report folder is only on that branch); elsewhere, links are relative to the report folder.
    """
    base_url = report.link_base(report_dir, root, commit, server, repository)
    try:
        path: str | None = report_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        path = None
    full = None
    if server and repository and path:
        full = (
            f"{server.rstrip('/')}/{repository}/blob/{REPORT_BRANCH}/{quote(path)}/{report.MD_NAME}"
        )
    return base_url, full, path


@dataclass(frozen=True)
class SignerCheck:
    """Who signed the report by the repo's own allowed_signers, or why that could not be told."""

    verified: signing.Verified | None
    problem: str | None  # None when verified, or when there is nothing to check


def check_signer(report_dir: Path, root: Path) -> SignerCheck:
    """The signer by the repo's own allowed_signers: a hint for the PR, never fatal, not a proof."""
    sig = report_dir / report.SIG_NAME
    signers_file = root / ALLOWED_SIGNERS
    if not sig.is_file():
        return SignerCheck(None, None)
    if not signers_file.is_file():
        return SignerCheck(None, f"{ALLOWED_SIGNERS} does not exist")
    try:
        text = signers_file.read_text(encoding="utf-8")
        # Named repo-relative, so the line a reader is sent to is the one in their own clone.
        signers = signing.parse_allowed_signers(text, source=ALLOWED_SIGNERS)
        verified = signing.verify_signature(
            (report_dir / report.JSON_NAME).read_bytes(),
            sig.read_text(encoding="utf-8", errors="replace"),
            signers,
        )
    except UnicodeDecodeError:
        return SignerCheck(None, f"{ALLOWED_SIGNERS} is not UTF-8 text")
    except OSError as exc:
        return SignerCheck(None, f"cannot read it ({exc.strerror or exc})")
    except (UsageError, SignatureError) as exc:
        return SignerCheck(None, str(exc))
    return SignerCheck(verified, None)


@dataclass(frozen=True)
class PrBody:
    """What `pr-body` prints: the body, and warnings for the person running it."""

    body: str
    warnings: tuple[str, ...]


def pr_body_for(
    report_dir: Path,
    root: Path,
    *,
    previous_dir: Path | None = None,
    base_url: str | None = None,
    full_report_url: str | None = None,
    limit: int = GITHUB_BODY_LIMIT,
    server: str | None = None,
    repository: str | None = None,
) -> PrBody:
    """The whole `pr-body` command short of printing: load, compare, check the signer, render.

    `server` and `repository` are GitHub Actions' GITHUB_SERVER_URL and GITHUB_REPOSITORY.
    A signer that cannot be checked is a warning and a line in the body, never an error.
    """
    data = readiness.load(report_dir)
    default_base, default_full, report_path = default_links(
        report_dir, root, data.source.commit, server, repository
    )
    previous = None
    if previous_dir is not None:
        previous = diff_reports(readiness.load(previous_dir), data)
    signed = (report_dir / report.SIG_NAME).is_file()
    signer = check_signer(report_dir, root)
    warnings = []
    if not signed:
        warnings.append("the report is not signed: the assessor cannot check it is genuine")
    elif signer.verified is None:
        warnings.append(
            f"the report's signer could not be checked against {ALLOWED_SIGNERS} "
            f"({signer.problem}): run `llcompliance verify {report_dir} --allowed-signers "
            f"{ALLOWED_SIGNERS}`"
        )
    verified = signer.verified
    body = pr_body(
        data,
        base_url=base_url if base_url is not None else default_base,
        previous=previous,
        limit=limit,
        full_report_url=full_report_url or default_full,
        fingerprint=verified.fingerprint if verified else None,
        principal=verified.principal if verified else None,
        report_path=report_path,
        signed=signed,
        signer_problem=signer.problem if signed else None,
    )
    return PrBody(body, tuple(warnings))


# --- assessor outcomes beside coverage -----------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    """One standard: the service's own state beside the assessor's recorded outcome."""

    id: str
    section: str
    title: str
    state: str
    outcome: str | None
    comment: str | None
    date: str | None
    assessor: str | None
    path: str | None
    disagrees: bool

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able dict."""
        return asdict(self)


def disagrees(state: str, outcome: str | None) -> bool:
    """True when we say ready but the outcome is not met, or the outcome is met but we say gap."""
    return (state == READY and outcome == "not-met") or (outcome == "met" and state == GAP)


def outcomes_table(ws: Workspace, cov: Coverage) -> list[OutcomeRow]:
    """Every standard in `cov` with the latest outcome recorded in assessments/*.yaml, if any."""
    rows = []
    for result in cov.standards:
        found = ws.outcomes.get(result.id)
        outcome = found.outcome if found else None
        rows.append(
            OutcomeRow(
                id=result.id,
                section=result.section,
                title=result.title,
                state=result.state,
                outcome=outcome,
                comment=found.comment if found else None,
                date=found.date if found else None,
                assessor=found.assessor if found else None,
                path=found.path if found else None,
                disagrees=disagrees(result.state, outcome),
            )
        )
    return rows


def outcome_summary(rows: list[OutcomeRow]) -> dict[str, int]:
    """How many standards have each outcome (`not-assessed`: none recorded yet)."""
    counts = dict.fromkeys((*OUTCOMES, NOT_ASSESSED), 0)
    for row in rows:
        key = row.outcome if row.outcome in counts else NOT_ASSESSED
        counts[key or NOT_ASSESSED] += 1
    return counts


def outcomes_dict(rows: list[OutcomeRow]) -> dict[str, Any]:
    """`summary`, `disagreements` and `standards`, JSON-able (for `assess --format json`)."""
    return {
        "summary": outcome_summary(rows),
        "disagreements": sum(1 for r in rows if r.disagrees),
        "standards": [r.as_dict() for r in rows],
    }


def assessment_problems(ws: Workspace) -> list[Finding]:
    """Findings in assessments/*.yaml: an invalid file's outcomes are left out, so say why."""
    return [f for f in ws.findings if f.path.startswith(ASSESSMENTS_DIR)]


def disagreement_advice(row: OutcomeRow) -> str:
    """What a disagreement means and what to do about it, in plain English."""
    if row.outcome == "not-met":
        return (
            f"{row.id}: your coverage says ready but the assessor found it not met: read their "
            "comment, strengthen the evidence, then ask them to look again"
        )
    return (
        f"{row.id}: the assessor found it met but your coverage says gap: check its evidence "
        f"is still listed, valid and in date (`llcompliance explain {row.id}`)"
    )


def render_outcomes_text(rows: list[OutcomeRow]) -> str:
    """Each standard's state beside the assessor's outcome, then counts and any disagreements."""
    width = max((len(r.title) for r in rows), default=0)
    idw = max((len(r.id) for r in rows), default=0)
    lines = [f"{'':{idw}}  {'Standard':{width}}  {'Yours':11}  Assessor"]
    for r in rows:
        outcome = _OUTCOME_WORDS.get(r.outcome or "", "not assessed")
        detail = ", ".join(x for x in (r.assessor, r.date) if x)
        line = f"{r.id:{idw}}  {r.title:{width}}  {MARK[r.state]} {r.state:9}  {outcome}"
        if detail:
            line += f" ({detail})"
        if r.disagrees:
            line += "  ← disagrees"
        lines.append(line)
        if r.comment:
            lines += [f"{'':{idw}}    “{' '.join(r.comment.split())}”"]
    counts = outcome_summary(rows)
    assessed = len(rows) - counts[NOT_ASSESSED]
    lines.append("")
    if not assessed:
        lines.append(
            f"No assessor outcomes yet: your assessor records them in "
            f"{ASSESSMENTS_DIR}<date>-<assessor>.yaml (see {ASSESSMENTS_DIR}README.md)."
        )
        return "\n".join(lines)
    lines.append(
        f"Assessor outcomes: {counts['met']} met, {counts['further-evidence']} further evidence, "
        f"{counts['not-met']} not met; {counts[NOT_ASSESSED]} of {len(rows)} not assessed."
    )
    disagreeing = [r for r in rows if r.disagrees]
    if disagreeing:
        lines += [
            "",
            f"{len(disagreeing)} disagreement{'s' * (len(disagreeing) != 1)} "
            "between the assessor and your coverage:",
        ]
        lines += [f"  {disagreement_advice(r)}" for r in disagreeing]
    return "\n".join(lines)
