"""File helpers: atomic writes (a temp file, then rename: never a half-written file) and reads
capped in size (a file named on the command line may be anything, even endless)."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from llcompliance.errors import UsageError


def write_atomic(path: Path, data: bytes, *, exclusive: bool = False, mode: int = 0o644) -> None:
    """Write `data` to `path` atomically; with `exclusive`, refuse to replace an existing file."""
    import tempfile  # here: reads (the hook path with a warm cache) never pay for it

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        if exclusive:
            try:
                os.link(temp, path)  # fails if the name exists: no race, no overwrite
            except FileExistsError:
                raise UsageError(f"{path} already exists: nothing was overwritten") from None
        else:
            os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


class FileTooLarge(UsageError):
    """A file is over the size it may be: it was read no further than that."""


def _size_text(limit: int) -> str:
    for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if limit >= size and limit % size == 0:
            return f"{limit // size} {unit}"
    return f"{limit} bytes"


def read_capped(path: Path, limit: int, *, what: str) -> bytes:
    """The bytes of `path`, reading at most `limit` + 1 of them whatever the file holds (a device
    or a file still growing, too); FileTooLarge, naming the file and saying `what` it should be,
    when there are more than `limit`. OSError as open() raises it."""
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(f"{path} is larger than {_size_text(limit)}: {what}")
    return data


def read_without_links(root: Path, relative: str, limit: int) -> bytes | None:
    """The bytes of the regular file ROOT/RELATIVE (a POSIX path), or None when it is missing,
    larger than `limit`, not a regular file, or when any part of RELATIVE is a symbolic link: what
    a commit holds at that path, read from the disk. Each folder is opened without following a
    link, so nothing can be swapped in between a check and the read."""
    parts = relative.split("/")
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    directory = getattr(os, "O_DIRECTORY", 0)
    if not nofollow or os.open not in os.supports_dir_fd:  # Windows: no links to refuse this way
        target = root.joinpath(*parts)
        if any(root.joinpath(*parts[: i + 1]).is_symlink() for i in range(len(parts))):
            return None
        try:
            return read_capped(target, limit, what="") if target.is_file() else None
        except (OSError, FileTooLarge):
            return None
    opened: list[int] = []
    try:
        opened.append(os.open(root, os.O_RDONLY | directory))
        for part in parts[:-1]:
            opened.append(os.open(part, os.O_RDONLY | directory | nofollow, dir_fd=opened[-1]))
        fd = os.open(parts[-1], os.O_RDONLY | nofollow | os.O_NONBLOCK, dir_fd=opened[-1])
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None  # a pipe or device would block or never end
            data = handle.read(limit + 1)
        return data if len(data) <= limit else None
    except (OSError, ValueError):
        return None  # missing, a link (ELOOP), not a folder, or unreadable
    finally:
        for fd in opened:
            os.close(fd)


def relative_paths(root: Path, paths: list[str]) -> set[str]:
    """Repo-relative POSIX forms of paths given on the command line (relative to the cwd)."""
    chosen = set()
    for raw in paths:
        full = (Path.cwd() / raw).absolute()
        if not full.exists() and not full.is_symlink() and (root / raw).exists():
            full = (root / raw).absolute()  # a repo-relative path given with --repo from elsewhere
        try:
            chosen.add(full.relative_to(root.absolute()).as_posix())
        except ValueError:
            try:
                chosen.add(full.resolve().relative_to(root.resolve()).as_posix())
            except ValueError:
                raise UsageError(f"{raw} is not inside the evidence repo {root}") from None
    return chosen
