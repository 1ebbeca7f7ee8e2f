"""`explain`: a standard, its section's spirit, guidance, and this repo's evidence with states."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path
from typing import Any

from llcompliance.core import workspace
from llcompliance.core.coverage import compute, standard_dict
from llcompliance.errors import UsageError
from llcompliance.render.states import LOOKS


def explain(root: Path, standard_id: str, as_of: dt.date) -> dict[str, Any]:
    """Everything known about one standard, as a JSON-ready dict."""
    ws = workspace.load(root, today=as_of)
    for cat in ws.catalogues:
        standard = cat.standard(standard_id)
        if standard is None:
            continue
        section = cat.section(standard.section)
        result = next(r for r in compute(ws, as_of, cat).standards if r.id == standard_id)
        assessment = ws.self_assessments.get(standard_id)
        return {
            "framework": {
                "id": cat.id,
                "title": cat.title,
                "source": cat.source,
                "attribution": cat.attribution,
            },
            "id": standard.id,
            "title": standard.title,
            "statement": standard.statement,
            "section": {"id": section.id, "title": section.title, "spirit": section.spirit},
            "guidance": list(standard.guidance),
            "self_assessment": assessment.path if assessment else None,
            "as_of": as_of.isoformat(),
            **{
                k: v
                for k, v in standard_dict(result).items()
                if k not in ("id", "section", "title")
            },
        }
    known = ", ".join(s.id for s in ws.framework.standards)
    shown = re.sub(r"[^\w.-]", "?", standard_id[:40]) + ("…" if len(standard_id) > 40 else "")
    raise UsageError(f"no standard '{shown}': choose one of {known}")


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
