"""What changed between two reports, in words: plain text for the terminal, Markdown for a PR."""

from __future__ import annotations

from llcompliance.assessor.diff import EvidenceChange, ReportDiff, StateChange
from llcompliance.core.states import ATTENTION, GAP, READY
from llcompliance.render.markup import md_code, md_link, md_text
from llcompliance.render.states import words


def state_arrow(change: StateChange) -> str:
    """`attention → ready`, or `not in the report` on the side the standard is missing."""
    return f"{change.before or 'not in the report'} → {change.after or 'not in the report'}"


def evidence_words(change: EvidenceChange) -> list[str]:
    """`added X, Y`, `edited Z`, `removed W`: one phrase per kind of change there is."""
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
        lines += [f"  {c.id}: {state_arrow(c)}" for c in diff.states]
    if diff.evidence:
        lines += ["", "Evidence added, removed or edited:"]
        lines += [f"  {c.standard}: {'; '.join(evidence_words(c))}" for c in diff.evidence]
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
                f"- {md_text(c.standard)}: {md_text('; '.join(evidence_words(c)))}"
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
