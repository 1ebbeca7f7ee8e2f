"""readiness.md: the readiness report as Markdown, one heading per standard, for a pull request."""

from __future__ import annotations

from typing import Any

from llcompliance.core.explain import checklist, other_reasons
from llcompliance.core.states import READY
from llcompliance.render import verify_hint as hint
from llcompliance.render.markup import md_code, md_link, md_text
from llcompliance.render.states import words


def framework_name(data: dict[str, Any]) -> str:
    """The framework's short name for headings and the badge, falling back to its title."""
    framework = data.get("framework", {})
    return str(framework.get("short_name") or framework.get("title") or "Readiness")


def render_markdown(data: dict[str, Any], base: str, *, verify_hint: bool = True) -> str:
    """readiness.md: one heading per standard so an assessor can comment on each.

    Every value from the repo is escaped (md_text) and every link target encoded (md_link), so a
    title with Markdown or HTML in it shows as written and a path with a space still links.
    """
    s = data["summary"]
    framework = data["framework"]
    lines = [
        f"# {md_text(data['service']['name'])}: self-assessed "
        f"{md_text(framework_name(data))} readiness on {md_text(data['as_of'])}",
        "",
        f"**{s['ready']} of {s['total']} standards ready** · {s['attention']} need attention · "
        f"{s['gap']} gap{'s' * (s['gap'] != 1)}",
        "",
        f"Framework: {md_text(framework['title'])} "
        f"({md_text(framework['id'])} {md_text(framework['version'])}). "
        f"Evidence at commit {md_code(data['source']['commit'][:12])}. "
        f"Made by llcompliance {md_text(data['tool']['version'])}.",
        "",
        "| Section | Ready | Attention | Gap |",
        "|---|---|---|---|",
    ]
    for section in data["sections"]:
        lines.append(
            f"| {md_text(section['title'])} | {section['ready']}/{section['total']} | "
            f"{section['attention']} | {section['gap']} |"
        )
    for section in data["sections"]:
        lines += ["", f"## {md_text(section['title'])}", ""]
        for std in (x for x in data["standards"] if x["section"] == section["id"]):
            lines += _standard_md(std, base)
    lines += ["", "---", ""]
    if framework.get("attribution"):
        lines += [f"_{md_text(framework['attribution'])}_", ""]
    if verify_hint:
        lines += _verify_md(data)
    return "\n".join(lines)


def checklist_md(items: list[dict[str, Any]]) -> list[str]:
    """☑/☐ with the words "met" / "not met" (a screen reader and a plain-text mail read both)."""
    lines = []
    for item in items:
        if item["met"]:
            ids = ", ".join(md_code(i) for i in item["ids"])
            lines.append(f"- ☑ met: {md_text(item['what'])} — {ids}")
            continue
        text = f"- ☐ **not met**: {md_text(item['what'])}. To meet it: {md_text(item['needs'])}"
        for have in item["has"]:
            text += f". Listed, but does not count: {md_code(have['id'])} ({md_text(have['why'])})"
        lines.append(text)
    return lines


def _verify_md(data: dict[str, Any]) -> list[str]:
    """How to check the report: with a key file obtained from the service, never from the PR."""
    return [
        "To check this report is genuine and matches the repo, first get the service's "
        f"{md_code('allowed_signers')} line **from the service itself** (by phone, e-mail or in "
        "person), never from the pull request being assessed, and save it as "
        f"{md_code(hint.TRUSTED_SIGNERS)}. {md_code(hint.PRINCIPAL)} is the name at the start of "
        f"that line; {md_code(hint.REPORT_FOLDER)} is the folder holding this report (usually "
        f"{md_code(hint.usual_folder(data))}). In a clone of the repo:",
        "",
        "```",
        hint.toolkit_command(),
        "```",
        "",
        f"Or with OpenSSH alone, inside {md_code(hint.REPORT_FOLDER)} (checks the signature only):",
        "",
        "```",
        hint.openssh_command(),
        "```",
        "",
    ]


def _standard_md(std: dict[str, Any], base: str) -> list[str]:
    """One standard's heading, statement, requirements checklist, reasons, evidence table, findings
    and assessment."""
    lines = [
        f"### {md_text(std['id'])} — {md_text(std['title'])}: {words(std['state'])}",
        "",
        f"> {md_text(std['statement'])}",
        "",
        f"Self-assessment: **{md_text(std['status'])}**"
        + (
            f" ({md_link(std['self_assessment'], base, std['self_assessment'])})"
            if std.get("self_assessment")
            else ""
        ),
        "",
    ]
    items = checklist(std)
    reasons = other_reasons(std, items)  # less what the checklist already says to do
    if items:
        lines += [f"**What {md_text(std['id'])} requires**", ""] + checklist_md(items) + [""]
    if reasons and (std["state"] != READY or len(reasons) > 1):
        lines += [f"- {md_text(r)}" for r in reasons] + [""]
    if std["evidence"]:
        lines += [
            "| Evidence | State | Review due | Last changed | Where |",
            "|---|---|---|---|---|",
        ]
        for e in std["evidence"]:
            where = md_link(e["path"], base, e["path"])
            if e["kind"] == "evidence" and e["location"] != e["path"]:
                where += f" → {md_text(e['location'])}"
            lines.append(
                f"| {md_text(e['id'])}: {md_text(e['title'])} | {md_text(e['state'])} | "
                f"{md_text(e['review_due'] or '')} | {md_text(e.get('last_changed') or '')} | "
                f"{where} |"
            )
        lines.append("")
    if std.get("findings"):
        lines += [
            f"- {md_code(str(f['path']) + ':' + str(f['line']))} {md_text(f['rule'])}: "
            f"{md_text(f['message'])}"
            for f in std["findings"]
        ] + [""]
    if std.get("assessment"):
        a = std["assessment"]
        signer = a.get("signed_by")
        who = (
            f"Assessor's outcome, signed by {md_text(signer['principal'])}"
            if signer
            else "Outcome recorded by the service, unsigned"
        )
        lines += [
            f"{who}: **{md_text(a['outcome'])}**"
            + (f" — {md_text(a['comment'])}" if a.get("comment") else ""),
            "",
        ]
    return lines
