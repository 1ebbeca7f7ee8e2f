"""All git access: one subprocess per question, trees and blobs read without checking out."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import subprocess

from llcompliance.errors import GitError

# GIT_NO_REPLACE_OBJECTS: refs/replace could show other bytes than a commit really holds, and a
# report's digests must be of what the commit holds.
_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_NO_REPLACE_OBJECTS": "1",
}

# A repo's own .git/config is not ours to trust (a repo folder handed over, a shared drive): these
# settings make git run a program, so every command overrides them (`-c` beats every config file,
# and reaches the git processes git itself starts, such as a submodule's). The user's name and
# email still come from their own config. Diff programs are turned off per command
# (--no-ext-diff --no-textconv); filter drivers, whose names a repo chooses, by _filter_overrides.
_SAFE_CONFIG = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",  # no hooks at all: post-commit, reference-transaction, ...
    "gc.auto=0",  # a commit's automatic `git gc` would run maintenance hooks and commands
    "maintenance.auto=false",
)
_NO_DIFF_PROGRAMS = ("--no-ext-diff", "--no-textconv")

# The commands of ours that may read work-tree files through filters (checkout is never run).
_READS_WORK_TREE = frozenset({"status", "add", "commit"})


def _filter_overrides(repo: Path) -> tuple[str, ...]:
    """`-c` options that empty each filter driver the repo's own config names (git runs a driver's
    clean command when it re-reads a file whose attributes name it: `git status` on a touched
    file). The user's own drivers (git-lfs in their global config) keep working."""
    import subprocess

    result = subprocess.run(
        ["git", *_config_args(())]
        + ["-C", str(repo), "config", "-z", "--show-scope", "--get-regexp", r"^filter\."],
        capture_output=True,
        env=_env(None),
    )
    fields = result.stdout.split(b"\0")
    names = set()
    # -z --show-scope: scope NUL key LF value NUL; a file included from the repo's config is
    # reported with the repo's scope
    for scope, record in zip(fields[::2], fields[1::2], strict=False):
        name = record.split(b"\n", 1)[0].decode("utf-8", "surrogateescape")
        if scope in (b"local", b"worktree") and name.count(".") >= 2:
            names.add(name[len("filter.") : name.rindex(".")])  # filter.<name>.<setting>
    return tuple(
        f"filter.{name}.{setting}"
        for name in sorted(names)
        for setting in ("clean=", "smudge=", "process=", "required=false")
    )


def _config_args(extra: tuple[str, ...]) -> list[str]:
    return [arg for setting in (*_SAFE_CONFIG, *extra) for arg in ("-c", setting)]


def _env(env: Mapping[str, str] | None) -> dict[str, str]:
    return {**os.environ, **_ENV, **(env or {})}


def _argv(repo: Path, args: tuple[str, ...], config: tuple[str, ...] = ()) -> list[str]:
    import shutil  # subprocess and shutil only when git runs: a warm hook never starts it

    if shutil.which("git") is None:
        raise GitError("git is not installed: install git and try again")
    filters = _filter_overrides(repo) if args[0] in _READS_WORK_TREE else ()
    return ["git", "--no-pager", *_config_args((*config, *filters)), "-C", str(repo), *args]


def _git(
    repo: Path,
    *args: str,
    input: bytes | None = None,
    check: bool = True,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    import subprocess

    result = subprocess.run(_argv(repo, args), input=input, capture_output=True, env=_env(env))
    if check and result.returncode != 0:
        raise GitError(f"git {args[0]} failed: {_last_line(result.stderr, result.returncode)}")
    return result


def _last_line(stderr: bytes, returncode: int) -> str:
    detail = stderr.decode("utf-8", "replace").strip().splitlines()
    return detail[-1] if detail else str(returncode)


def toplevel(path: Path) -> Path | None:
    """The root of the git work tree containing `path`, or None outside git."""
    result = _git(path, "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0:
        return None
    return Path(result.stdout.decode().strip())


class GitDirs(NamedTuple):
    """Where git keeps a checkout's own files, and where `repo` sits in its work tree."""

    git_dir: Path  # this checkout's: a linked worktree has its own, under the main .git/worktrees
    prefix: str  # `repo`'s folder inside the work tree, with a trailing "/" ("" at the top)


_DIRS: dict[str, GitDirs] = {}


def git_dirs(repo: Path) -> GitDirs | None:
    """Git's folders for `repo` (a work tree, a subfolder of one, or a linked worktree), or None
    outside git; asked of git once per process, since `.git` may be a file or further up."""
    key = os.path.abspath(repo)
    known = _DIRS.get(key) or _dirs_on_disk(key)
    if known is not None:
        _DIRS[key] = known
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


# git's own discovery reads these; when any is set, git is asked instead of the disk
_DISCOVERY_ENV = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_CEILING_DIRECTORIES",
    "GIT_DISCOVERY_ACROSS_FILESYSTEM",
)


def _dirs_on_disk(start: str) -> GitDirs | None:
    """`git rev-parse --git-dir --show-prefix` for the plain case, read from the disk: a `.git`
    folder, or a `.git` file saying `gitdir: …` (a linked worktree or a submodule), in `start` or
    a parent on the same filesystem, all of it owned by this user. None whenever git could answer
    otherwise (its variables set; a folder that is itself a git folder; a filesystem boundary;
    `core.worktree`, `core.bare` or an `include` in its settings; something owned by someone
    else; a `.git` that is not a whole repo): then git is asked. Starting git costs more than the
    rest of a warm hook run, so the plain case is worth knowing; any other is git's to answer."""
    geteuid = getattr(os, "geteuid", None)
    if geteuid is None or any(name in os.environ for name in _DISCOVERY_ENV):
        return None  # Windows (no owners to compare as git does), or git told where to look
    here = os.path.realpath(start)  # git reports the prefix of the real folder
    parts: list[str] = []
    try:
        device = os.stat(here).st_dev
        while True:
            if _looks_like_git_dir(here):
                return None  # a bare repo, or inside a .git folder: git treats it otherwise
            dot = os.path.join(here, ".git")
            info = os.lstat(dot) if os.path.lexists(dot) else None
            if info is not None:
                if stat.S_ISDIR(info.st_mode):
                    git_dir = dot
                elif stat.S_ISREG(info.st_mode):
                    pointed = _gitdir_file(dot)
                    if pointed is None:
                        return None
                    git_dir = pointed
                else:
                    return None  # a symlink or stranger: git's to judge
                break
            parent = os.path.dirname(here)
            if parent == here or os.stat(parent).st_dev != device:
                return None  # no repo, or a filesystem boundary git would stop at
            parts.append(os.path.basename(here))
            here = parent
        if not _plain_git_dir(git_dir, (here, dot, git_dir), geteuid()):
            return None
    except OSError:
        return None
    return GitDirs(Path(git_dir), "".join(f"{part}/" for part in reversed(parts)))


def _looks_like_git_dir(folder: str) -> bool:
    """True when `folder` holds what a git folder holds (git would take it as the repo)."""
    return os.path.isfile(os.path.join(folder, "HEAD")) and os.path.isdir(
        os.path.join(folder, "objects")
    )


def _gitdir_file(dot: str) -> str | None:
    """The folder a `.git` file points at, resolved as the system does (`..` after a symlink goes
    to the symlink's target's parent), or None when it is not one plain `gitdir:` line."""
    try:
        with open(dot, "rb") as handle:
            text = handle.read(4096).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    line = text.rstrip("\r\n")  # as git reads it: only the line ending goes
    if not line.startswith("gitdir: ") or "\n" in line or "\r" in line:
        return None
    return os.path.realpath(os.path.join(os.path.dirname(dot), line[len("gitdir: ") :]))


_BARE = re.compile(rb"^\s*bare\s*=\s*true\s*$", re.IGNORECASE | re.MULTILINE)


def _plain_git_dir(git_dir: str, owned: tuple[str, ...], uid: int) -> bool:
    """True when git would take `git_dir` as a whole repo, owned (with `owned`) by `uid`, with no
    setting that moves or removes its work tree."""
    common = git_dir
    commondir = os.path.join(git_dir, "commondir")
    if os.path.isfile(commondir):  # a linked worktree's folder: objects and refs are shared
        with open(commondir, "rb") as handle:
            common = os.path.join(git_dir, handle.read(4096).decode("utf-8").strip())
    with open(os.path.join(git_dir, "HEAD"), "rb") as handle:
        if not handle.read(256).strip():
            return False  # git says "not a git repository"
    if not (
        os.path.isdir(os.path.join(common, "objects"))
        and os.path.isdir(os.path.join(common, "refs"))
    ):
        return False
    # git's safe.directory check looks at who owns the work tree and its git folder
    if any(os.stat(path).st_uid != uid for path in (*owned, common)):
        return False
    for folder, name in ((common, "config"), (git_dir, "config.worktree")):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            with open(path, "rb") as handle:
                settings = handle.read().lower()
            # core.worktree moves the work tree, core.bare removes it, an include could say either
            if b"worktree" in settings or b"include" in settings or _BARE.search(settings):
                return False
    return True


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
        repo,
        "status",
        "--porcelain",
        "--untracked-files=normal",
        # a submodule's commit still counts; its own work tree (and its own config) is not ours
        "--ignore-submodules=dirty",
        "--",
        ".",
        ":!reports",
    ).stdout
    return bool(out.strip())


class TreeEntry(NamedTuple):
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
        *_NO_DIFF_PROGRAMS,
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


# What any caller keeps of one blob at most: above every cap of ours (the guard scans 20 MB of a
# file, documents are 2 MB). A blob's size says nothing about its bytes in .git: 500 MB of zeros
# packs into kilobytes, so a size is checked before bytes are kept, never after.
MAX_BLOB_BYTES = 32 * 1024 * 1024
_CHUNK = 1024 * 1024  # bytes read from git at a time when streaming


class _Batch:
    """One `git cat-file --batch` answering `ids` in order, read as a stream: blobs pass through in
    chunks, so memory stays flat however large they are."""

    def __init__(self, repo: Path, ids: list[str], errors: IO[bytes]) -> None:
        import subprocess
        import threading

        self._errors = errors  # a file, not a pipe: a full pipe could stall git
        self._proc = subprocess.Popen(
            # git streams a blob only above this size, and reads one below it whole into memory
            _argv(repo, ("cat-file", "--batch"), config=(f"core.bigFileThreshold={_CHUNK}",)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            env=_env(None),
        )
        # Fed from a thread: git answers while we ask, and a full pipe either way would deadlock.
        self._feeder = threading.Thread(target=self._feed, args=(ids,), daemon=True)
        self._feeder.start()

    def _feed(self, ids: list[str]) -> None:
        stdin = self._proc.stdin
        assert stdin is not None
        try:
            for start in range(0, len(ids), 1000):
                stdin.write(("\n".join(ids[start : start + 1000]) + "\n").encode())
        except (OSError, ValueError):
            pass  # git stopped early (or was stopped): its exit status says why
        finally:
            with contextlib.suppress(OSError):  # flushing to a git that has gone fails too
                stdin.close()

    def header(self) -> int | None:
        """The size of the next object, or None when git has no such object."""
        line = self._stdout().readline()
        if not line.endswith(b"\n"):
            raise GitError(f"git cat-file failed: {self._failure()}")
        parts = line.split()
        if len(parts) < 3 or parts[1] == b"missing":
            return None
        return int(parts[2])

    def chunks(self, size: int) -> Iterator[bytes]:
        """The next `size` bytes of content in chunks, then the newline git ends it with."""
        stdout = self._stdout()
        left = size
        while left > 0:
            chunk = stdout.read(min(_CHUNK, left))
            if not chunk:
                raise GitError(f"git cat-file stopped mid-blob: {self._failure()}")
            left -= len(chunk)
            yield chunk
        stdout.read(1)

    def close(self, *, answered: bool) -> None:
        """Wait for git and check it went well; stop it first unless every answer was read."""
        if not answered:
            self._proc.kill()  # only our own child, when a caller stopped reading early
        self._stdout().close()
        returncode = self._proc.wait()
        self._feeder.join()
        if answered and returncode != 0:
            raise GitError(f"git cat-file failed: {self._failure()}")

    def _stdout(self) -> IO[bytes]:
        assert self._proc.stdout is not None
        return self._proc.stdout

    def _failure(self) -> str:
        self._errors.seek(0)
        return _last_line(self._errors.read(64 * 1024), self._proc.poll() or 0)


def _each_blob(repo: Path, blob_ids: Iterable[str]) -> Iterator[tuple[str, int, Iterator[bytes]]]:
    """(id, size, content in chunks) for each distinct blob git has, in order; what a caller does
    not read of one blob is skipped before the next."""
    ids = list(dict.fromkeys(blob_ids))
    if not ids:
        return
    import tempfile  # only when blobs are read (a cold cache), not on every git call

    with tempfile.TemporaryFile() as errors:
        batch = _Batch(repo, ids, errors)
        answered = False
        try:
            for blob in ids:
                size = batch.header()
                if size is None:
                    continue
                content = batch.chunks(size)
                yield blob, size, content
                for _ in content:  # the rest of a blob the caller did not want
                    pass
            answered = True
        finally:
            batch.close(answered=answered)


def read_blobs(
    repo: Path, blob_ids: Iterable[str], *, limit: int = MAX_BLOB_BYTES
) -> dict[str, bytes]:
    """Contents of many blobs from one `git cat-file --batch`, each cut to its first `limit` bytes:
    a caller that must know a blob was longer than N asks for N + 1."""
    blobs: dict[str, bytes] = {}
    for blob, _size, content in _each_blob(repo, blob_ids):
        kept = bytearray()
        for chunk in content:
            kept += chunk[: limit - len(kept)]
            if len(kept) >= limit:
                break
        blobs[blob] = bytes(kept)
    return blobs


def blob_sha256(repo: Path, blob_ids: Iterable[str]) -> dict[str, str]:
    """The SHA-256 (hex) of each blob's whole content, streamed through the hash in chunks, so
    a blob of any size costs a megabyte of memory, not its size."""
    digests: dict[str, str] = {}
    for blob, _size, content in _each_blob(repo, blob_ids):
        digest = hashlib.sha256()
        for chunk in content:
            digest.update(chunk)
        digests[blob] = digest.hexdigest()
    return digests


# What a `git log` of ours must not depend on: the user's colour, signature, root-commit and
# relative-path settings would change its output (and so a report's bytes) from machine to machine.
_LOG_FLAGS = ("--no-color", "--no-show-signature", "--root", "--no-renames", *_NO_DIFF_PROGRAMS)


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


class HistoryBlob(NamedTuple):
    """A distinct blob reachable from a commit, with a path it was seen at."""

    blob: str
    path: str


class _Change(NamedTuple):
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
    _git(repo, "commit", "-q", "--no-verify", "--no-gpg-sign", "-m", message, env=env)
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


def root_commit(repo: Path, rev: str = "HEAD") -> str | None:
    """The first commit of `rev`'s history (the oldest root), or None without commits: an
    identity of the repo that every clone shares and that never changes."""
    result = _git(repo, "rev-list", "--max-parents=0", rev, check=False)
    roots = result.stdout.decode("ascii", "replace").split()
    return roots[-1] if result.returncode == 0 and roots else None


class FileChange(NamedTuple):
    """One file a commit added, changed (`blob` set) or deleted (`blob` None)."""

    path: str
    mode: str
    blob: str | None


class CommitChanges(NamedTuple):
    """A commit on the first-parent line, its committer date and what it changed."""

    commit: str
    date: str  # YYYY-MM-DD, the committer's own date
    changes: tuple[FileChange, ...]


def first_parent_changes(repo: Path, rev: str = "HEAD") -> Iterator[CommitChanges]:
    """Every commit on `rev`'s first-parent line, oldest first, with its changes against its
    first parent, from one `git log --raw` pass: replaying them gives each commit's tree."""
    if not has_commits(repo):
        return
    out = _git(
        repo,
        "log",
        "-z",
        "--raw",
        "--no-abbrev",
        "--first-parent",
        "--diff-merges=first-parent",
        "--reverse",
        "--relative",
        "--format=%x00%H %cs",
        *_LOG_FLAGS,
        rev,
    ).stdout
    for header, fields in _log_records(out):
        commit, _, date = header.partition(" ")
        changes = []
        # --raw -z: ":old-mode new-mode old-blob new-blob status", then the path
        for meta, path in zip(fields[::2], fields[1::2], strict=False):
            parts = meta.decode("ascii", "replace").split(" ")
            if len(parts) < 5 or parts[1] == GITLINK_MODE:
                continue
            deleted = parts[4].startswith("D")
            changes.append(FileChange(_path(path), parts[1], None if deleted else parts[3]))
        yield CommitChanges(commit, date, tuple(changes))


# --- Fetching other people's repos into a local cache (fleet, DESIGN §11) --------------------

# ext:: URLs run a command of the URL's choosing; git forbids them by default, and we say so too.
_FETCH_CONFIG = ("protocol.ext.allow=never",)


def _git_timed(repo: Path, args: tuple[str, ...], timeout: float) -> bytes:
    """Run a git command that talks to another repo, killed after `timeout` seconds."""
    import subprocess

    try:
        result = subprocess.run(
            _argv(repo, args, _FETCH_CONFIG),
            capture_output=True,
            env=_env(None),
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} took longer than {timeout:g} s and was stopped") from None
    if result.returncode != 0:
        raise GitError(f"git {args[0]} failed: {_last_line(result.stderr, result.returncode)}")
    return result.stdout


def init_cache(path: Path) -> None:
    """An empty repo to fetch into; never checked out (its work tree stays empty)."""
    path.mkdir(parents=True, exist_ok=True)
    # Its own .git, always: a cache folder inside someone's work tree must never reach their repo.
    if not (path / ".git").is_dir():
        init(path)


def remote_refs(cache: Path, url: str, refs: Iterable[str], timeout: float) -> dict[str, str]:
    """The commit each of `refs` (full names) points at in the repo at `url`; absent ones are
    left out. Annotated tags are peeled to their commit."""
    wanted = list(refs)
    out = _git_timed(cache, ("ls-remote", "--end-of-options", url, *wanted), timeout)
    found: dict[str, str] = {}
    for line in out.decode("utf-8", "replace").splitlines():
        sha, _, name = line.partition("\t")
        if name.endswith("^{}"):
            found[name[:-3]] = sha  # the peeled commit wins over the tag object
        elif name in wanted:
            found.setdefault(name, sha)
    return found


def fetch_ref(cache: Path, url: str, ref: str, into: str, timeout: float) -> str:
    """Fetch `ref` of `url` with its whole history into local ref `into`; return its commit.
    Whole history: verify reads the report's commit, and --rebuild dates files from history."""
    args = ["fetch", "--quiet", "--no-tags", "--force"]
    if is_shallow(cache):
        args.append("--unshallow")
    _git_timed(cache, (*args, "--end-of-options", url, f"+{ref}:{into}"), timeout)
    commit = resolve(cache, into)
    if commit is None:
        raise GitError(f"{ref} of {url} is not a commit")
    return commit


def detach_head(repo: Path, commit: str) -> None:
    """Point HEAD at `commit` without touching the (empty) work tree or the index."""
    _git(repo, "update-ref", "--no-deref", "HEAD", commit)
