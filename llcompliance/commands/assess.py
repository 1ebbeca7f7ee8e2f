"""`llcompliance assess`: the assessor's recorded outcomes beside the service's own coverage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from llcompliance.assessor import outcomes
from llcompliance.commands import EXIT_OK, day, repo_root
from llcompliance.core import workspace
from llcompliance.core.coverage import compute
from llcompliance.render import findings as output
from llcompliance.render.console import Console
from llcompliance.render.outcomes import render_outcomes_text


def run(console: Console, repo: Path | None, as_of: dt.date | None, fmt: str) -> int:
    when = day(as_of)
    ws = workspace.load(repo_root(repo), today=when)
    rows = outcomes.outcomes_table(ws, compute(ws, when))
    if fmt == "json":
        console.json({"as_of": when.isoformat(), **outcomes.outcomes_dict(rows)})
    else:
        console.out(render_outcomes_text(rows))
    problems = outcomes.assessment_problems(ws)
    if problems:
        console.err(output.findings_text(problems))
        console.err(
            "note: outcomes in an assessment file with errors are not shown: fix it, "
            "then run `llcompliance validate`"
        )
    return EXIT_OK
