"""What changed between two readiness reports: states, evidence per standard, file digests."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from llcompliance.core import catalogue as catalogue_mod
from llcompliance.core import config as config_mod
from llcompliance.core.states import STATE_RANK
from llcompliance.report import build as report
from llcompliance.report import model as readiness
from llcompliance.report.model import Report, Standard


@dataclass(frozen=True)
class StateChange:
    """A standard whose state differs between two reports (None: not in that report)."""

    id: str
    title: str
    before: str | None
    after: str | None

    @property
    def better(self) -> bool:
        """True when the standard moved towards ready."""
        return STATE_RANK.get(self.after or "", -1) > STATE_RANK.get(self.before or "", -1)


@dataclass(frozen=True)
class EvidenceChange:
    """Evidence ids listed for one standard that were added, removed or whose file changed."""

    standard: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    edited: tuple[str, ...]


@dataclass(frozen=True)
class ReportDiff:
    """What changed from one readiness report (before) to another (after)."""

    before_as_of: str
    after_as_of: str
    before_commit: str
    after_commit: str
    summary_before: dict[str, int]
    summary_after: dict[str, int]
    states: tuple[StateChange, ...]
    evidence: tuple[EvidenceChange, ...]
    files_added: tuple[str, ...]
    files_removed: tuple[str, ...]
    files_edited: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when no standard changed state, no evidence and no file changed."""
        return not (
            self.states
            or self.evidence
            or self.files_added
            or self.files_removed
            or self.files_edited
        )

    def state_change(self, standard_id: str) -> StateChange | None:
        """The change of one standard's state, if it changed."""
        return next((c for c in self.states if c.id == standard_id), None)

    def evidence_change(self, standard_id: str) -> EvidenceChange | None:
        """The evidence changes listed under one standard, if any."""
        return next((c for c in self.evidence if c.standard == standard_id), None)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able dict (for `diff --format json`)."""
        return {
            "before": {
                "as_of": self.before_as_of,
                "commit": self.before_commit,
                "summary": self.summary_before,
            },
            "after": {
                "as_of": self.after_as_of,
                "commit": self.after_commit,
                "summary": self.summary_after,
            },
            "states": [asdict(c) for c in self.states],
            "evidence": [
                {
                    "standard": c.standard,
                    "added": list(c.added),
                    "removed": list(c.removed),
                    "edited": list(c.edited),
                }
                for c in self.evidence
            ],
            "files": {
                "added": list(self.files_added),
                "removed": list(self.files_removed),
                "edited": list(self.files_edited),
            },
            "notes": list(self.notes),
        }


def _evidence_map(std: Standard | None) -> dict[str, tuple[str, str]]:
    if std is None:
        return {}
    return {e.id: (e.path, e.sha256) for e in std.evidence}


def _changed_keys(before: Mapping[str, object], after: Mapping[str, object]) -> tuple[str, ...]:
    return tuple(sorted(k for k in set(before) & set(after) if before[k] != after[k]))


def diff_reports(old: Report, new: Report) -> ReportDiff:
    """Compare two readiness reports: states, evidence per standard, every file's digest."""
    old_std = {s.id: s for s in old.standards}
    new_std = {s.id: s for s in new.standards}
    order = list(new_std) + [sid for sid in old_std if sid not in new_std]
    states: list[StateChange] = []
    evidence: list[EvidenceChange] = []
    for sid in order:
        before, after = old_std.get(sid), new_std.get(sid)
        state_before = before.state if before else None
        state_after = after.state if after else None
        if state_before != state_after:
            title = next((s.title for s in (after, before) if s is not None), None)
            states.append(StateChange(sid, title or "", state_before, state_after))
        items_before, items_after = _evidence_map(before), _evidence_map(after)
        added = tuple(sorted(set(items_after) - set(items_before)))
        removed = tuple(sorted(set(items_before) - set(items_after)))
        edited = _changed_keys(items_before, items_after)
        if added or removed or edited:
            evidence.append(EvidenceChange(sid, added, removed, edited))
    files_before, files_after = old.files, new.files
    return ReportDiff(
        before_as_of=old.as_of,
        after_as_of=new.as_of,
        before_commit=old.source.commit,
        after_commit=new.source.commit,
        summary_before=old.summary.as_dict(),
        summary_after=new.summary.as_dict(),
        states=tuple(states),
        evidence=tuple(evidence),
        files_added=tuple(sorted(set(files_after) - set(files_before))),
        files_removed=tuple(sorted(set(files_before) - set(files_after))),
        files_edited=_changed_keys(files_before, files_after),
        notes=tuple(_notes(old, new)),
    )


def _notes(old: Report, new: Report) -> list[str]:
    notes = []
    fw_old, fw_new = old.framework, new.framework
    if (fw_old.id, fw_old.version) != (fw_new.id, fw_new.version):
        notes.append(
            f"the framework changed from {fw_old.id} {fw_old.version} to "
            f"{fw_new.id} {fw_new.version}: "
            "standards may differ for that reason"
        )
    if old.as_of != new.as_of:
        notes.append(
            f"the reports are judged on different dates ({old.as_of} and "
            f"{new.as_of}): review dates that passed in between change states too"
        )
    v_old, v_new = old.tool.version, new.tool.version
    if v_old != v_new:
        notes.append(
            f"the reports were made by different llcompliance versions ({v_old} and "
            f"{v_new}): some changes may come from the tool, not the evidence"
        )
    return notes


def diff_against_head(report_dir: Path, root: Path, as_of: dt.date | None = None) -> ReportDiff:
    """A previous report versus a fresh report of HEAD judged on `as_of` (default: today).

    Today, not the previous report's date, because the question is what a report made now says
    that the last one did not, and a review date that has passed since is such a change. Pass the
    previous report's as_of to see only what the commits changed.
    """
    old = readiness.load(report_dir)
    built = report.build(root, as_of or dt.date.today(), framework=_same_framework(root, old))
    diff = diff_reports(old, readiness.parse(built.data))
    return dataclasses.replace(diff, notes=built.warnings + diff.notes)


def _same_framework(root: Path, old: Report) -> str | None:
    """The previous report's catalogue when this repo still configures it, else the default."""
    config = config_mod.load(root)
    configured = {catalogue_mod.load(spec, root).id for spec in config.catalogues}
    return old.framework.id if old.framework.id in configured else None
