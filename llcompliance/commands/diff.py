"""`llcompliance diff DIR`: what changed since an earlier report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from llcompliance.assessor.diff import diff_against_head
from llcompliance.commands import EXIT_OK, day, repo_root
from llcompliance.render.console import Console
from llcompliance.render.diff import render_diff_markdown, render_diff_text


def run(
    console: Console, repo: Path | None, report_dir: Path, as_of: dt.date | None, fmt: str
) -> int:
    changes = diff_against_head(report_dir, repo_root(repo), day(as_of))
    if fmt == "json":
        console.json(changes.as_dict())
    elif fmt == "markdown":
        console.out(render_diff_markdown(changes), end="")
    else:
        console.out(render_diff_text(changes))
    return EXIT_OK
