"""`llcompliance validate [PATHS…]`: schema and cross-reference checks, as findings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from llcompliance.commands import EXIT_FINDINGS, EXIT_OK, day, repo_root
from llcompliance.core.checks import validate
from llcompliance.render.console import Console
from llcompliance.render.findings import render_findings


def run(
    console: Console, repo: Path | None, paths: list[str], fmt: str, as_of: dt.date | None
) -> int:
    root = repo_root(repo)
    result = validate(root, paths, today=day(as_of))
    summary = result.summary if fmt == "text" else ""
    console.out(render_findings(result.findings, fmt, color=console.colour, summary=summary))
    return EXIT_FINDINGS if result.failed else EXIT_OK
