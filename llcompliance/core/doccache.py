"""A cache of parsed, schema-checked documents keyed by git blob id, kept inside `.git/`.

Hooks run on every commit: re-parsing and re-validating 2,500 unchanged documents each time costs
seconds. A document's own findings depend only on its bytes and kind, so they are cached by blob id
(known from git without reading unchanged files) and only what changed is parsed again. The cache
lives in git's own folder (`.git/llcompliance/`), so it is never committed; `LLCOMPLIANCE_CACHE=0` turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from llcompliance import __version__
from llcompliance.adapters import gitrepo, resources
from llcompliance.adapters.fsutil import write_atomic
from llcompliance.adapters.gitrepo import (
    blob_id as blob_id,  # catalogue and config import it from here
)
from llcompliance.core.documents import (
    MAX_FILE_BYTES,
    Document,
    Source,
    WorkTree,
    kind_of,
    read_document,
    shown_path,
)
from llcompliance.core.findings import Finding

# v3: documents carry has_text (v2) and words (v3); an older entry must never be trusted;
# v4: a folder of 256 bucket files instead of one file
CACHE_NAME = "documents-v4"
SMALL_FILES_NAME = "small-files-v1"
RACY_NS = 2_000_000_000


def store_path(root: Path | None, name: str) -> Path | None:
    """Where the cache file `name` of the evidence repo at `root` lives, or None when caching is
    off or `root` is not in git.

    Git is asked where its folder is: `.git` is a file in a linked worktree, and further up when
    the evidence repo is a folder of a larger repository. The folder is this checkout's own
    (never committed; removed with its worktree, whose files have their own stat signatures).
    """
    if root is None or os.environ.get("LLCOMPLIANCE_CACHE", "1") == "0":
        return None
    dirs = gitrepo.git_dirs(root)
    if dirs is None:
        return None
    # two evidence repos in one monorepo keep apart: their paths and settings would collide
    prefix = dirs.prefix.encode("utf-8", "surrogateescape")
    tag = "-" + hashlib.sha256(prefix).hexdigest()[:12] if prefix else ""
    return dirs.git_dir / "llcompliance" / f"{name}{tag}.json"


@cache
def _stamp() -> str:
    """Changes whenever the tool or a schema changes, so stale results are never used."""
    digest = hashlib.sha256(__version__.encode())
    # The schemas and all of the package's code, so a changed parser never reuses old results;
    # all of it, not a list of the modules that parse (a list goes stale when code moves). Each
    # file by name, size and modification time: an edit or a reinstall changes them, and a stat
    # is cheaper than a read on every hook run (os.scandir: pathlib's glob costs more than the
    # rest of a warm hook's lookups).
    package = os.path.dirname(str(sys.modules[__name__.partition(".")[0]].__file__))
    for top, suffix in ((str(resources.schema_dir()), ".schema.json"), (package, ".py")):
        for name, info in sorted(_files_below(top, suffix)):
            digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _files_below(top: str, suffix: str, prefix: str = "") -> Iterator[tuple[str, os.stat_result]]:
    """(path below `top`, stat) of each file whose name ends in `suffix`, in any subfolder."""
    with os.scandir(top) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                yield from _files_below(entry.path, suffix, f"{prefix}{entry.name}/")
            elif entry.name.endswith(suffix):
                yield f"{prefix}{entry.name}", entry.stat()


class DocCache:
    """Documents by `kind:blob` and stat signatures by path, in 256 bucket files loaded only when
    asked for: a hook that looks up five documents reads five small files, not the whole cache.
    Saved once, only the buckets that learned something."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.stamp = _stamp() if path else ""
        self._buckets: dict[str, dict[str, Any]] = {}  # "0f" -> {key: entry}
        self._dirty: set[str] = set()
        self.used: set[str] = set()
        self.added = 0

    @classmethod
    def for_repo(cls, root: Path) -> DocCache:
        """The cache of the repo at `root`, or a disabled one (not in git, or turned off)."""
        path = store_path(root, CACHE_NAME)
        return cls(path.with_suffix("") if path is not None else None)

    @staticmethod
    def _name(key: str) -> str:
        """The bucket of a key: a blob id's first two hex digits, a path's hash's for stat keys."""
        kind, _, rest = key.partition(":")
        if kind == "stat":
            return hashlib.sha1(rest.encode("utf-8", "surrogateescape")).hexdigest()[:2]
        return rest[:2].lower()

    def _bucket(self, key: str) -> dict[str, Any]:
        name = self._name(key)
        found = self._buckets.get(name)
        if found is None:
            found = self._buckets[name] = self._load(name)
        return found

    def _load(self, name: str) -> dict[str, Any]:
        if self.path is None:
            return {}
        file = self.path / f"{name}.json"
        try:
            info = file.stat()
        except OSError:
            return {}
        token = (info.st_mtime_ns, info.st_size, self.stamp)
        known = _BUCKETS.get(str(file))
        if known is not None and known[0] == token:
            return known[1]  # one JSON parse per process (config, HEAD and working tree share it)
        try:
            raw = json.loads(file.read_bytes())
        except (OSError, ValueError):
            return {}  # missing or damaged: start afresh
        entries: dict[str, Any] = {}
        if (
            isinstance(raw, dict)
            and raw.get("stamp") == self.stamp
            and isinstance(raw.get("entries"), dict)
        ):
            entries = raw["entries"]
        _BUCKETS[str(file)] = (token, entries)
        return entries

    @property
    def entries(self) -> dict[str, Any]:
        """Every entry of every bucket (loads them all: for tests and pruning)."""
        if self.path is not None and self.path.is_dir():
            for file in self.path.glob("??.json"):
                if file.stem not in self._buckets:
                    self._buckets[file.stem] = self._load(file.stem)
        return {k: v for bucket in self._buckets.values() for k, v in bucket.items()}

    def _set(self, key: str, value: Any) -> None:
        self._bucket(key)[key] = value
        self._dirty.add(self._name(key))
        self.added += 1

    def blob_for_stat(self, path: str, signature: tuple[int, ...]) -> str | None:
        """The blob id recorded for `path` when its stat signature is unchanged."""
        key = f"stat:{path}"
        entry = self._bucket(key).get(key)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == list(signature):
            self.used.add(key)
            return str(entry[1])
        return None

    def remember_stat(self, path: str, signature: tuple[int, ...], blob: str) -> None:
        """Record which blob a file held at this stat signature (not for just-written files)."""
        # A file changed again within the clock's granularity would keep its signature: like git's
        # "racily clean" rule, only trust signatures older than a couple of seconds.
        if not self.enabled or time.time_ns() - signature[0] < RACY_NS:
            return
        key = f"stat:{path}"
        if self._bucket(key).get(key) != [list(signature), blob]:
            self._set(key, [list(signature), blob])
        self.used.add(key)

    def peek_id(self, source: Source, path: str) -> str | None:
        """A document's id from the cache when the file is unchanged ("" if it has none), else None."""
        signature = source.stat_key(path) if isinstance(source, WorkTree) else None
        blob = source.known_blob(path) or (
            self.blob_for_stat(path, signature) if signature else None
        )
        if blob is None:
            return None
        for kind in ("policy", "evidence", "self-assessment", "assessment"):
            entry = self._bucket(f"{kind}:{blob}").get(f"{kind}:{blob}")
            if isinstance(entry, dict):
                data = entry.get("data")
                value = (
                    data.get("id")
                    if isinstance(data, dict) and kind in ("policy", "evidence")
                    else ""
                )
                return value if isinstance(value, str) else ""
        return None

    def read(self, source: Source, path: str) -> Document:
        """`documents.read_document`, but parsed only when these bytes were never seen before.

        Unchanged files are recognised without reading them: by blob id in a commit or the index,
        by stat signature in the working tree.
        """
        if not self.enabled or shown_path(path) != path or source.kind(path) != "file":
            return read_document(source, path)
        kind = kind_of(path) or "unknown"
        known = source.known_blob(path)
        signature = source.stat_key(path) if isinstance(source, WorkTree) else None
        if known is None and signature is not None:
            known = self.blob_for_stat(path, signature)
        if known is not None:
            hit = self.get(kind, known, path)
            if hit is not None:
                return hit
        try:
            raw = source.read(path, MAX_FILE_BYTES)
        except OSError:
            return read_document(source, path)  # says why it cannot be read
        if len(raw) > MAX_FILE_BYTES:
            return read_document(source, path)
        blob = blob_id(raw)
        if signature is not None:
            self.remember_stat(path, signature, blob)
        hit = self.get(kind, blob, path)
        if hit is not None:
            return hit
        doc = read_document(_Bytes(source, path, raw), path)
        if _cacheable(doc.data):
            self.put(blob, doc)
        return doc

    @property
    def enabled(self) -> bool:
        """False when results are never kept."""
        return self.path is not None

    def get(self, kind: str, blob: str, path: str) -> Document | None:
        """The cached document for these bytes, re-attached to `path`, or None."""
        key = f"{kind}:{blob}"
        entry = self._bucket(key).get(key) if self.enabled else None
        if not isinstance(entry, dict):
            return None
        try:
            doc = Document(
                path=path,
                kind=kind,
                sha256=entry["sha256"],
                data=entry["data"],
                body=entry["body"],
                body_first_line=entry["body_first_line"],
                findings=tuple(
                    Finding(path, line, rule, severity, message)
                    for line, rule, severity, message in entry["findings"]
                ),
                key_lines=entry["key_lines"],
                links=tuple((target, line) for target, line in entry["links"]),
                has_text=bool(entry["has_text"]),
                words=int(entry["words"]),
            )
        except (KeyError, TypeError, ValueError):
            return None
        self.used.add(key)
        return doc

    def put(self, blob: str, doc: Document) -> None:
        """Remember a freshly read document."""
        if not self.enabled:
            return
        key = f"{doc.kind}:{blob}"
        self._set(
            key,
            {
                "sha256": doc.sha256,
                "data": doc.data,
                # bodies are only needed for self-assessment narratives; links are kept separately
                "body": doc.body if doc.kind == "self-assessment" else "",
                "body_first_line": doc.body_first_line,
                "findings": [[f.line, f.rule, f.severity, f.message] for f in doc.findings],
                "key_lines": dict(doc.key_lines),
                "links": [list(link) for link in doc.links],
                "has_text": doc.has_text,
                "words": doc.words,
            },
        )
        self.used.add(key)

    def save(self, *, prune: bool = False) -> None:
        """Write the buckets that learned something, atomically; with `prune` (after a whole repo
        was read), drop entries this run did not use once they outnumber it three to one."""
        if self.path is None or not self.added:
            return
        if prune:
            everything = self.entries  # loads every bucket
            if len(everything) > 3 * max(len(self.used), 1):
                for name, bucket in self._buckets.items():
                    unused = [k for k in bucket if k not in self.used]
                    for key in unused:
                        del bucket[key]
                    if unused:
                        self._dirty.add(name)
        for name in sorted(self._dirty):
            file = self.path / f"{name}.json"
            entries = self._buckets[name]
            try:
                body = json.dumps({"stamp": self.stamp, "entries": entries}, separators=(",", ":"))
                _write_quick(file, body.encode("utf-8"))
                info = file.stat()
                _BUCKETS[str(file)] = ((info.st_mtime_ns, info.st_size, self.stamp), entries)
            except (OSError, TypeError, ValueError):
                pass  # a cache that cannot be written only costs speed
        self._dirty.clear()
        self.added = 0


_BUCKETS: dict[str, tuple[tuple[int, int, str], dict[str, Any]]] = {}


def _write_quick(path: Path, data: bytes) -> None:
    """Replace `path` atomically without fsync: a cache lost in a crash is only rebuilt (a
    truncated bucket is not JSON and is ignored), and 256 fsyncs would make a cold run slow."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_bytes(data)
        os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


class _Bytes:
    """A source that answers one path from bytes already read (so a file is read once)."""

    def __init__(self, source: Source, path: str, raw: bytes) -> None:
        self._source, self._path, self._raw = source, path, raw
        self.label = source.label

    def files(self) -> list[str]:
        return self._source.files()

    def read(self, path: str, limit: int) -> bytes:
        return self._raw[: limit + 1] if path == self._path else self._source.read(path, limit)

    def kind(self, path: str) -> str:
        return self._source.kind(path)

    def known_blob(self, path: str) -> str | None:
        return None


def _cacheable(value: Any) -> bool:
    """Only plain JSON data with string keys survives a JSON round trip unchanged."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _cacheable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_cacheable(v) for v in value)
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    return value is None or isinstance(value, str | int | bool)


class SmallFiles:
    """Parsed, already-valid small files (llcompliance.yaml, catalogues) by name and blob id, in a
    file of their own: a warm run then needs neither PyYAML nor jsonschema to read them."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.stamp = _stamp() if path else ""
        self.entries: dict[str, Any] = {}
        if path is not None:
            try:
                raw = json.loads(path.read_bytes())
            except (OSError, ValueError):
                raw = None
            if (
                isinstance(raw, dict)
                and raw.get("stamp") == self.stamp
                and isinstance(raw.get("entries"), dict)
            ):
                self.entries = raw["entries"]

    @classmethod
    def for_repo(cls, root: Path | None) -> SmallFiles:
        """The store of the repo at `root` (disabled outside git, with no repo, or turned off)."""
        path = store_path(root, SMALL_FILES_NAME)
        if path is None:
            return cls(None)
        key = str(path)
        found = _SMALL.get(key)
        if found is None or found.stamp != _stamp():
            found = _SMALL[key] = cls(path)
        return found

    def get(self, name: str, blob: str) -> Any:
        """The parsed data stored for `name` at this blob id, or None."""
        entry = self.entries.get(name)
        if isinstance(entry, dict) and entry.get("blob") == blob:
            return entry.get("data")
        return None

    def put(self, name: str, blob: str, data: Any) -> None:
        """Remember valid parsed data for `name` at this blob id."""
        if self.path is None or self.get(name, blob) is not None:
            return
        self.entries[name] = {"blob": blob, "data": data}
        with contextlib.suppress(OSError, TypeError, ValueError):  # only costs speed
            write_atomic(
                self.path,
                json.dumps({"stamp": self.stamp, "entries": self.entries}).encode("utf-8"),
            )


_SMALL: dict[str, SmallFiles] = {}


INDEX_NAME = "index-v1"


class IndexEntry(NamedTuple):
    """What the cross-checks of other documents need to know about one document (a tuple: the
    hook makes one per document in the repo, and a frozen dataclass costs far more to make)."""

    raw_id: str  # `id:` of a policy or evidence record ("" if none): duplicate ids
    item_id: str | None  # the evidence item's id as the workspace names it (None: no item)
    standards: tuple[str, ...]  # the standards an item lists: one-sided citations
    claims: str | None  # the standard a self-assessment says it is for: which file speaks for it


def index_entry(doc: Document) -> IndexEntry:
    """The index's view of a document that was read."""
    from llcompliance.adapters.printable import printable

    data = doc.data
    raw = data.get("id") if isinstance(data, dict) else None
    raw_id = raw if isinstance(raw, str) and doc.kind in ("policy", "evidence") else ""
    if not data or doc.kind not in ("policy", "evidence"):
        claimed = data.get("standard") if data and doc.kind == "self-assessment" else None
        return IndexEntry(raw_id, None, (), claimed if isinstance(claimed, str) else None)
    standards = []
    listed = data.get("standards")
    for ref in listed if isinstance(listed, list) else []:
        if isinstance(ref, str):
            standards.append(printable(ref))
        elif isinstance(ref, dict) and isinstance(ref.get("id"), str):
            standards.append(printable(ref["id"]))
    return IndexEntry(raw_id, printable(raw_id) if raw_id else doc.path, tuple(standards), None)


class DocIndex:
    """Every working-tree document's stat signature with its `IndexEntry`, and the stamps of the
    folders they were listed from, in one small file beside the cache.

    `validate PATHS` checks changed files against the rest without reading or even listing them:
    folder mtimes tell whether any file was added, removed or renamed (then the folders are listed
    again), stat signatures whether a file's content may have changed (then it is read again,
    through the cache). Signatures and folder stamps younger than two seconds are never trusted.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.stamp = _stamp() if path else ""
        self.dirs: dict[str, int] = {}  # folder -> mtime_ns (-1: missing or not a real folder)
        self.docs: dict[
            str, list[Any]
        ] = {}  # path -> [signature..., raw_id, item_id, standards, claims]
        self.others: list[str] = []  # files that are not documents (attachments): their names
        self.changed = False
        if path is not None:
            try:
                raw = json.loads(path.read_bytes())
            except (OSError, ValueError):
                raw = None
            if isinstance(raw, dict) and raw.get("stamp") == self.stamp:
                dirs, docs, others = raw.get("dirs"), raw.get("docs"), raw.get("others")
                if (
                    isinstance(dirs, dict)
                    and isinstance(docs, dict)
                    and isinstance(others, list)
                    and all(isinstance(name, str) for name in others)
                ):
                    self.dirs, self.docs, self.others = dirs, docs, others

    @classmethod
    def for_repo(cls, root: Path) -> DocIndex:
        """The index of the working tree at `root` (disabled outside git or with the cache off)."""
        return cls(store_path(root, INDEX_NAME))

    @property
    def enabled(self) -> bool:
        """False when nothing is kept."""
        return self.path is not None

    def listing(self, root: Path) -> tuple[list[str], list[str]] | None:
        """(documents, other files) as last listed, when no folder changed since; else None."""
        if not self.dirs:
            return None
        for folder, stamp in self.dirs.items():
            if _dir_stamp(root, folder) != stamp or stamp == -2:
                return None
        return sorted(self.docs), self.others

    def relist(
        self, root: Path, documents: list[str], others: list[str], folders: dict[str, int]
    ) -> None:
        """Record a fresh listing (folders stamped before it was taken, so a change during it shows)."""
        self.dirs = folders
        self.docs = {p: self.docs[p] for p in documents if p in self.docs}
        for path in documents:
            self.docs.setdefault(path, [])
        self.others = others
        self.changed = True

    def stale(self, prefix: str, paths: list[str], skip: set[str]) -> list[str]:
        """Of `paths` (less `skip`), those whose row is missing, not shaped as `put` writes it, or
        whose stat signature (as `WorkTree.stat_key` makes it, the file at `prefix + path`)
        differs from the indexed one: they must be read again. The rest keep their rows in
        `docs`, fresh and well-formed.

        The hook calls this for every document in the repo, so it is one tight loop: a stat and
        four comparisons per file, nothing built for the files that did not change."""
        found: list[str] = []
        docs, lstat = self.docs, os.lstat
        for path in paths:
            if path in skip:
                continue
            row = docs.get(path)
            try:
                info = lstat(prefix + path)
                if (
                    row
                    and len(row) == 8
                    and row[0] == info.st_mtime_ns
                    and row[1] == info.st_ctime_ns
                    and row[2] == info.st_size
                    and row[3] == info.st_ino
                    # and shaped as `put` writes it (a row edited on disk is simply read again)
                    and type(row[4]) is str
                    and type(row[6]) is list
                    and (row[5] is None or type(row[5]) is str)
                    and (row[7] is None or type(row[7]) is str)
                ):
                    continue
            except (OSError, ValueError, TypeError, KeyError):  # a row not as we write them
                pass
            found.append(path)
        return found

    def put(self, path: str, signature: tuple[int, ...] | None, entry: IndexEntry) -> None:
        """Remember a document read at this signature (a racy or missing one: never matched);
        kept in memory even when the index is not saved."""
        sig = list(signature) if signature else [-1, -1, -1, -1]
        if signature and time.time_ns() - signature[0] < RACY_NS:
            sig = [-1, -1, -1, -1]
        row = [*sig, entry.raw_id, entry.item_id, list(entry.standards), entry.claims]
        if self.docs.get(path) != row:
            self.docs[path] = row
            self.changed = True

    def save(self) -> None:
        """Write the index atomically when it changed (a failure only costs speed)."""
        if self.path is None or not self.changed:
            return
        body = {"stamp": self.stamp, "dirs": self.dirs, "docs": self.docs, "others": self.others}
        with contextlib.suppress(OSError, TypeError, ValueError):
            _write_quick(self.path, json.dumps(body, separators=(",", ":")).encode("utf-8"))
        self.changed = False


def _dir_stamp(root: Path, folder: str) -> int:
    """A folder's mtime (changes when an entry is added, removed or renamed), -1 if not a folder."""
    try:
        info = os.lstat(os.path.join(root, folder))
    except (OSError, ValueError):
        return -1
    return info.st_mtime_ns if stat.S_ISDIR(info.st_mode) else -1


def folder_stamps(root: Path, tops: Iterable[str]) -> dict[str, int]:
    """The mtime of every folder `WorkTree.files` lists below `tops` (-1: missing, -2: changed
    within the last two seconds, so never trusted), taken before the listing."""
    found: dict[str, int] = {}
    now = time.time_ns()
    pending = list(tops)
    while pending:
        folder = pending.pop()
        stamp = _dir_stamp(root, folder)
        found[folder] = -2 if stamp >= 0 and now - stamp < RACY_NS else stamp
        if stamp < 0:
            continue
        try:
            with os.scandir(os.path.join(root, folder)) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False) and not entry.name.startswith("."):
                        pending.append(f"{folder}/{entry.name}")
        except OSError:
            found[folder] = -2
    return found
