"""`llcompliance scan [PATHS…] [--history | --staged]`: the personal-data guard."""

from __future__ import annotations

from pathlib import Path

from llcompliance.adapters import gitrepo
from llcompliance.adapters.fsutil import relative_paths
from llcompliance.commands import EXIT_FINDINGS, EXIT_OK, repo_root
from llcompliance.core import config as config_mod
from llcompliance.errors import UsageError
from llcompliance.guard import roster as roster_mod
from llcompliance.guard import scan as guard
from llcompliance.render import findings as output
from llcompliance.render.console import Console


def run(
    console: Console,
    repo: Path | None,
    paths: list[str],
    *,
    history: bool,
    staged: bool,
    fmt: str,
) -> int:
    root = repo_root(repo)
    settings = config_mod.load(root).scan
    roster = roster_mod.load_default()  # None unless the service imported one (§7)
    if (history or staged) and gitrepo.toplevel(root) is None:
        raise UsageError(
            f"{root} is not a git repo: --history and --staged need git (run `git init`)"
        )
    if history and not gitrepo.has_commits(root):
        raise UsageError(
            "there are no commits yet, so there is no history to scan: run `llcompliance scan`"
        )
    if history:
        show = console.interactive and fmt == "text"

        def progress(done: int, total: int) -> None:
            if show:
                end = "\n" if done == total else ""
                console.err(f"\rscanned {done:,} of {total:,} file versions", end=end)

        result = guard.scan_history(root, settings, progress=progress, roster=roster)
    elif staged:
        result = guard.scan_staged(root, settings, roster=roster)
    elif paths:
        chosen = guard.expand(root, sorted(relative_paths(root, paths)))
        result = guard.scan_paths(root, chosen, settings, roster=roster)
    else:
        result = guard.scan_paths(root, guard.worktree_files(root), settings, roster=roster)
    if fmt == "text":
        console.out(output.scan_text(result, color=console.colour, history=history))
    else:
        console.out(
            output.render_findings(result.findings, fmt, files=result.files, allowed=result.allowed)
        )
    return EXIT_FINDINGS if result.failed else EXIT_OK
