"""`llcompliance upgrade [--check]`: an older evidence repo brought to the current format and the
toolkit's pins to this version; what only a person can decide is listed, never guessed."""

from __future__ import annotations

from pathlib import Path

from llcompliance.commands import EXIT_FINDINGS, EXIT_OK, repo_root
from llcompliance.core import upgrade
from llcompliance.render.console import Console
from llcompliance.render.upgrade import upgrade_json, upgrade_text


def run(console: Console, repo: Path | None, *, check: bool, fmt: str) -> int:
    """Plan the upgrade; unless `check`, write it. Exit 1 only when `check` finds an upgrade due:
    the person-decides findings are listed either way, and `validate` fails on them."""
    root = repo_root(repo)
    plan = upgrade.plan(root)
    if plan.due and not check:
        upgrade.apply(root, plan)
    if fmt == "json":
        console.out(upgrade_json(plan, check=check))
    else:
        console.out(upgrade_text(plan, check=check, color=console.colour))
    return EXIT_FINDINGS if check and plan.due else EXIT_OK
