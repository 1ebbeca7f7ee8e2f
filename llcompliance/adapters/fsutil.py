"""File helpers: atomic writes (a temp file, then rename: never a half-written file) and reads
capped in size (a file named on the command line may be anything, even endless)."""

from __future__ import annotations

import contextlib
import os
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
