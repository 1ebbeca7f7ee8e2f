"""`llcompliance fleet --sources fleet.yaml --out DIR`: many services' signed reports on one page,
counting only those that verify (DESIGN §11)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from llcompliance.adapters.fsutil import write_atomic
from llcompliance.commands import EXIT_FINDINGS, EXIT_OK
from llcompliance.errors import UsageError
from llcompliance.render import fleet as page
from llcompliance.render.console import Console
from llcompliance.render.folder import report_files
from llcompliance.report import fleet, fleet_history


def run(
    console: Console,
    sources: Path,
    out: Path,
    *,
    rebuild: bool = False,
    jobs: int = fleet.DEFAULT_JOBS,
    timeout: float = fleet.DEFAULT_TIMEOUT,
    fmt: str = "text",
    now: dt.datetime | None = None,
) -> int:
    listed = fleet.load_sources(sources)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is not a folder: choose a folder for the fleet page")
    out.mkdir(parents=True, exist_ok=True)
    # render: each report folder's files must be exactly what the signed JSON renders, as verify.
    result = fleet.gather(
        listed, out, render=report_files, rebuild=rebuild, jobs=jobs, timeout=timeout, now=now
    )
    history = fleet_history.record(out, result)
    outputs = {
        page.JSON_NAME: page.fleet_json(result),
        page.CSV_NAME: page.fleet_csv(result),
        page.HTML_NAME: page.fleet_html(result, history),
    }
    for name, data in outputs.items():
        write_atomic(out / name, data)
    if fmt == "json":
        console.json(result.as_dict())
    else:
        console.out(page.summary_text(result, [str(out / name) for name in outputs]))
    return EXIT_FINDINGS if result.failed else EXIT_OK
