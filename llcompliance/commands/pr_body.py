"""`llcompliance pr-body DIR`: the pull-request body the assessor reviews, standard by standard."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from llcompliance.assessor.diff import diff_reports
from llcompliance.assessor.signer import ALLOWED_SIGNERS, check_signer, default_links
from llcompliance.commands import EXIT_OK, repo_root
from llcompliance.render.console import Console
from llcompliance.render.pr_body import GITHUB_BODY_LIMIT, pr_body
from llcompliance.report import build as report
from llcompliance.report import model as readiness


@dataclass(frozen=True)
class PrBody:
    """What `pr-body` prints: the body, and warnings for the person running it."""

    body: str
    warnings: tuple[str, ...]


def pr_body_for(
    report_dir: Path,
    root: Path,
    *,
    previous_dir: Path | None = None,
    base_url: str | None = None,
    full_report_url: str | None = None,
    limit: int = GITHUB_BODY_LIMIT,
    server: str | None = None,
    repository: str | None = None,
) -> PrBody:
    """The whole `pr-body` command short of printing: load, compare, check the signer, render.

    `server` and `repository` are GitHub Actions' GITHUB_SERVER_URL and GITHUB_REPOSITORY.
    A signer that cannot be checked is a warning and a line in the body, never an error.
    """
    data = readiness.load(report_dir)
    default_base, default_full, report_path = default_links(
        report_dir, root, data.source.commit, server, repository
    )
    previous = None
    if previous_dir is not None:
        previous = diff_reports(readiness.load(previous_dir), data)
    signed = (report_dir / report.SIG_NAME).is_file()
    signer = check_signer(report_dir, root)
    warnings = []
    if not signed:
        warnings.append("the report is not signed: the assessor cannot check it is genuine")
    elif signer.verified is None:
        warnings.append(
            f"the report's signer could not be checked against {ALLOWED_SIGNERS} "
            f"({signer.problem}): run `llcompliance verify {report_dir} --allowed-signers "
            f"{ALLOWED_SIGNERS}`"
        )
    verified = signer.verified
    body = pr_body(
        data,
        base_url=base_url if base_url is not None else default_base,
        previous=previous,
        limit=limit,
        full_report_url=full_report_url or default_full,
        fingerprint=verified.fingerprint if verified else None,
        principal=verified.principal if verified else None,
        report_path=report_path,
        signed=signed,
        signer_problem=signer.problem if signed else None,
    )
    return PrBody(body, tuple(warnings))


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
    """Print the PR body (or it as JSON with its length), warning of a report nobody can check."""
    made = pr_body_for(
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
