"""`llcompliance explain ID`: a standard, its spirit, guidance, and this repo's evidence for it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from llcompliance.commands import EXIT_OK, day, repo_root
from llcompliance.core.explain import explain
from llcompliance.guard.mask import mask_tree
from llcompliance.render.console import Console
from llcompliance.render.explain import render_text


def run(
    console: Console, repo: Path | None, standard_id: str, as_of: dt.date | None, fmt: str
) -> int:
    result = mask_tree(explain(repo_root(repo), standard_id.upper(), day(as_of)))
    if fmt == "json":
        console.json(result)
    else:
        console.out(render_text(result))
    return EXIT_OK
