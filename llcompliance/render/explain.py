"""`explain` for people: the standard, its spirit, guidance, and this repo's evidence, as text."""

from __future__ import annotations

import textwrap
from typing import Any

from llcompliance.render.states import LOOKS


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(
        " ".join(text.split()), width=96, initial_indent=indent, subsequent_indent=indent
    )


def render_text(info: dict[str, Any]) -> str:
    """The explanation as readable text."""
    look = LOOKS[info["state"]]
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
        *([f"{look.reason_heading}:"] if info["reasons"] else []),
        *[_wrap(f"- {r}") for r in info["reasons"]],
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
