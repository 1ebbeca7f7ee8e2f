"""The validate and coverage pipelines: load the workspace, check, compare with HEAD."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from llcompliance.adapters import gitrepo
from llcompliance.adapters.fsutil import relative_paths
from llcompliance.core import workspace
from llcompliance.core.config import CONFIG_NAME
from llcompliance.core.documents import FOLDERS, INDEX, shown_path
from llcompliance.core.findings import ERROR, WARNING, Finding
from llcompliance.errors import UsageError

if TYPE_CHECKING:
    from llcompliance.core.coverage import Coverage, Regression


class ValidateResult(NamedTuple):
    """Findings to show and whether they fail the check."""

    findings: tuple[Finding, ...]
    documents: int

    @property
    def failed(self) -> bool:
        """True when any error is shown."""
        return any(f.severity == ERROR for f in self.findings)

    @property
    def summary(self) -> str:
        """A closing line for text output."""
        if not self.findings:
            return f"{self.documents} documents checked: all valid."
        if not self.failed:
            return f"{self.documents} documents checked: no errors; see the warnings above."
        return "Fix the errors above, then run `llcompliance validate` again."


DOC_FOLDERS = tuple(f"{folder}/" for folder in FOLDERS)


def validate(root: Path, paths: list[str], *, today: dt.date | None = None) -> ValidateResult:
    """Validate the repo; with `paths`, keep only findings in those files or folders."""
    if not paths:
        ws = workspace.load(root, today=today)
        return ValidateResult(ws.findings + _accreditation(ws), len(ws.documents))
    named = relative_paths(root, paths)
    missing = sorted(p for p in named if not (root / p).exists() and not (root / p).is_symlink())
    if missing:
        raise UsageError(f"{missing[0]}: no such file or folder in the repo")
    if any(
        p == CONFIG_NAME or p.endswith((".yaml", ".yml")) and not p.startswith(DOC_FOLDERS)
        for p in named
    ):
        # settings or a catalogue changed: every document may be affected, so check them all
        ws = workspace.load(root, today=today)
        return ValidateResult(ws.findings + _accreditation(ws), len(ws.documents))
    # findings show a badly named file escaped (documents.shown_path): match it the same way
    chosen = {shown_path(c) for c in named}

    everything = any(c in (".", "") for c in chosen)
    folders = tuple(c.rstrip("/") + "/" for c in chosen)

    def wanted(path: str) -> bool:
        return everything or path in chosen or path.startswith(folders)

    ws = workspace.load(root, today=today, focus=wanted)
    # an older repo format concerns every file: say so whichever files were named
    shown = tuple(f for f in ws.findings if wanted(f.path) or f.rule == "format")
    return ValidateResult(shown, len(ws.documents))


def _accreditation(ws: workspace.Workspace) -> tuple[Finding, ...]:
    """Findings in accreditation.yaml (DESIGN §9), which lives beside the document folders."""
    from llcompliance.core import accreditation  # only repos that have one pay for it

    if (
        not (ws.root / accreditation.ACCREDITATION_NAME).exists()
        and not (ws.root / accreditation.ACCREDITATION_NAME).is_symlink()
    ):
        return ()
    prog = (
        accreditation.programme(ws.config.catalogues[0], ws.root)
        if ws.config.catalogues
        else accreditation.Programme()
    )
    standards = {s.id for cat in ws.catalogues for s in cat.standards}
    found = accreditation.findings(ws.root, prog, standards, {item.id for item in ws.items})
    return tuple(sorted(set(found)))


class CoverageRun(NamedTuple):
    """Coverage now, and what got worse than in the HEAD commit when asked."""

    service: str
    coverage: Coverage
    regressions: tuple[Regression, ...]
    notes: tuple[str, ...]


def coverage_run(
    root: Path,
    as_of: dt.date,
    *,
    framework: str | None = None,
    compare_head: bool = False,
    with_dates: bool = False,
) -> CoverageRun:
    """Compute coverage of the working tree; with `compare_head`, also of HEAD's committed tree."""
    from llcompliance.core.coverage import compute, regressions  # not on validate's hook path

    ws = workspace.load(root, today=as_of)
    chosen = _framework(ws, framework)
    dates = gitrepo.last_changed(root) if with_dates and gitrepo.toplevel(root) else {}
    cov = compute(ws, as_of, chosen, dates)
    found: list[Regression] = []
    notes = []
    if compare_head:
        if gitrepo.toplevel(root) is None or not gitrepo.has_commits(root):
            notes.append("no commit to compare with yet: regression check skipped")
        else:
            head = gitrepo.resolve(root, "HEAD") or ""
            before = workspace.load(root, commit=head, today=as_of)
            # what is being committed is the index (pre-commit stashes unstaged edits, but not
            # untracked files or `git rm --cached`): compare HEAD with it
            staged = workspace.load(root, commit=INDEX, today=as_of)
            found = regressions(
                compute(before, as_of, _framework(before, framework)),
                compute(staged, as_of, _framework(staged, framework)),
            )
    return CoverageRun(ws.config.service, cov, tuple(found), tuple(notes))


def _framework(ws: workspace.Workspace, framework: str | None):  # type: ignore[no-untyped-def]
    if framework is None:
        return ws.framework
    for cat in ws.catalogues:
        if cat.id == framework:
            return cat
    raise UsageError(
        f"--framework {framework}: not loaded; llcompliance.yaml lists {', '.join(c.id for c in ws.catalogues)}"
    )


_ = WARNING
