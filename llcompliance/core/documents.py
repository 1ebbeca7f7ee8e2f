"""Evidence documents: where they are (working tree or a commit), how they are read and checked."""

from __future__ import annotations

import os
import posixpath
import re
import stat
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

from llcompliance.adapters import canonical, gitrepo, schemas, yamlio
from llcompliance.adapters.printable import printable
from llcompliance.core.findings import ERROR, Finding
from llcompliance.errors import DocumentError

MAX_FILE_BYTES = yamlio.MAX_DOCUMENT_BYTES
SYMLINK_MODE = "120000"

# Document kind by top folder (DESIGN §4); attachments under evidence/files/ are not records.
FOLDERS = {
    "standards": "self-assessment",
    "policies": "policy",
    "evidence": "evidence",
    "assessments": "assessment",
}
ATTACHMENT_DIR = "evidence/files/"
SUFFIXES = {
    "self-assessment": (".md",),
    "policy": (".md",),
    "evidence": (".yaml", ".yml", ".md"),
    "assessment": (".yaml", ".yml"),
}


class Source(Protocol):
    """Files of an evidence repo, from the working tree or from a commit."""

    label: str

    def files(self) -> list[str]: ...

    def read(self, path: str, limit: int) -> bytes: ...

    def kind(self, path: str) -> str: ...  # "file" | "dir" | "symlink" | "other" | "missing"

    def known_blob(self, path: str) -> str | None: ...  # blob id when known without reading


class WorkTree:
    """The files on disk below the repo root (what is about to be committed)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.label = "working tree"
        self._root_text = str(root)
        self.prefix = os.path.join(self._root_text, "")  # "root/": a path on disk is prefix + path
        self._kinds: dict[str, str] = {}

    def known_blob(self, path: str) -> str | None:
        """None: a working-tree file must be read (the cache recognises unchanged files by stat)."""
        return None

    def files(self) -> list[str]:
        found: list[str] = []
        for top in FOLDERS:
            base = self.root / top
            if not base.is_dir() or base.is_symlink():
                continue
            # An explicit stack, not os.walk: os.walk recurses, and fails ~1,000 folders deep.
            pending = [top]
            while pending:
                rel_dir = pending.pop()
                try:
                    entries = sorted(os.scandir(self.root / rel_dir), key=lambda e: e.name)
                except OSError:
                    continue
                for entry in entries:
                    rel = f"{rel_dir}/{entry.name}"
                    if not entry.is_dir(follow_symlinks=False):
                        found.append(rel)
                    elif not entry.name.startswith("."):
                        pending.append(rel)
                        # a directory named like a document is reported, not descended silently
                        if entry.name.endswith((".md", ".yaml", ".yml")):
                            found.append(rel)
        return found

    def _stat(self, path: str) -> os.stat_result | None:
        try:
            return os.lstat(self.prefix + path)  # paths are relative: no join needed
        except (OSError, ValueError):
            return None

    def kind(self, path: str) -> str:
        known = self._kinds.get(path)
        if known is not None:
            return known  # checks of links and locations ask about the same folders many times
        info = self._stat(path)
        if info is None:
            kind = "missing"
        elif stat.S_ISLNK(info.st_mode):
            kind = "symlink"
        elif stat.S_ISDIR(info.st_mode):
            kind = "dir"
        else:
            kind = "file" if stat.S_ISREG(info.st_mode) else "other"  # a pipe would block a read
        self._kinds[path] = kind
        return kind

    def stat_key(self, path: str) -> tuple[int, int, int, int] | None:
        """What changes when a file's content may have: as git's index compares."""
        info = self._stat(path)
        return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino) if info else None

    def read(self, path: str, limit: int) -> bytes:
        with open(self.root / path, "rb") as handle:
            return handle.read(limit + 1)


INDEX = ":index"  # as a CommitTree's commit: the files staged for the next commit


class CommitTree:
    """The files of a commit, read from git objects without a checkout."""

    def __init__(self, repo: Path, commit: str) -> None:
        self.repo = repo
        self.commit = commit
        self.label = "the staged files" if commit == INDEX else f"commit {commit[:12]}"
        self.entries = (
            gitrepo.index_entries(repo) if commit == INDEX else gitrepo.ls_tree(repo, commit)
        )
        self._dirs = {str(p) for e in self.entries for p in PurePosixPath(e).parents}
        self._blobs: dict[str, bytes] | None = None

    def files(self) -> list[str]:
        return sorted(p for p in self.entries if p.split("/", 1)[0] in FOLDERS)

    def known_blob(self, path: str) -> str | None:
        """The blob id of a file in the commit."""
        entry = self.entries.get(path)
        return entry.blob if entry else None

    def read_file(self, path: str) -> bytes | None:
        """Any file of the commit by repo-relative path (normalised), or None."""
        entry = self.entries.get(posixpath.normpath(path).lstrip("/"))
        if entry is None or entry.mode == SYMLINK_MODE:
            return None
        return gitrepo.read_blobs(self.repo, [entry.blob]).get(entry.blob)

    def prefetch(self, paths: list[str]) -> None:
        """Read the blobs of these paths in one `git cat-file --batch` call."""
        wanted = [self.entries[p].blob for p in paths if p in self.entries]
        fetched = gitrepo.read_blobs(self.repo, wanted, limit=MAX_FILE_BYTES + 1)
        self._blobs = {**(self._blobs or {}), **fetched}

    def _all_blobs(self) -> dict[str, bytes]:
        if self._blobs is None:  # one cat-file --batch for every document blob
            self.prefetch(self.files())
        assert self._blobs is not None
        return self._blobs

    def kind(self, path: str) -> str:
        entry = self.entries.get(path)
        if entry is None:
            return "dir" if path in self._dirs else "missing"
        return "symlink" if entry.mode == SYMLINK_MODE else "file"

    def read(self, path: str, limit: int) -> bytes:
        blob = self.entries[path].blob
        data = self._all_blobs().get(blob)
        if data is None:
            data = gitrepo.read_blobs(self.repo, [blob]).get(blob, b"")
        return data[: limit + 1]


class Document(NamedTuple):
    """One evidence document as read: its data, Markdown body and the problems found in it."""

    path: str
    kind: str
    sha256: str
    data: dict[str, Any] | None
    body: str
    body_first_line: int
    findings: tuple[Finding, ...]
    key_lines: Mapping[str, int] = MappingProxyType({})  # file line of each top-level key
    links: tuple[tuple[str, int], ...] = ()  # Markdown link targets and their body lines
    has_text: bool = True  # the body has prose beyond headings and template comments
    words: int = 0  # words of the body's own text: headings and template comments do not count

    @property
    def valid(self) -> bool:
        """True when the document has no error findings of its own."""
        return not any(f.severity == ERROR for f in self.findings)


def kind_of(path: str) -> str | None:
    """The document kind a repo-relative path has by its folder, or None."""
    top = path.split("/", 1)[0]
    kind = FOLDERS.get(top)
    if kind is None or path.startswith(ATTACHMENT_DIR) or "/" not in path:
        return None
    name = posixpath.basename(path)
    if name.lower() == "readme.md" or any(part.startswith(".") for part in path.split("/")):
        return None  # hidden files and folders are skipped alike on disk and in commits
    if kind == "self-assessment" and path.count("/") != 1:
        return None
    return kind if name.lower().endswith(SUFFIXES[kind]) else None


def discover(source: Source) -> list[str]:
    """Repo-relative paths of every document in the source, sorted."""
    return sorted(p for p in source.files() if kind_of(p) is not None)


def shown_path(path: str) -> str:
    """A path as findings show it: unchanged unless it has control or undecodable characters."""
    return printable(path)


def name_finding(path: str) -> Finding | None:
    """A `file-name` finding for a name with control, invisible or non-UTF-8 characters."""
    if shown_path(path) == path:
        return None
    return Finding(
        shown_path(path),
        1,
        "file-name",
        ERROR,
        "the file name has control, invisible or non-UTF-8 characters that can disguise it: "
        "rename it using plain UTF-8 letters, digits and '-'",
    )


def read_document(source: Source, path: str) -> Document:
    """Read, parse and schema-check one document; problems become findings, never exceptions."""
    kind = kind_of(path) or "unknown"
    finding = name_finding(path)
    if finding is not None:
        return Document(finding.path, kind, "", None, "", 1, (finding,))
    try:
        return _read(source, path, kind)
    except DocumentError as exc:
        finding = Finding(path, exc.line or 1, exc.rule, ERROR, str(exc))
        return Document(path, kind, "", None, "", 1, (finding,))


_LINK_HINT = ("](", "]:")


_COMMENTS = re.compile(r"<!--.*?(-->|\Z)", re.S)


def has_text(body: str) -> bool:
    """True when a Markdown body has any line besides headings and <!-- template comments -->."""
    return any(
        line.strip() and not line.lstrip().startswith("#")
        for line in _COMMENTS.sub("", body).splitlines()
    )


_WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")


def own_text(body: str) -> str:
    """A Markdown body without headings and <!-- template prompts -->: what its authors wrote."""
    return "\n".join(
        line for line in _COMMENTS.sub("", body).splitlines() if not line.lstrip().startswith("#")
    )


def word_count(text: str) -> int:
    """Words in `text` (runs of letters or digits; "don't" and "24-hour" are one word each)."""
    return len(_WORD.findall(text))


MAX_LINK_CHECK_CHARS = 512 * 1024


def _links(body: str) -> tuple[tuple[str, int], ...]:
    if not any(hint in body for hint in _LINK_HINT):
        return ()  # no inline link or link definition: skip the Markdown parse (slow on junk)
    from llcompliance.adapters.markdown import (
        extract_links,  # lazy: markdown-it is only needed for bodies with links
    )

    # markdown-it takes ~10 µs a character on bracket soup: check links in the first 512 KB only
    # (real policies are a few KB; the 2 MB document limit still applies to the whole file).
    return tuple(extract_links(body[:MAX_LINK_CHECK_CHARS]))


def _read(source: Source, path: str, kind: str) -> Document:
    node_kind = source.kind(path)
    if node_kind == "symlink":
        raise DocumentError(
            "is a symbolic link; documents must be real files inside the repo: replace the link "
            "with the file itself",
            rule="symlink",
        )
    if node_kind == "dir":
        raise DocumentError("is a folder named like a document: rename it", rule="not-a-file")
    if node_kind == "other":
        raise DocumentError(
            "is not a regular file (a pipe, socket or device): remove it", rule="not-a-file"
        )
    try:
        raw = source.read(path, MAX_FILE_BYTES)
    except OSError as exc:
        raise DocumentError(
            f"cannot be read ({exc.strerror or exc}): check it exists and you may open it",
            rule="unreadable",
        ) from None
    digest = canonical.sha256_hex(raw) if len(raw) <= MAX_FILE_BYTES else ""
    text = decode(raw)
    front: yamlio.FrontMatter | None
    if path.endswith(".md"):
        front = yamlio.split_front_matter(text)
        if front is None:
            raise DocumentError(
                "has no front matter: start the file with a '---' line, the keys, and another '---'"
                f"{_example(kind)}",
                rule="front-matter",
            )
        loaded = yamlio.load(front.yaml_text, path=path, first_line=front.yaml_first_line)
        body, body_first_line = front.body, front.body_first_line
    else:
        loaded = yamlio.load(text, path=path)
        body, body_first_line = "", 1
    findings: list[Finding] = []
    data = loaded.data
    if not isinstance(data, dict):
        findings.append(
            Finding(
                path,
                loaded.first_line,
                "schema",
                ERROR,
                f"must be a set of keys ({_example(kind).strip(' :') or 'see the template'})",
            )
        )
        data = None
    else:
        for where, message in schemas.problems(kind, data):
            findings.append(Finding(path, loaded.line_of(where), "schema", ERROR, message))
    key_lines = {str(k): loaded.line_of((str(k),)) for k in data} if data else {}
    return Document(
        path,
        kind,
        digest,
        data,
        body,
        body_first_line,
        tuple(findings),
        key_lines,
        _links(body),
        # a YAML record has no body to judge; a Markdown one must say something beyond headings
        has_text(body) if path.endswith(".md") else True,
        word_count(own_text(body)),
    )


def decode(raw: bytes) -> str:
    """Text of a document: UTF-8 (BOM allowed), LF line ends; DocumentError otherwise."""
    if len(raw) > MAX_FILE_BYTES:
        raise DocumentError(
            f"is larger than {MAX_FILE_BYTES // 1024 // 1024} MB: evidence documents should be short; "
            "keep large material in your document store and add an evidence record that references it",
            rule="too-large",
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("is saved as UTF-16: save it as UTF-8", rule="encoding")
    if b"\0" in raw:
        raise DocumentError(
            "is not text (it contains binary data): is it the right file?", rule="encoding"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DocumentError(
            f"is not valid UTF-8 text (line {line}): save it as UTF-8", rule="encoding", line=line
        ) from None
    # Old Mac files end lines with a lone CR; YAML and Markdown treat it as a line end too.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _example(kind: str) -> str:
    examples = {
        "policy": " (id, title, owner, standards, review_due): see `llcompliance new policy --help`",
        "evidence": " (id, title, owner, standards, review_due, location): see "
        "`llcompliance new evidence --help`",
        "self-assessment": " (standard, status)",
    }
    return examples.get(kind, "")
