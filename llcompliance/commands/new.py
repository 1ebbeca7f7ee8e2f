"""`llcompliance new policy|evidence`: a correctly-formed new file (never overwrites)."""

from __future__ import annotations

from pathlib import Path

from llcompliance.commands import EXIT_OK, repo_root
from llcompliance.core import workspace
from llcompliance.core.scaffold import new_document
from llcompliance.render.console import Console


def run(
    console: Console,
    repo: Path | None,
    kind: str,
    title: str,
    standards: list[str],
    *,
    owner: str,
    location_path: str | None,
    reference: str | None,
    fmt: str,
    evidence_kind: str | None = None,
    evidence_date: str | None = None,
) -> int:
    root = repo_root(repo)
    made = new_document(
        workspace.load(root),
        kind,
        title,
        [s.upper() for s in standards],
        owner=owner,
        location_path=location_path,
        reference=reference,
        evidence_kind=evidence_kind,
        evidence_date=evidence_date,
    )
    rel = made.path.relative_to(root).as_posix()
    if fmt == "json":
        console.json({"path": rel, "id": made.id}, indent=None)
    else:
        console.out(f"Wrote {rel} (id {made.id}). Fill it in, then run `llcompliance validate`.")
    return EXIT_OK
