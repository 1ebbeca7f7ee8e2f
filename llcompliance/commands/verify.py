"""`llcompliance verify DIR --allowed-signers FILE`: is a report genuine and true to its commit?"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from llcompliance.commands import EXIT_FINDINGS, EXIT_OK, repo_root
from llcompliance.render.console import Console
from llcompliance.render.folder import report_files
from llcompliance.report.verify import verify_report


def run(
    console: Console,
    repo: Path | None,
    report_dir: Path,
    allowed_signers: Path,
    *,
    principal: str | None,
    rebuild: bool,
    fmt: str,
    ref: str | None = None,
    max_age: int | None = None,
    today: dt.date | None = None,
) -> int:
    # render: every file of the folder is compared with what the toolkit renders from the
    # signed readiness.json (DESIGN.md §6), so an edited readiness.html fails too.
    result = verify_report(
        report_dir,
        allowed_signers,
        repo_root(repo),
        principal=principal,
        rebuild=rebuild,
        ref=ref,
        max_age=max_age,
        today=today,
        render=report_files,
    )
    signer = (
        {"principal": result.principal, "fingerprint": result.fingerprint}
        if result.principal
        else None
    )
    if fmt == "json":
        checks = [check.__dict__ for check in result.checks]
        console.json(
            {
                "ok": result.ok,
                "principal": result.principal,
                "signer": signer,
                "as_of": result.as_of,
                "commit": result.commit,
                "commit_date": result.commit_date,
                "checks": checks,
            }
        )
    else:
        for check in result.checks:
            console.out(f"{'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
        # What a reader must weigh even when every check passes: who signed, and how old it is.
        if signer:
            console.out(f"Signed by: {result.principal} ({result.fingerprint})")
        if result.as_of:
            console.out(f"As of: {result.as_of}")
        if result.commit and result.commit_date:
            console.out(f"Commit: {result.commit[:12]}, committed {result.commit_date}")
        console.out(
            "The report is genuine and matches the repo."
            if result.ok
            else "The report did NOT verify: do not rely on it."
        )
    return EXIT_OK if result.ok else EXIT_FINDINGS
