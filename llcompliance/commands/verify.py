"""`llcompliance verify DIR --allowed-signers FILE`: is a report genuine and true to its commit?"""

from __future__ import annotations

from pathlib import Path

from llcompliance.commands import EXIT_FINDINGS, EXIT_OK, repo_root
from llcompliance.render.console import Console
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
) -> int:
    result = verify_report(
        report_dir, allowed_signers, repo_root(repo), principal=principal, rebuild=rebuild
    )
    if fmt == "json":
        checks = [check.__dict__ for check in result.checks]
        console.json({"ok": result.ok, "principal": result.principal, "checks": checks})
    else:
        for check in result.checks:
            console.out(f"{'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
        console.out(
            "The report is genuine and matches the repo."
            if result.ok
            else "The report did NOT verify: do not rely on it."
        )
    return EXIT_OK if result.ok else EXIT_FINDINGS
