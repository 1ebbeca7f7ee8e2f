"""`llcompliance pr-body DIR`: the pull-request body the assessor reviews, standard by standard."""

from __future__ import annotations

import os
from pathlib import Path

from llcompliance.assessor import review as assessor
from llcompliance.commands import EXIT_OK, repo_root
from llcompliance.render.console import Console


def run(
    console: Console,
    repo: Path | None,
    report_dir: Path,
    *,
    previous_dir: Path | None,
    base_url: str | None,
    full_report_url: str | None,
    limit: int,
    fmt: str,
) -> int:
    made = assessor.pr_body_for(
        report_dir,
        repo_root(repo),
        previous_dir=previous_dir,
        base_url=base_url,
        full_report_url=full_report_url,
        limit=limit,
        server=os.environ.get("GITHUB_SERVER_URL"),
        repository=os.environ.get("GITHUB_REPOSITORY"),
    )
    for warning in made.warnings:  # hints for the job log: never fatal, the PR still opens
        console.warn(warning)
    if fmt == "json":
        body = made.body
        console.json({"body": body, "characters": len(body), "limit": limit}, indent=None)
    else:
        console.out(made.body, end="")
    return EXIT_OK
