"""`llcompliance init DIR --service NAME`: a new evidence repo from the template, first commit made."""

from __future__ import annotations

from pathlib import Path

from llcompliance.commands import EXIT_OK
from llcompliance.core.scaffold import init_repo
from llcompliance.render.console import Console


def run(console: Console, directory: Path, service: str, organisation: str | None, fmt: str) -> int:
    target = init_repo(directory, service, organisation)
    if fmt == "json":
        console.json({"repo": str(target), "service": service}, indent=None)
        return EXIT_OK
    console.out(f"Made {target} for {service}.")
    console.out("Next:")
    console.out(f"  cd {target}")
    console.out("  pre-commit install          # check every commit (see README.md)")
    console.out("  llcompliance coverage       # where you stand on each standard")
    return EXIT_OK
