"""Time `coverage --trend` on the benchmark's repo beside its floor: reading and parsing the
documents history changed, once each (what any replay must do at least).

    python bench/trend.py [--documents 2500] [--commits 3000] [--repo DIR]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from generate import generate  # type: ignore[import-not-found]

from llcompliance.adapters import gitrepo
from llcompliance.core.doccache import DocCache
from llcompliance.core.documents import MAX_FILE_BYTES, kind_of, read_document
from llcompliance.core.trend import _OneBlob, trend_points


def floor(repo: Path) -> float:
    """Seconds to read every document blob history changed and parse each once (no cache)."""
    start = time.perf_counter()
    wanted: dict[str, str] = {}
    for record in gitrepo.first_parent_changes(repo):
        for change in record.changes:
            if change.blob and kind_of(change.path):
                wanted.setdefault(change.blob, change.path)
    blobs = gitrepo.read_blobs(repo, wanted, limit=MAX_FILE_BYTES + 1)
    for blob, path in wanted.items():
        read_document(_OneBlob(path, blob, blobs[blob]), path)
    return time.perf_counter() - start


def timed(repo: Path) -> tuple[float, int]:
    start = time.perf_counter()
    points = trend_points(repo)
    return time.perf_counter() - start, len(points)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=2500)
    parser.add_argument("--commits", type=int, default=3000)
    parser.add_argument("--repo", type=Path, help="An existing repo (default: generate one).")
    args = parser.parse_args()
    repo = args.repo or generate(
        Path(tempfile.mkdtemp(prefix="lltrend-")) / "repo", args.documents, args.commits
    )
    cache = DocCache.for_repo(repo)
    if cache.path is not None and cache.path.exists():
        cache.path.unlink()  # a cold first run: every blob parsed
    os.environ.pop("LLCOMPLIANCE_CACHE", None)
    base = floor(repo)
    cold, days = timed(repo)
    warm, _ = timed(repo)
    print(f"repo: {repo} ({args.documents} documents, {args.commits} commits, {days} days)")
    print(f"floor (read and parse each changed document once): {base:6.2f} s")
    print(f"coverage --trend, cold document cache:              {cold:6.2f} s")
    print(f"coverage --trend, warm document cache:              {warm:6.2f} s")


if __name__ == "__main__":
    main()
