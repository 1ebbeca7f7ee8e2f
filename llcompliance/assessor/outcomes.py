"""The assessor's recorded outcomes beside the service's own coverage, standard by standard."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from llcompliance.core.coverage import Coverage
from llcompliance.core.findings import Finding
from llcompliance.core.states import GAP, READY
from llcompliance.core.workspace import Workspace
from llcompliance.report.assessments import signer
from llcompliance.report.model import signer_words

ASSESSMENTS_DIR = "assessments/"
OUTCOMES = ("met", "further-evidence", "not-met")
NOT_ASSESSED = "not-assessed"


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
    # "principal (SHA256:…)" of the trusted assessor whose signature covers the outcome's file;
    # None: unsigned, so only what the service recorded
    signed_by: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able dict."""
        return asdict(self)


def disagrees(state: str, outcome: str | None) -> bool:
    """True when we say ready but the outcome is not met, or the outcome is met but we say gap."""
    return (state == READY and outcome == "not-met") or (outcome == "met" and state == GAP)


def outcomes_table(
    ws: Workspace, cov: Coverage, read: Callable[[str], bytes | None] | None = None
) -> list[OutcomeRow]:
    """Every standard in `cov` with the latest outcome recorded in assessments/*.yaml, if any;
    with `read` (a repo path's bytes, or None), each outcome says which trusted assessor signed
    its file, if one did."""
    rows = []
    signers: dict[str, str | None] = {}
    for result in cov.standards:
        found = ws.outcomes.get(result.id)
        outcome = found.outcome if found else None
        if found and read is not None and found.path not in signers:
            signers[found.path] = signer_words(signer(read, found.path))
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
                signed_by=signers.get(found.path) if found else None,
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
