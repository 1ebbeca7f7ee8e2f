"""One module per command: the whole flow on one screen, returning an exit code (DESIGN §5).

The CLI layer parses options and calls `run(...)`; tests may call these functions directly.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNEXPECTED = 0, 1, 2, 3


def unexpected(exc: BaseException) -> str:
    """The one line shown for an error we did not expect (the CLI exits 3 after it)."""
    return (
        f"an unexpected error occurred: {type(exc).__name__}: {exc}. "
        "Rerun as `llcompliance --traceback COMMAND …` and report what it prints"
    )


def repo_root(given: Path | None) -> Path:
    """The evidence repo: the folder given with --repo, or the current folder or a parent."""
    from llcompliance.core.config import find_repo_root

    return find_repo_root(given if given is not None else Path.cwd())


def day(as_of: dt.date | None) -> dt.date:
    """The date to judge on: the one asked for, or today."""
    return as_of if as_of is not None else dt.date.today()
