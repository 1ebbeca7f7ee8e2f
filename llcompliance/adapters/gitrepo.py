"""All git access: one subprocess per question, trees and blobs read without checking out."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from llcompliance.errors import GitError

_ENV = {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}


def _git(
    repo: Path,
    *args: str,
    input: bytes | None = None,
    check: bool = True,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    if shutil.which("git") is None:
        raise GitError("git is not installed: install git and try again")
    full_env = {**os.environ, **_ENV, **(env or {})}
    result = subprocess.run(
        ["git", "-C", str(repo), *args], input=input, capture_output=True, env=full_env
    )
    if check and result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {detail[-1] if detail else result.returncode}")
    return result


def toplevel(path: Path) -> Path | None:
    """The root of the git work tree containing `path`, or None outside git."""
    result = _git(path, "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0:
        return None
    return Path(result.stdout.decode().strip())


@dataclass(frozen=True)
class GitDirs:
    """Where git keeps a checkout's own files, and where `repo` sits in its work tree."""

    git_dir: Path  # this checkout's: a linked worktree has its own, under the main .git/worktrees
    prefix: str  # `repo`'s folder inside the work tree, with a trailing "/" ("" at the top)


_DIRS: dict[str, GitDirs] = {}


def git_dirs(repo: Path) -> GitDirs | None:
    """Git's folders for `repo` (a work tree, a subfolder of one, or a linked worktree), or None
    outside git; asked of git once per process, since `.git` may be a file or further up."""
    key = os.path.abspath(repo)
    known = _DIRS.get(key)
    if known is not None:
        return known
    result = _git(repo, "rev-parse", "--git-dir", "--show-prefix", check=False)
    lines = result.stdout.decode("utf-8", "surrogateescape").split("\n")
    if result.returncode != 0 or len(lines) < 2:
        return None  # not remembered: `llcompliance init` may make this a repo later
    # git prints them absolute, or relative to the real (symlinks resolved) folder it ran in
    here = Path(key).resolve()
    found = GitDirs(Path(os.path.normpath(here / lines[0])), lines[1])
    _DIRS[key] = found
    return found


def has_commits(repo: Path) -> bool:
    """True when HEAD points at a commit."""
    return _git(repo, "rev-parse", "--verify", "-q", "HEAD", check=False).returncode == 0


def resolve(repo: Path, rev: str) -> str | None:
    """The full commit id of `rev`, or None when it is not a commit in this repo."""
    result = _git(repo, "rev-parse", "--verify", "-q", f"{rev}^{{commit}}", check=False)
    return result.stdout.decode().strip() if result.returncode == 0 else None


def tree_of(repo: Path, commit: str) -> str:
    """The root tree id of a commit."""
    return _git(repo, "rev-parse", f"{commit}^{{tree}}").stdout.decode().strip()


def is_shallow(repo: Path) -> bool:
    """True in a shallow clone, where last-change dates from history are wrong."""
    result = _git(repo, "rev-parse", "--is-shallow-repository", check=False)
    return result.stdout.decode().strip() == "true"


def is_dirty(repo: Path) -> bool:
    """True when tracked files differ from HEAD or untracked files exist."""
    out = _git(
        repo, "status", "--porcelain", "--untracked-files=normal", "--", ".", ":!reports"
    ).stdout
    return bool(out.strip())


@dataclass(frozen=True)
class TreeEntry:
    """One file of a committed tree."""

    path: str
    mode: str
    blob: str


def ls_tree(repo: Path, commit: str) -> dict[str, TreeEntry]:
    """Every file in the tree of `commit`, by repo-relative path."""
    # relative to `repo`, which may be a folder inside a larger git repo (a monorepo)
    out = _git(repo, "ls-tree", "-r", "-z", commit).stdout
    entries: dict[str, TreeEntry] = {}
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, blob = meta.decode().split(" ")
        if kind == "blob":
            path = name.decode("utf-8", "surrogateescape")
            entries[path] = TreeEntry(path, mode, blob)
    return entries


def index_entries(repo: Path) -> dict[str, TreeEntry]:
    """Every file staged in the index (what the next commit will hold), by path."""
    out = _git(repo, "ls-files", "-s", "-z").stdout
    entries: dict[str, TreeEntry] = {}
    for record in out.split(b"\0"):
        if record:
            meta, _, name = record.partition(b"\t")
            mode, blob, _stage = meta.decode().split(" ")
            path = name.decode("utf-8", "surrogateescape")
            entries[path] = TreeEntry(path, mode, blob)
    return entries


def ls_files(repo: Path) -> dict[str, str]:
    """Blob ids of tracked files in the index (a free cache key), by path."""
    return {path: entry.blob for path, entry in index_entries(repo).items()}


def listed_files(repo: Path) -> list[str]:
    """Tracked files plus untracked files git does not ignore: what `git add -A` would take."""
    out = _git(repo, "ls-files", "-z", "-c", "-o", "--exclude-standard").stdout
    return sorted({p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p})


def staged_files(repo: Path) -> list[str]:
    """Paths added or changed in the index compared with HEAD (all of the index before a first commit)."""
    if not has_commits(repo):
        return sorted(ls_files(repo))
    # --relative: paths below `repo`, as ls-files gives them, when it is a folder of a monorepo
    out = _git(
        repo,
        "diff",
        "--cached",
        "--name-only",
        "-z",
        "--relative",
        "--no-color",
        "--diff-filter=ACMRT",
        "--no-renames",
    ).stdout
    return sorted(p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p)


def blob_id(data: bytes) -> str:
    """The git blob id of some bytes (what `git hash-object` prints), without running git."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def read_blobs(repo: Path, blob_ids: Iterable[str]) -> dict[str, bytes]:
    """Contents of many blobs in one `git cat-file --batch` call."""
    ids = list(dict.fromkeys(blob_ids))
    if not ids:
        return {}
    out = _git(repo, "cat-file", "--batch", input=("\n".join(ids) + "\n").encode()).stdout
    blobs: dict[str, bytes] = {}
    pos = 0
    for blob_id in ids:
        header_end = out.index(b"\n", pos)
        header = out[pos:header_end].decode().split(" ")
        if len(header) < 3 or header[1] == "missing":
            pos = header_end + 1
            continue
        size = int(header[2])
        start = header_end + 1
        blobs[blob_id] = out[start : start + size]
        pos = start + size + 1
    return blobs


# What a `git log` of ours must not depend on: the user's colour, signature, root-commit and
# relative-path settings would change its output (and so a report's bytes) from machine to machine.
_LOG_FLAGS = ("--no-color", "--no-show-signature", "--root", "--no-renames")


def _log_records(out: bytes) -> Iterator[tuple[str, list[bytes]]]:
    """Commits of a `git log -z --format=%x00<header>` with file output, as (header, fields).

    Every commit starts with an empty field (its leading NUL) and file fields are never empty,
    so the split is exact whatever bytes a path holds; the first field after a header has a
    leading newline (git's separator between the header and the file list).
    """
    fields = out.split(b"\0")
    i = 0
    while i + 1 < len(fields):
        if fields[i]:  # not at a commit start: cannot happen with our formats; skip a field
            i += 1
            continue
        header = fields[i + 1].decode("ascii", "replace").strip()
        i += 2
        found: list[bytes] = []
        while i < len(fields) and fields[i]:
            found.append(fields[i][1:] if not found and fields[i].startswith(b"\n") else fields[i])
            i += 1
        yield header, found


def _path(raw: bytes) -> str:
    # bytes that are not UTF-8 survive as surrogates, as in ls_tree: shown_path escapes them
    return raw.decode("utf-8", "surrogateescape")


def is_utf8(path: str) -> bool:
    """False for a path git gave us that was not UTF-8 (its odd bytes became surrogates)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def last_changed(repo: Path, rev: str = "HEAD") -> dict[str, str]:
    """ISO date of the last commit touching each path, from one `git log` pass."""
    if not has_commits(repo):
        return {}
    out = _git(
        repo, "log", "-z", "--format=%x00%cs", "--name-only", "--relative", *_LOG_FLAGS, rev
    ).stdout
    dates: dict[str, str] = {}
    for date, names in _log_records(out):
        for name in names:
            dates.setdefault(_path(name), date)
    return dates


@dataclass(frozen=True)
class HistoryBlob:
    """A distinct blob reachable from a commit, with a path it was seen at."""

    blob: str
    path: str


@dataclass(frozen=True)
class _Change:
    commit: str
    blob: str
    path: str
    mode: str


def _history(repo: Path, rev: str) -> Iterator[_Change]:
    """Every file content a commit reachable from `rev` added or changed, newest commit first.

    With `--root` and `-m` (a merge against each parent), every blob of every reachable tree is
    added or changed by at least one commit, so this sees all of history's contents. Paths are
    relative to `repo`, and only files below it count (a monorepo's other folders are not ours).
    """
    out = _git(
        repo,
        "log",
        "-z",
        "--raw",
        "--no-abbrev",
        "-m",
        "--relative",
        "--format=%x00%H",
        *_LOG_FLAGS,
        rev,
    ).stdout
    for commit, fields in _log_records(out):
        # --raw -z: ":old-mode new-mode old-blob new-blob status", then the path
        for meta, path in zip(fields[::2], fields[1::2], strict=False):
            parts = meta.decode("ascii", "replace").split(" ")
            if len(parts) >= 5 and parts[4] in ("A", "M", "T"):
                yield _Change(commit, parts[3], _path(path), parts[1])


GITLINK_MODE = "160000"  # a submodule's commit, not a blob


def reachable_blobs(repo: Path, rev: str = "HEAD") -> list[HistoryBlob]:
    """Every distinct blob reachable from `rev`, each once, with one of its paths."""
    names: dict[str, str] = {}
    for change in _history(repo, rev):
        if change.mode != GITLINK_MODE:
            names.setdefault(change.blob, change.path)
    return [HistoryBlob(blob, path) for blob, path in names.items()]


def introducing_commits(repo: Path, rev: str = "HEAD") -> dict[str, list[tuple[str, str]]]:
    """For each blob id, the (commit, path) pairs whose commit added that content, in one pass."""
    found: dict[str, list[tuple[str, str]]] = {}
    for change in _history(repo, rev):
        pairs = found.setdefault(change.blob, [])
        if (change.commit, change.path) not in pairs:
            pairs.append((change.commit, change.path))
    return found


def init(repo: Path) -> None:
    """`git init` with main as the first branch."""
    _git(repo, "init", "-q")
    _git(repo, "symbolic-ref", "HEAD", "refs/heads/main")


def identity_missing(repo: Path) -> bool:
    """True when git has no user.name or user.email to commit with."""
    for key in ("user.name", "user.email"):
        if _git(repo, "config", key, check=False).returncode != 0 and not os.environ.get(
            "GIT_AUTHOR_NAME" if key == "user.name" else "GIT_AUTHOR_EMAIL"
        ):
            return True
    return False


def commit_all(
    repo: Path,
    message: str,
    *,
    paths: Iterable[str] | None = None,
    date: str | None = None,
    author: tuple[str, str] | None = None,
) -> str:
    """Stage `paths` (or everything) and commit; returns the new commit id."""
    if paths is None:
        _git(repo, "add", "-A")
    else:
        _git(repo, "add", "--", *paths)
    env: dict[str, str] = {}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    if author:
        env.update(
            GIT_AUTHOR_NAME=author[0],
            GIT_AUTHOR_EMAIL=author[1],
            GIT_COMMITTER_NAME=author[0],
            GIT_COMMITTER_EMAIL=author[1],
        )
    _git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", message, env=env)
    return _git(repo, "rev-parse", "HEAD").stdout.decode().strip()


def commit_date(repo: Path, commit: str) -> str:
    """The committer date of `commit`, ISO 8601 with the committer's own offset."""
    out = _git(repo, "show", "-s", "--no-color", "--no-show-signature", "--format=%cI", commit)
    return out.stdout.decode().strip()


def is_ancestor(repo: Path, commit: str, ref: str) -> bool | None:
    """True when `commit` is reachable from `ref`; None when `ref` is not a commit in this repo."""
    target = resolve(repo, ref)
    if target is None:
        return None
    result = _git(repo, "merge-base", "--is-ancestor", commit, target, check=False)
    if result.returncode not in (0, 1):  # 1 is "no"; anything else is git failing
        detail = result.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"git merge-base failed: {detail or result.returncode}")
    return result.returncode == 0
