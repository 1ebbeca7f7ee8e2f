"""`llcompliance coverage`: each standard's state, and the pre-commit regression check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from llcompliance.commands import EXIT_FINDINGS, EXIT_OK, day, repo_root
from llcompliance.core import config as config_mod
from llcompliance.core.checks import coverage_run
from llcompliance.guard.mask import mask_tree
from llcompliance.guard.scan import rules_from
from llcompliance.render import findings as output
from llcompliance.render.console import Console


def run(
    console: Console,
    repo: Path | None,
    *,
    as_of: dt.date | None,
    fail_on: str,
    framework: str | None,
    verbose: bool,
    fmt: str,
    trend: bool = False,
) -> int:
    root = repo_root(repo)
    if trend:
        return _trend(console, root, framework, fmt)
    result = coverage_run(
        root,
        day(as_of),
        framework=framework,
        compare_head=fail_on == "regression",
        with_dates=fmt == "json",
    )
    cov = result.coverage
    if fmt == "json":
        allow = rules_from(config_mod.load(root).scan).allowlist
        console.json(mask_tree(cov.as_dict(), allow))  # shaped, and masked, as in readiness.json
    elif fmt == "markdown":
        console.out(output.coverage_markdown(cov, result.service))
    else:
        console.out(
            output.coverage_text(cov, result.service, color=console.colour, verbose=verbose)
        )
    for note in result.notes:
        console.err(f"note: {note}")
    if fail_on == "regression" and result.regressions:
        console.err(output.regressions_text(result.regressions))
        return EXIT_FINDINGS
    if fail_on == "gap" and cov.counts()["gap"]:
        return EXIT_FINDINGS
    return EXIT_OK


def _trend(console: Console, root: Path, framework: str | None, fmt: str) -> int:
    """`coverage --trend`: ready standards on each day the repo changed (one pass over history)."""
    from llcompliance.adapters import gitrepo
    from llcompliance.core.trend import trend_points
    from llcompliance.render.status import trend_text

    if gitrepo.toplevel(root) is None:
        from llcompliance.errors import UsageError

        raise UsageError("--trend needs the repo's git history: run it inside the evidence repo")
    points = trend_points(root, framework=framework)
    if fmt == "json":
        console.json({"trend": [p.as_dict() for p in points]})
    else:
        console.out(trend_text(points))
    return EXIT_OK
