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
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

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

# v3: documents carry has_text (v2) and words (v3); an older entry must never be trusted
CACHE_NAME = "documents-v3"
SMALL_FILES_NAME = "small-files-v1"
RACY_NS = 2_000_000_000
_OPEN: dict[tuple[str, int], DocCache] = {}


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
    for path in sorted(resources.schema_dir().glob("*.schema.json")):
        digest.update(path.read_bytes())
    # All of the package's code, so a changed parser never reuses old results; all of it, not a
    # list of the modules that parse (a list goes stale when code moves). Reading it costs ~1 ms.
    package = Path(str(sys.modules[__name__.partition(".")[0]].__file__)).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class DocCache:
    """Documents by `kind:blob`; loaded once, saved once, only when something new was parsed."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.stamp = _stamp() if path else ""
        self.entries: dict[str, Any] = {}  # kind:blob -> document, stat:path -> [signature, blob]
        self.used: set[str] = set()
        self.added = 0
        if path is not None:
            self._load()

    @classmethod
    def for_repo(cls, root: Path) -> DocCache:
        """The cache of the repo at `root`, or a disabled one (not in git, or turned off)."""
        path = store_path(root, CACHE_NAME)
        if path is None:
            return cls(None)
        try:
            mtime = path.stat().st_mtime_ns
        except OSError:
            mtime = 0
        key = (str(path), mtime)
        if key not in _OPEN:  # one JSON parse per process (config, HEAD and working tree share it)
            _OPEN.clear()
            _OPEN[key] = cls(path)
        return _OPEN[key]

    def blob_for_stat(self, path: str, signature: tuple[int, ...]) -> str | None:
        """The blob id recorded for `path` when its stat signature is unchanged."""
        entry = self.entries.get(f"stat:{path}")
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == list(signature):
            self.used.add(f"stat:{path}")
            return str(entry[1])
        return None

    def remember_stat(self, path: str, signature: tuple[int, ...], blob: str) -> None:
        """Record which blob a file held at this stat signature (not for just-written files)."""
        # A file changed again within the clock's granularity would keep its signature: like git's
        # "racily clean" rule, only trust signatures older than a couple of seconds.
        if not self.enabled or time.time_ns() - signature[0] < RACY_NS:
            return
        key = f"stat:{path}"
        if self.entries.get(key) != [list(signature), blob]:
            self.entries[key] = [list(signature), blob]
            self.added += 1
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
            entry = self.entries.get(f"{kind}:{blob}")
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

    def _load(self) -> None:
        assert self.path is not None
        try:
            raw = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return  # missing or damaged: start afresh
        if (
            isinstance(raw, dict)
            and raw.get("stamp") == self.stamp
            and isinstance(raw.get("entries"), dict)
        ):
            self.entries = raw["entries"]

    def get(self, kind: str, blob: str, path: str) -> Document | None:
        """The cached document for these bytes, re-attached to `path`, or None."""
        key = f"{kind}:{blob}"
        entry = self.entries.get(key)
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
        self.entries[key] = {
            "sha256": doc.sha256,
            "data": doc.data,
            # bodies are only needed for self-assessment narratives; links are kept separately
            "body": doc.body if doc.kind == "self-assessment" else "",
            "body_first_line": doc.body_first_line,
            "findings": [[f.line, f.rule, f.severity, f.message] for f in doc.findings],
            "key_lines": doc.key_lines,
            "links": [list(link) for link in doc.links],
            "has_text": doc.has_text,
            "words": doc.words,
        }
        self.used.add(key)
        self.added += 1

    def save(self, *, prune: bool = False) -> None:
        """Write the cache atomically when it learned something; with `prune` (after a whole
        repo was read), drop entries this run did not use once they outnumber it three to one."""
        if self.path is None or not self.added:
            return
        entries = self.entries
        if prune and len(entries) > 3 * max(len(self.used), 1):
            entries = {k: v for k, v in entries.items() if k in self.used}
        try:
            body = json.dumps({"stamp": self.stamp, "entries": entries}, separators=(",", ":"))
            write_atomic(self.path, body.encode("utf-8"))
            _OPEN.clear()
            _OPEN[(str(self.path), self.path.stat().st_mtime_ns)] = self
        except (OSError, TypeError, ValueError):
            pass  # a cache that cannot be written only costs speed
        self.added = 0


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
