"""`llcompliance export --format docx|xlsx --out FILE`: the self-assessment dossier (Word) or
the evidence matrix (Excel), from the same data as readiness.json (DESIGN §10)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from llcompliance.adapters.fsutil import write_atomic
from llcompliance.commands import EXIT_OK, day, repo_root
from llcompliance.errors import UsageError
from llcompliance.render.console import Console
from llcompliance.render.docx import docx_bytes
from llcompliance.render.xlsx import xlsx_bytes
from llcompliance.report import build as report_mod

FORMATS = ("docx", "xlsx")
WHAT = {"docx": "self-assessment dossier", "xlsx": "evidence matrix"}


def run(
    console: Console,
    repo: Path | None,
    fmt: str,
    out: Path,
    *,
    as_of: dt.date | None,
    commit: str = "HEAD",
) -> int:
    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)} (got {fmt!r})")
    if out.is_dir():
        raise UsageError(
            f"--out {out} is a folder: give a file name such as {out / f'readiness.{fmt}'}"
        )
    root = repo_root(repo)
    built = report_mod.build(root, day(as_of), commit=commit)
    # build() has masked every value from the service's documents already.
    data = docx_bytes(built.data) if fmt == "docx" else xlsx_bytes(built.data)
    try:
        write_atomic(out, data)  # an existing file is replaced whole or not at all
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UsageError(
            f"cannot write {out}: {reason}; choose a file in a folder you can write to"
        ) from None
    for warning in built.warnings:
        console.warn(warning)
    summary = built.data["summary"]
    console.out(
        f"Wrote the {WHAT[fmt]} to {out} ({summary['ready']} of {summary['total']} "
        f"standards ready on {built.data['as_of']}, commit {built.data['source']['commit'][:12]})."
    )
    return EXIT_OK
