"""`llcompliance assess`: the assessor's recorded outcomes beside the service's own coverage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from llcompliance.adapters.fsutil import read_without_links
from llcompliance.assessor import outcomes
from llcompliance.commands import EXIT_OK, day, repo_root
from llcompliance.core import workspace
from llcompliance.core.coverage import compute
from llcompliance.render import findings as output
from llcompliance.render.console import Console
from llcompliance.render.outcomes import render_outcomes_text
from llcompliance.report.signing import MAX_ALLOWED_SIGNERS_BYTES


def run(console: Console, repo: Path | None, as_of: dt.date | None, fmt: str) -> int:
    when = day(as_of)
    root = repo_root(repo)
    ws = workspace.load(root, today=when)
    rows = outcomes.outcomes_table(ws, compute(ws, when), _reader(root))
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


def _reader(root: Path) -> Callable[[str], bytes | None]:
    """A repo file's bytes as on disk; None when missing, too large, or reached through a link
    (a report reads the commit, where a link is not the file it points at)."""
    return lambda path: read_without_links(root, path, MAX_ALLOWED_SIGNERS_BYTES)
