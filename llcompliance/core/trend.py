"""Readiness over time: the number of ready standards on each day the repo changed, from one pass
over history (`git log --raw`), each document blob read and parsed once, never a checkout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from llcompliance.adapters import gitrepo
from llcompliance.adapters.gitrepo import TreeEntry
from llcompliance.core import catalogue as catalogue_mod
from llcompliance.core import config as config_mod
from llcompliance.core import workspace
from llcompliance.core.catalogue import Catalogue
from llcompliance.core.coverage import compute
from llcompliance.core.doccache import DocCache
from llcompliance.core.documents import MAX_FILE_BYTES, SYMLINK_MODE, CommitTree, Document, kind_of
from llcompliance.errors import ConfigError, DocumentError


@dataclass(frozen=True)
class TrendPoint:
    """Coverage at the end of one day on which the repo changed."""

    date: dt.date
    commit: str
    ready: int
    attention: int
    gap: int
    total: int

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of one point."""
        return {
            "date": self.date.isoformat(),
            "commit": self.commit,
            "ready": self.ready,
            "attention": self.attention,
            "gap": self.gap,
            "total": self.total,
        }


class ReplayTree(CommitTree):
    """A commit's files known from replayed history (path -> blob), read from bytes fetched once."""

    def __init__(
        self, repo: Path, commit: str, entries: dict[str, TreeEntry], blobs: dict[str, bytes]
    ) -> None:
        # Not CommitTree.__init__: that asks git for the tree, which replay already knows.
        self.repo = repo
        self.commit = commit
        self.label = f"commit {commit[:12]}"
        self.entries = entries
        self._folders: set[str] | None = None
        self._blobs = blobs

    def kind(self, path: str) -> str:
        entry = self.entries.get(path)
        if entry is not None:
            return "symlink" if entry.mode == SYMLINK_MODE else "file"
        if self._folders is None:  # only locations and links ask about folders: build on demand
            self._folders = {str(p) for e in self.entries for p in PurePosixPath(e).parents}
        return "dir" if path in self._folders else "missing"

    def prefetch(self, paths: list[str]) -> None:
        """Nothing to do: every blob replay needs was fetched in one batch beforehand."""

    def read_file(self, path: str) -> bytes | None:
        entry = self.entries.get(path)
        if entry is None or entry.mode == SYMLINK_MODE:
            return None
        known = (self._blobs or {}).get(entry.blob)
        return known if known is not None else super().read_file(path)


class _OneBlob:
    """A source holding one file's bytes: lets the document cache parse a historic blob."""

    def __init__(self, path: str, blob: str, raw: bytes) -> None:
        self.label = "history"
        self._path, self._blob, self._raw = path, blob, raw

    def files(self) -> list[str]:
        return [self._path]

    def read(self, path: str, limit: int) -> bytes:
        return self._raw[: limit + 1]

    def kind(self, path: str) -> str:
        return "file" if path == self._path else "missing"

    def known_blob(self, path: str) -> str | None:
        return self._blob if path == self._path else None


def _by_day(history: Iterable[gitrepo.CommitChanges]) -> list[list[gitrepo.CommitChanges]]:
    """Commits grouped by their day, oldest first (a day is judged by its last commit)."""
    days: list[list[gitrepo.CommitChanges]] = []
    for record in history:
        if days and days[-1][-1].date == record.date:
            days[-1].append(record)
        else:
            days.append([record])
    return days


def _settings_file(path: str) -> bool:
    # llcompliance.yaml and a repo's own catalogues: small YAML files outside the document folders
    return path.endswith((".yaml", ".yml")) and kind_of(path) is None


def _fetch(
    root: Path, days: list[list[gitrepo.CommitChanges]], cache: DocCache
) -> dict[str, bytes]:
    """Parse every document blob of history the cache does not know, once, in one batch; return
    the bytes still needed (settings files; documents too when the cache is off)."""
    needed: dict[str, str] = {}  # blob -> a path it was seen at
    known = cache.entries if cache.enabled else {}  # merges every bucket: once, not per change
    for records in days:
        for record in records:
            for change in record.changes:
                if change.blob is None or change.mode == SYMLINK_MODE or change.blob in needed:
                    continue
                kind = kind_of(change.path)
                cached = f"{kind}:{change.blob}" in known
                if _settings_file(change.path) or (kind is not None and not cached):
                    needed[change.blob] = change.path
    blobs = gitrepo.read_blobs(root, needed, limit=MAX_FILE_BYTES + 1)
    if cache.enabled:
        for blob, path in needed.items():
            if kind_of(path) is not None and blob in blobs:
                cache.read(_OneBlob(path, blob, blobs.pop(blob)), path)
        cache.save()  # once, not once a day
    return blobs


def trend_points(
    root: Path,
    *,
    rev: str = "HEAD",
    framework: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[TrendPoint]:
    """Coverage at the end of each day with commits on `rev`'s first-parent line, judged as of
    that day. Days whose settings cannot be read (before llcompliance.yaml existed) are left out.

    History is replayed: a path -> blob map follows each commit's changes, and only the documents
    a day changed are looked at again (their items rebuilt); the rest carry over.
    """
    days = _by_day(gitrepo.first_parent_changes(root, rev))
    cache = DocCache.for_repo(root)
    blobs = _fetch(root, days, cache)
    tree: dict[str, TreeEntry] = {}
    documents: dict[str, Document] = {}
    items: dict[str, workspace.EvidenceItem] = {}
    located: set[str] = set()  # items whose location is a path: re-resolved as the tree changes
    settings: tuple[config_mod.Config, tuple[Catalogue, ...]] | None = None
    points = []
    for index, records in enumerate(days):
        if progress is not None:
            progress(index + 1, len(days))
        changed: set[str] = set()
        for record in records:
            for change in record.changes:
                changed.add(change.path)
                if change.blob is None:
                    tree.pop(change.path, None)
                else:
                    tree[change.path] = TreeEntry(change.path, change.mode, change.blob)
        commit = records[-1].commit
        source = ReplayTree(root, commit, tree, blobs)
        if settings is None or any(_settings_file(p) for p in changed):
            settings = _settings(root, source)
        if settings is None:
            continue  # no settings yet, or broken ones on that day: nothing to judge by
        for path in sorted(changed):
            documents.pop(path, None)
            items.pop(path, None)
            located.discard(path)
            if path in tree and kind_of(path) is not None:
                doc = cache.read(source, path)
                documents[path] = doc
                if doc.kind in ("policy", "evidence") and doc.data:
                    items[path] = workspace._item(doc, source)
                    if items[path].location_path is not None:
                        located.add(path)
        for path in located - changed:  # a moved or deleted attachment changes them
            items[path] = workspace._item(documents[path], source)
        as_of = dt.date.fromisoformat(records[-1].date)
        ordered = tuple(documents[p] for p in sorted(documents))
        marked = workspace._mark_duplicates(tuple(items[p] for p in sorted(items)))
        ws = workspace.Workspace(
            root=root,
            config=settings[0],
            catalogues=settings[1],
            source_label=source.label,
            documents=ordered,
            items=marked,
            # only self-assessments count here: the others need not be sorted through each day;
            # a narrative counts only what it cites by id, so the day's item ids go with them
            self_assessments=workspace._self_assessments(
                tuple(d for d in ordered if d.kind == "self-assessment"),
                {item.id for item in marked},
            ),
            outcomes={},  # an assessor's outcome does not change a state
            findings=(),  # findings are shown, never counted
        )
        chosen = next((c for c in ws.catalogues if c.id == framework), ws.framework)
        counts = compute(ws, as_of, chosen).counts()
        points.append(
            TrendPoint(
                as_of, commit, counts["ready"], counts["attention"], counts["gap"], counts["total"]
            )
        )
    return points


def _settings(
    root: Path, source: ReplayTree
) -> tuple[config_mod.Config, tuple[Catalogue, ...]] | None:
    """The commit's settings and catalogues, as workspace.load reads them; None when unreadable."""
    raw = source.read_file(config_mod.CONFIG_NAME)
    if raw is None:
        return None
    try:
        config = config_mod.load(root, raw)
        return config, tuple(
            catalogue_mod.load(spec, root, source.read_file) for spec in config.catalogues
        )
    except (ConfigError, DocumentError):
        return None


def trend(
    root: Path, *, rev: str = "HEAD", framework: str | None = None
) -> list[tuple[dt.date, int]]:
    """(day, ready standards) for each day the repo changed, oldest first."""
    return [(p.date, p.ready) for p in trend_points(root, rev=rev, framework=framework)]
