"""`explain` for people: the standard, its spirit, guidance, and this repo's evidence, as text."""

from __future__ import annotations

import textwrap
from typing import Any

from llcompliance.core.explain import other_reasons
from llcompliance.render.states import LOOKS

MET, UNMET = "☑", "☐"  # with the words "met" / "not met" beside them: never the box alone


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(
        " ".join(text.split()), width=96, initial_indent=indent, subsequent_indent=indent
    )


def render_text(info: dict[str, Any]) -> str:
    """The explanation as readable text."""
    look = LOOKS[info["state"]]
    rest = other_reasons(info, info.get("checklist") or [])
    lines = [
        f"{info['id']} — {info['title']}  ({info['section']['title']})",
        "",
        f"The standard (quoted from {info['framework'].get('source') or info['framework']['title']}):",
        _wrap(f"\u201c{info['statement']}\u201d"),
        "",
        f"The spirit of {info['section']['title'].lower()}:",
        _wrap(info["section"]["spirit"]),
        "",
        "Suggested evidence (llcompliance guidance, not official criteria):",
        *[_wrap(f"- {g}") for g in info["guidance"]],
        "",
        f"In this repo on {info['as_of']}: {look.mark} {look.label} (self-assessment: {info['status']})",
        *checklist_lines(info["id"], info.get("checklist") or []),
        *([f"{look.reason_heading}:"] if rest else []),
        *[_wrap(f"- {r}") for r in rest],
        "",
    ]
    if info["evidence"]:
        lines.append("Evidence that lists this standard:")
        for e in info["evidence"]:
            due = f", review due {e['review_due']}" if e["review_due"] else ""
            lines.append(f"  [{e['state']}] {e['id']}: {e['title']} ({e['path']}{due})")
            if e["how"]:
                lines.append(_wrap(e["how"], "      "))
    else:
        lines.append(f"No policy or evidence lists {info['id']} yet. Add one:")
        lines.append(f'  llcompliance new policy --title "…" --standard {info["id"]}')
    if info["self_assessment"] is None:
        lines.append(f"No self-assessment: add standards/{info['id']}.md")
    return "\n".join(lines)


def to_meet(item: dict[str, Any]) -> str:
    """An unmet requirement group's advice, as every plain-text output words it."""
    return f"To meet it: {item['needs']}"


def not_counting(have: dict[str, Any]) -> str:
    """An item listed for a requirement group that does not count, and why."""
    return f"Listed, but does not count: {have['id']} ({have['why']})"


def checklist_lines(standard_id: str, items: list[dict[str, Any]]) -> list[str]:
    """The requirement groups as a ☑/☐ checklist, each with what this repo has for it."""
    if not items:
        return []
    lines = [f"What {standard_id} requires (every line must be met):"]
    for item in items:
        if item["met"]:
            lines.append(f"  {MET} met: {item['what']} — {', '.join(item['ids'])}")
        else:
            lines.append(f"  {UNMET} not met: {item['what']}")
            lines.append(_wrap(to_meet(item), "      "))
        for have in item["has"]:
            lines.append(_wrap(not_counting(have), "      "))
        if not item["met"] and not item["has"]:
            lines.append("      This repo has nothing of this kind that lists it yet.")
    return lines
