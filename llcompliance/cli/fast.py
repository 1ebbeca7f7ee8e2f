"""The hook path's fast lane: `validate PATHS`, `scan PATHS` and a bare `coverage` without
importing click.

pre-commit runs validate and scan on every commit, and importing click costs about a fifth of a
warm run. When the arguments are only paths (as pre-commit passes them), or `coverage` has none,
this lane calls the same command functions with the same defaults as the click commands in
`main.py`; anything else (an option, `--help`, another command) goes to click, so behaviour never
differs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NoReturn

from llcompliance.errors import LLCError

if TYPE_CHECKING:
    from llcompliance.render.console import Console

FAST_COMMANDS = ("validate", "scan")  # with paths only
BARE_COMMANDS = ("coverage",)  # with no arguments at all


def plain_paths(args: Sequence[str]) -> bool:
    """True when `args` are paths only: nothing click would read as an option."""
    return all(arg and not arg.startswith("-") for arg in args)


def fast_run(argv: Sequence[str]) -> int | None:
    """The exit code of `argv` (without the program name) run in the fast lane, or None when
    click must parse it."""
    if not argv or not (
        (argv[0] in FAST_COMMANDS and plain_paths(argv[1:]))
        or (argv[0] in BARE_COMMANDS and len(argv) == 1)
    ):
        return None
    from llcompliance.render.console import Console

    try:
        return _dispatch(Console(), argv[0], list(argv[1:]))
    except LLCError as exc:
        return _fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as exc:  # noqa: BLE001 - as main._Group: one plain line, exit 3
        from llcompliance.commands import EXIT_UNEXPECTED, unexpected

        return _fail(unexpected(exc), EXIT_UNEXPECTED)


def _fail(message: str, code: int) -> int:
    """The error line exactly as the click commands write it (click.echo: colour codes dropped
    off a terminal, the stream's encoding honoured); click is imported only on this path."""
    import click

    click.echo(f"llcompliance: {message}", err=True)
    return code


def _dispatch(console: Console, command: str, paths: list[str]) -> int:
    """Run `command` as its click command would with these paths and no options."""
    if command == "coverage":
        from llcompliance.commands import coverage as coverage_cmd

        return coverage_cmd.run(
            console,
            None,
            as_of=None,
            fail_on="never",
            framework=None,
            verbose=False,
            fmt="text",
            trend=False,
        )
    if command == "validate":
        from llcompliance.commands import validate as validate_cmd

        return validate_cmd.run(console, None, paths, "text", None)
    from llcompliance.commands import scan as scan_cmd

    return scan_cmd.run(console, None, paths, history=False, staged=False, fmt="text")


def run() -> None:
    """Console-script entry point: the fast lane when it applies, else click."""
    code = fast_run(sys.argv[1:])
    if code is not None:
        _leave(code)
    from llcompliance.cli.main import run as click_run

    click_run()


def _leave(code: int) -> NoReturn:
    """Exit with `code` once the output is flushed, skipping the interpreter's teardown.

    Freeing every object a run made (in a large repo, the index of every document) cost more
    than the run itself checking the five files a commit changed: ~12 ms of ~90 at 2,500
    documents. Nothing is left to do at this point: every file written was closed, every git
    process waited for, and no at-exit handler is registered on this path."""
    from llcompliance.render.console import Console

    Console.flush()
    os._exit(code)
