"""`llcompliance roster import FILE` and `roster status`: the client roster the guard checks names
against, kept as keyed hashes outside every repo (DESIGN §7)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from llcompliance.commands import EXIT_OK
from llcompliance.errors import LLCError, UsageError
from llcompliance.guard import roster as roster_mod
from llcompliance.render.console import Console


def run_import(console: Console, export: Path, fmt: str) -> int:
    """Read client names from a case-system export and store only their keyed hashes."""
    target = roster_mod.default_path()
    repo = roster_mod.inside_git_work_tree(target)
    if repo is not None:  # refused before the export is even read
        raise UsageError(
            f"{target} is inside the git repo at {repo}: a roster must never be committed. Set "
            f"{roster_mod.ENV_VAR} to a file outside every repo, or unset it to use your config "
            "folder"
        )
    names = roster_mod.read_export(export)
    roster, skipped = roster_mod.build(names)
    if not roster.entries:
        raise UsageError(
            f"{export}: holds no names (one per line, or the first column of a CSV): check that "
            "it is the export of client names"
        )
    previous = _entries_before(target)
    roster_mod.save(roster, target)
    size = target.stat().st_size
    export_repo = roster_mod.inside_git_work_tree(export)
    if fmt == "json":
        console.json(
            {
                "path": str(target),
                "entries": roster.entries,
                "skipped": len(skipped),
                "imported": roster.imported,
                "bytes": size,
                "fits_github_secret": size <= roster_mod.GITHUB_SECRET_BYTES,
                "replaced": previous is not None,
            }
        )
        return EXIT_OK
    what = "Replaced the roster" if previous is not None else "Wrote a roster"
    console.out(
        f"{what}: {roster.entries:,} names from {export.name}, stored as keyed hashes only, in "
        f"{target} (readable by you alone)."
    )
    if skipped:
        console.out(
            f"{len(skipped):,} entries held no name the guard can compare (no letters, or more than "
            f"{roster_mod.MAX_WORDS} words without a short form) and were left out."
        )
    if 1 in roster.sizes:
        console.out(
            "Some entries are a single word: each flags that word wherever it appears. Export full "
            "names if that is too broad."
        )
    console.out(f"Every `llcompliance scan` on this computer now flags these names ({_scope()}).")
    if size > roster_mod.GITHUB_SECRET_BYTES:
        console.warn(
            f"the roster is {size // 1024} KB, more than a GitHub secret holds (48 KB): CI cannot "
            "get it from one secret (see hooks/README.md)"
        )
    if export_repo is not None:
        console.warn(
            f"{export} is inside the git repo at {export_repo}: it holds names in clear; delete "
            "it now and never commit it"
        )
    else:
        console.out(f"Delete {export} once you no longer need it: it holds names in clear.")
    return EXIT_OK


def run_status(console: Console, fmt: str) -> int:
    """How many names the roster holds and when it was imported; never a name."""
    roster = roster_mod.load_default()
    target = roster_mod.default_path()
    if roster is None:
        if fmt == "json":
            console.json({"path": str(target), "entries": 0, "imported": None})
        else:
            console.out(
                f"No roster at {target}: scans do not look for client names. Import one with "
                "`llcompliance roster import FILE` (an export of client names from your case "
                "system)."
            )
        return EXIT_OK
    size = target.stat().st_size
    private = not (target.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))
    if fmt == "json":
        console.json(
            {
                "path": str(target),
                "entries": roster.entries,
                "imported": roster.imported,
                "bytes": size,
                "fits_github_secret": size <= roster_mod.GITHUB_SECRET_BYTES,
                "private": private,
            }
        )
        return EXIT_OK
    console.out(f"Roster: {target}")
    console.out(f"Names:  {roster.entries:,}, imported {roster.imported}")
    fits = "fits" if size <= roster_mod.GITHUB_SECRET_BYTES else "too big for"
    console.out(f"Size:   {size:,} bytes ({fits} one GitHub secret, 48 KB)")
    if not private:
        console.warn(f"others can read {target}: run `chmod 600 {target}`")
    return EXIT_OK


def _entries_before(target: Path) -> int | None:
    """The number of names in the roster being replaced, or None when there is none to replace."""
    if not target.exists():
        return None
    try:
        return roster_mod.load(target).entries
    except LLCError:  # a damaged old roster is simply replaced
        return 0


def _scope() -> str:
    if os.environ.get(roster_mod.ENV_VAR):
        return f"while {roster_mod.ENV_VAR} points at it"
    return "and in CI once you store the file as a secret"
