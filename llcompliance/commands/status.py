"""`llcompliance status`: the dates that matter next (DESIGN §9), as text, JSON or a calendar."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from llcompliance.adapters import gitrepo
from llcompliance.commands import EXIT_FINDINGS, EXIT_OK, day, repo_root
from llcompliance.core import accreditation, workspace
from llcompliance.core import config as config_mod
from llcompliance.guard.mask import mask_text, mask_tree
from llcompliance.guard.scan import rules_from
from llcompliance.render import findings as output
from llcompliance.render.console import Console
from llcompliance.render.status import status_text


def run(
    console: Console, repo: Path | None, *, as_of: dt.date | None, within: int, fmt: str
) -> int:
    """Show what falls due within `within` days of `as_of`; exit 1 if accreditation.yaml has errors."""
    if within < 0:
        from llcompliance.errors import UsageError

        raise UsageError(f"--within must be 0 or more days (got {within})")
    root = repo_root(repo)
    when = day(as_of)
    ws = workspace.load(root, today=when)
    result = accreditation.status(ws, when, within)
    allow = rules_from(config_mod.load(root).scan).allowlist

    def mask(text: str) -> str:
        return mask_text(text, allow)

    if fmt == "json":
        console.json(mask_tree(accreditation.summary(result), allow))
    elif fmt == "ics":
        from llcompliance.render import ics

        console.out(
            ics.calendar(result, _identity(root, ws.config.service), ws.config.service, mask=mask),
            end="",
        )
    else:
        console.out(status_text(result, ws.config.service, mask=mask))
    if result.findings and fmt != "json":  # JSON carries them; a calendar must stay a calendar
        console.err(output.findings_text(result.findings))
    return EXIT_FINDINGS if any(f.severity == "error" for f in result.findings) else EXIT_OK


def _identity(root: Path, service: str) -> str:
    """What UIDs derive from: the repo's first commit (shared by every clone) and the folder of
    the evidence repo within it; the service's name before the first commit."""
    first = gitrepo.root_commit(root) if gitrepo.toplevel(root) else None
    dirs = gitrepo.git_dirs(root) if first else None
    return f"{first}:{dirs.prefix if dirs else ''}" if first else f"service:{service}"
