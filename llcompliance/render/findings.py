"""Reporters: render findings and coverage as text, JSON, GitHub workflow commands, SARIF, Markdown."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from llcompliance import __version__
from llcompliance.core.findings import ERROR, WARNING, Finding
from llcompliance.core.states import ATTENTION, GAP, READY
from llcompliance.render.markup import md_text
from llcompliance.render.states import LOOKS, words

if TYPE_CHECKING:  # the coverage stack is imported only by commands that compute coverage
    from llcompliance.core.coverage import Coverage, Regression
    from llcompliance.guard.scan import ScanReport

FINDING_FORMATS = ("text", "json", "github", "sarif")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_ANSI = {
    "red": "\033[31m",
    "yellow": "\033[33m",
    "green": "\033[32m",
    "bold": "\033[1m",
    "dim": "\033[2m",
}
_RESET = "\033[0m"


def paint(text: str, colour: str, enabled: bool) -> str:
    """Wrap text in an ANSI colour when colour is enabled."""
    return f"{_ANSI[colour]}{text}{_RESET}" if enabled else text


def shown(findings: Sequence[Finding]) -> list[Finding]:
    """Findings as people may see them: a path or message quoting a document's value that looks
    like personal data shows it masked (scan's own messages are masked already)."""
    if not findings:
        return []
    from llcompliance.guard.mask import mask_text  # only when there is something to show

    return [f._replace(path=mask_text(f.path), message=mask_text(f.message)) for f in findings]


def findings_text(findings: Sequence[Finding], *, color: bool = False, summary: str = "") -> str:
    """One finding per line, `path:line: rule-id: message`, then a count."""
    findings = shown(findings)
    lines = []
    for f in findings:
        rule = paint(f.rule, "red" if f.severity == ERROR else "yellow", color)
        prefix = "" if f.severity == ERROR else f"{f.severity}: "
        lines.append(f"{f.path}:{f.line}: {rule}: {prefix}{f.message}")
    errors = sum(1 for f in findings if f.severity == ERROR)
    warnings = sum(1 for f in findings if f.severity == WARNING)
    if findings:
        lines.append(
            f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        )
    if summary:
        lines.append(summary)
    return "\n".join(lines)


def findings_json(findings: Sequence[Finding], **extra: Any) -> str:
    """`{"findings": [...]}` (plus any summary keys)."""
    findings = shown(findings)
    return json.dumps(
        {"findings": [f.as_dict() for f in findings], **extra}, indent=2, ensure_ascii=False
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def findings_github(findings: Sequence[Finding]) -> str:
    """GitHub Actions workflow commands that annotate files in a pull request."""
    findings = shown(findings)
    level = {ERROR: "error", WARNING: "warning"}
    return "\n".join(
        f"::{level.get(f.severity, 'notice')} file={_escape_property(f.path)},line={f.line},"
        f"title={_escape_property('llcompliance ' + f.rule)}::{_escape_data(f.message)}"
        for f in findings
    )


def findings_sarif(findings: Sequence[Finding], rules: dict[str, str] | None = None) -> str:
    """A SARIF 2.1.0 log, for code scanning."""
    findings = shown(findings)
    rule_ids = sorted({f.rule for f in findings} | set(rules or {}))
    level = {ERROR: "error", WARNING: "warning"}
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "llcompliance",
                        "version": __version__,
                        "rules": [
                            {"id": r, "shortDescription": {"text": (rules or {}).get(r, r)}}
                            for r in rule_ids
                        ],
                    }
                },
                "results": [
                    {
                        "ruleId": f.rule,
                        "ruleIndex": rule_ids.index(f.rule),
                        "level": level.get(f.severity, "note"),
                        "message": {"text": f.message},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": f.path},
                                    "region": {"startLine": max(f.line, 1)},
                                }
                            }
                        ],
                    }
                    for f in findings
                ],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)


def render_findings(
    findings: Sequence[Finding], fmt: str, *, color: bool = False, summary: str = "", **extra: Any
) -> str:
    """Findings in the chosen format."""
    if fmt == "json":
        return findings_json(findings, **extra)
    if fmt == "github":
        return findings_github(findings)
    if fmt == "sarif":
        return findings_sarif(findings)
    return findings_text(findings, color=color, summary=summary)


def coverage_text(
    cov: Coverage, service: str, *, color: bool = False, verbose: bool = False
) -> str:
    """A table a manager reads at a glance: per section, per standard, with the main reason."""
    summary = cov.counts()
    lines = [
        paint(f"{service}: readiness on {cov.as_of}", "bold", color),
        f"{cov.framework.title} ({cov.framework.id} {cov.framework.version})",
        f"{summary[READY]} of {summary['total']} standards ready · {summary[ATTENTION]} need attention · "
        f"{summary[GAP]} gap{'s' * (summary[GAP] != 1)}",
    ]
    width = max((len(s.title) for s in cov.standards), default=10)
    for section in cov.framework.sections:
        counts = cov.counts(section.id)
        lines.append("")
        lines.append(
            paint(f"{section.title}  {counts[READY]}/{counts['total']} ready", "bold", color)
        )
        for result in (r for r in cov.standards if r.section == section.id):
            look = LOOKS[result.state]
            mark = paint(f"{look.mark} {result.state:<9}", look.colour, color)
            reason = result.reasons[0] if result.reasons and result.state != READY else ""
            lines.append(f"  {result.id:<5} {result.title:<{width}}  {mark}  {reason}".rstrip())
            if verbose:
                lines.extend(f"  {'':<5} {'':<{width}}  {'':<11}  {r}" for r in result.reasons[1:])
    lines.append("")
    if summary[GAP] or summary[ATTENTION]:
        lines.append(
            "Next: `llcompliance explain ID` shows what a standard needs and what counts for it;"
        )
        lines.append(
            '      `llcompliance new policy --title "…" --standard ID` starts a policy for it.'
        )
    return _masked("\n".join(lines))


def coverage_markdown(cov: Coverage, service: str) -> str:
    """Coverage as a Markdown table (job summaries, PR bodies); every repo value escaped."""
    summary = cov.counts()
    lines = [
        f"### {md_text(service)}: {summary[READY]} of {summary['total']} standards ready "
        f"({md_text(cov.as_of)})",
        "",
        f"{summary[READY]} ready · {summary[ATTENTION]} need attention · {summary[GAP]} gaps",
        "",
        "| Standard | Title | State | Why |",
        "|---|---|---|---|",
    ]
    for result in cov.standards:
        reason = "; ".join(md_text(r) for r in result.reasons[:2])
        lines.append(
            f"| {md_text(result.id)} | {md_text(result.title)} | {words(result.state)} | {reason} |"
        )
    return _masked("\n".join(lines)) + "\n"


def regressions_text(found: Sequence[Regression]) -> str:
    """Lines naming each standard that got worse and why."""
    lines = []
    for r in found:
        why = "; ".join(r.reasons) or "see `llcompliance explain " + r.id + "`"
        lines.append(f"{r.id}: was {r.before}, would become {r.after}: {why}")
    if found:
        lines.append(
            "This change takes standards backwards. Restore the evidence, or if it is deliberate, "
            "commit with the coverage hook skipped: SKIP=llcompliance-coverage git commit …"
        )
    return "\n".join(lines)


def scan_text(result: ScanReport, *, color: bool = False, history: bool = False) -> str:
    """The guard's result for people: one line per finding (with the commits that added it, for
    --history), a summary, and what to do next."""
    lines = []
    for f in result.findings:
        line = findings_text([f], color=color).splitlines()[0]
        commits = result.commits.get((f.path, f.line, f.rule))
        if commits:
            line += f" (added in {', '.join(c[:10] for c in commits[:5])})"
        lines.append(line)
    errors = sum(1 for f in result.findings if f.severity == ERROR)
    files = result.files
    summary = f"{files} file{'s' * (files != 1)} scanned: {errors} finding{'s' * (errors != 1)}"
    if result.allowed:
        summary += f"; {result.allowed} allowed by inline markers"
    if errors:
        lines.append(summary + ".")
    elif result.unread:
        lines.append(
            f"{summary}; {result.unread} file{'s' * (result.unread != 1)} could not be read by "
            "the guard (see the not-scanned notes): check them by hand."
        )
    else:
        lines.append(summary + ": no personal data found.")
    if history and errors:
        from llcompliance.guard.scan import PURGE_ADVICE

        lines.append(PURGE_ADVICE)
    elif errors:
        lines.append(
            "Remove the data (keep it in the case system), then scan again. Never commit it."
        )
    return "\n".join(lines)


def _masked(text: str) -> str:
    """Rendered text with document values that look like personal data masked."""
    from llcompliance.guard.mask import mask_text

    return mask_text(text)
