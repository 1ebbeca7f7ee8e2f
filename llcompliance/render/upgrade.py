"""`upgrade` for people and tools: each change as a short list (the file, the line, what changed, and
the lines before `-` and after `+`), then what only a person can decide, as findings."""

from __future__ import annotations

import json

from llcompliance.core.config import CONFIG_NAME
from llcompliance.core.upgrade import Change, Plan
from llcompliance.guard.mask import mask_text, mask_tree
from llcompliance.render.findings import findings_text, paint, shown


def _changes(plan: Plan) -> list[Change]:
    """Every change, llcompliance.yaml first (the plan writes it last), then by file."""
    edits = sorted(plan.edits, key=lambda e: (e.path != CONFIG_NAME, e.path))
    return [change for edit in edits for change in edit.changes]


def _change_lines(change: Change, color: bool) -> list[str]:
    lines = [f"{change.path}:{change.line}: {mask_text(change.summary)}"]
    lines += [paint(f"    - {mask_text(b)}", "red", color) for b in change.before]
    lines += [paint(f"    + {mask_text(a)}", "green", color) for a in change.after]
    return lines


def upgrade_text(plan: Plan, *, check: bool, color: bool = False) -> str:
    """What was (or, with `check`, would be) changed, then what only the service can decide."""
    out: list[str] = []
    files = len(plan.edits)
    if not plan.due:
        out.append(
            f"Nothing to upgrade: this evidence repo is in format {plan.to_format}"
            f" and the toolkit's hooks and action are up to date ({plan.hook_pin})."
        )
    else:
        where = f"format {plan.from_format} to {plan.to_format}"
        if plan.from_format >= plan.to_format:
            where = f"the toolkit's hooks and action at {plan.hook_pin}"
        if check:
            out.append(
                f"An upgrade is due ({where}): `llcompliance upgrade` would change "
                f"{files} file{'s' * (files != 1)}:"
            )
        else:
            out.append(
                f"Upgraded ({where}): changed {files} file{'s' * (files != 1)}. Review the "
                "changes with `git diff`, then commit them:"
            )
        out.append("")
        for change in _changes(plan):
            out += _change_lines(change, color)
    if plan.findings:
        out += [
            "",
            "Only you can decide these, so nothing was guessed: add the lines shown, then run "
            "`llcompliance validate`:",
            findings_text(plan.findings, color=color),
        ]
    return "\n".join(out)


def upgrade_json(plan: Plan, *, check: bool) -> str:
    """`{"due", "applied", "from_format", "to_format", "pin", "changes", "findings"}`."""
    changes = [
        {
            "path": c.path,
            "line": c.line,
            "summary": c.summary,
            "before": list(c.before),
            "after": list(c.after),
        }
        for c in _changes(plan)
    ]
    data = {
        "due": plan.due,
        "applied": plan.due and not check,
        "from_format": plan.from_format,
        "to_format": plan.to_format,
        "pin": plan.hook_pin,
        "changes": mask_tree(changes),
        "findings": [f.as_dict() for f in shown(plan.findings)],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)
