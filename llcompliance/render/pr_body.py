"""The assessor's pull-request body: one `###` heading per standard, cut to GitHub's limit."""

from __future__ import annotations

import json
from collections.abc import Mapping

from llcompliance.assessor.diff import ReportDiff
from llcompliance.assessor.outcomes import ASSESSMENTS_DIR, disagrees
from llcompliance.assessor.signer import ALLOWED_SIGNERS
from llcompliance.core.explain import checklist, other_reasons
from llcompliance.core.states import READY
from llcompliance.errors import UsageError
from llcompliance.render.diff import evidence_words, render_diff_markdown, state_arrow
from llcompliance.render.markup import md_code, md_link, md_text
from llcompliance.render.outcomes import OUTCOME_WORDS
from llcompliance.render.readiness_md import checklist_md
from llcompliance.render.states import MARK
from llcompliance.report import build as report
from llcompliance.report import signing
from llcompliance.report.model import (
    Assessment,
    Cycle,
    EvidenceEntry,
    FindingEntry,
    PlannedAction,
    Report,
    Standard,
)

GITHUB_BODY_LIMIT = 65_536  # GitHub refuses a pull-request body longer than this
DIFF_ITEMS = 25  # per list in the PR body; the full lists are in `llcompliance diff`

_ITEM_MARK = {"ok": "✓", "due-soon": "!", "expired": "✕", "invalid": "✕", "unresolved": "✕"}


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
    if data.accreditation is not None and data.accreditation.open_actions():
        head.append(_actions_block(data.accreditation, {s.id for s in data.standards}))
    standards: list[tuple[str, str]] = []
    for section in data.sections:
        members = [s for s in data.standards if s.section == section.id]
        for index, std in enumerate(members):
            block = _with_actions(
                _standard_block(std, base_url, data.files, previous), std.id, data.accreditation
            )
            if index == 0:
                block = (
                    f"## {md_text(section.title)}: "
                    f"{section.ready} of {section.total} ready\n\n" + block
                )
            standards.append((std.id, block))
    placed = {sid for sid, _ in standards}
    standards += [
        (
            s.id,
            _with_actions(
                _standard_block(s, base_url, data.files, previous), s.id, data.accreditation
            ),
        )
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
        "In a clone of the evidence repo with this branch checked out (checks the signature "
        "and that the signer is the service, every file of the report folder, every file digest "
        f"against commit {md_code(data.source.commit[:12])}, then rebuilds the report and "
        "compares bytes; it also prints the report's date and its commit's):",
        "",
        "```",
        f"llcompliance verify {folder} --allowed-signers allowed_signers --principal {who} "
        "--rebuild",
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
    items = checklist(_as_entry(std))
    reasons = other_reasons({"reasons": std.reasons}, items)
    if items:
        lines += [f"**What {md_text(std.id)} requires**", ""] + checklist_md(items) + [""]
    if reasons and (state != READY or len(reasons) > 1):
        lines += [f"- {md_text(r)}" for r in reasons] + [""]
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


def _as_entry(std: Standard) -> dict[str, object]:
    """The fields core.explain.checklist reads, shaped as in readiness.json."""
    return {
        "id": std.id,
        "reasons": list(std.reasons),
        "requirements": [
            {"kinds": list(r.kinds), "met": r.met, "ids": list(r.ids)} for r in std.requirements
        ],
        "evidence": [
            {
                "id": e.id,
                "evidence_kind": e.evidence_kind,
                "counts": e.counts,
                "state": e.state,
                "problems": list(e.problems),
                "date": e.date,
            }
            for e in std.evidence
        ],
    }


def _action_words(action: PlannedAction) -> str:
    text = f"**{md_text(action.id)}** {md_text(action.action)}"
    if action.owner:
        text += f" ({md_text(action.owner)})"
    return text + (
        f", **overdue** since {md_text(action.due)}"
        if action.overdue
        else f", due {md_text(action.due)}"
    )


def _with_actions(block: str, standard_id: str, cycle: Cycle | None) -> str:
    """A standard's block with an "Open actions" line from the action plan, before its checkbox."""
    actions = cycle.open_actions(standard_id) if cycle is not None else ()
    if not actions:
        return block
    line = "**Open actions:** " + "; ".join(_action_words(a) for a in actions) + ".\n\n"
    at = block.rfind("- [ ] ")
    return block[:at] + line + block[at:] if at >= 0 else block + "\n" + line


def _actions_block(cycle: Cycle, standards: set[str]) -> str:
    """The action plan in brief: counts, and the open actions no standard below carries."""
    open_actions = cycle.open_actions()
    overdue = sum(1 for a in open_actions if a.overdue)
    lines = [
        "## Action plan",
        "",
        f"{len(open_actions)} open action{'s' * (len(open_actions) != 1)}"
        + (f", **{overdue} overdue**" if overdue else "")
        + f", from {md_code('accreditation.yaml')}: each is listed under its standard below.",
    ]
    loose = [a for a in open_actions if a.standard not in standards]
    if loose:
        lines += ["", "Not tied to a standard:", ""]
        lines += [f"- {_action_words(a)}" for a in loose]
    return "\n".join(lines) + "\n"


def _finding_line(finding: FindingEntry) -> str:
    where = f"{finding.path}:{finding.line}"
    return f"- {md_code(where)} {md_text(finding.rule)}: {md_text(finding.message)}"


def _changed_lines(standard_id: str, previous: ReportDiff) -> list[str]:
    lines: list[str] = []
    change = previous.state_change(standard_id)
    if change is not None:
        lines.append(f"**Changed since the last report:** {md_text(state_arrow(change))}.")
    items = previous.evidence_change(standard_id)
    if items is not None:
        lines.append(
            f"Evidence since the last report: {md_text('; '.join(evidence_words(items)))}."
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
    words = md_text(OUTCOME_WORDS.get(outcome, outcome))
    if assessment.signed:
        text = f"Assessor's outcome, signed by {md_text(assessment.signed_by)}: **{words}**"
    else:  # written into the service's own repo: not an assessor's word without a signature
        text = f"Outcome recorded by the service, unsigned: **{words}**"
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
