"""The assessor's outcomes beside the service's coverage, in words for the terminal."""

from __future__ import annotations

from llcompliance.assessor.outcomes import (
    ASSESSMENTS_DIR,
    NOT_ASSESSED,
    OutcomeRow,
    outcome_summary,
)
from llcompliance.render.states import MARK

OUTCOME_WORDS = {"met": "met", "further-evidence": "further evidence", "not-met": "not met"}


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
        outcome = OUTCOME_WORDS.get(r.outcome or "", "not assessed")
        detail = ", ".join(x for x in (r.assessor, r.date) if x)
        line = f"{r.id:{idw}}  {r.title:{width}}  {MARK[r.state]} {r.state:9}  {outcome}"
        if detail:
            line += f" ({detail})"
        if r.outcome:  # whose word it is: a trusted assessor's signature, or the service's record
            line += f", signed by {r.signed_by}" if r.signed_by else ", unsigned"
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
    unsigned = sum(1 for r in rows if r.outcome and not r.signed_by)
    if unsigned:
        lines.append(
            f"{unsigned} outcome{'s are' if unsigned != 1 else ' is'} unsigned: what the service "
            "recorded, not yet the assessor's word. The assessor signs the file (see "
            f'{ASSESSMENTS_DIR}README.md, "Whose word it is").'
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
