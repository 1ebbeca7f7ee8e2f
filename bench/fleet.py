"""Time `llcompliance fleet` over many local services: a first run (fetch and verify each) and an
unchanged second run (one `git ls-remote` each, nothing fetched or verified).

    python bench/fleet.py [--services 200] [--jobs 8] [--rebuild] [--keep DIR]

The services are bare clones (hard-linked) of the demo repo with a signed report on
readiness/report; every one is verified in full, as a commissioner's run would.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from llcompliance.commands import demo
from llcompliance.render.folder import report_files
from llcompliance.report import fleet, fleet_history, signing

BRANCH = "readiness/report"
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_AUTHOR_DATE": "2026-11-21T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-21T12:00:00+00:00",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=ENV)


def services(root: Path, count: int) -> tuple[list[fleet.Source], float]:
    """`count` bare repos holding the demo's signed report on readiness/report, and the seconds
    it took to make them."""
    start = time.perf_counter()
    built = demo.build(root / "demo")
    repo, report_dir = built.repo, built.report_dir
    keys = signing.generate_keypair(root / "keys", "readiness@example.org")
    git(repo, "checkout", "-q", "-b", BRANCH)
    folder = repo / "reports" / report_dir.name
    (folder / "readiness.json.sig").write_text(
        signing.sign(
            (folder / "readiness.json").read_bytes(), signing.read_private_key(keys.private)
        ),
        encoding="ascii",
    )
    git(repo, "add", "-f", "reports")
    git(repo, "commit", "-q", "--no-verify", "-m", "Readiness report")
    sources = []
    for index in range(count):
        dest = root / "services" / f"service-{index:03d}.git"
        subprocess.run(
            ["git", "clone", "-q", "--bare", "--local", str(repo), str(dest)],
            check=True,
            capture_output=True,
        )
        sources.append(
            fleet.Source(
                f"Service {index:03d}",
                str(dest),
                str(dest),
                BRANCH,
                keys.allowed_signers,
                None,
                index + 2,
            )
        )
    return sources, time.perf_counter() - start


def timed(sources: list[fleet.Source], out: Path, jobs: int, rebuild: bool) -> tuple[float, int]:
    start = time.perf_counter()
    result = fleet.gather(sources, out, render=report_files, rebuild=rebuild, jobs=jobs)
    fleet_history.record(out, result)
    return time.perf_counter() - start, sum(1 for s in result.services if s.verified)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=fleet.DEFAULT_JOBS)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--keep", type=Path, help="Build in DIR and keep it (default: a temp dir).")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="llfleet-"))
    try:
        sources, setup = services(root, args.services)
        out = root / "site"
        first, verified = timed(sources, out, args.jobs, args.rebuild)
        second, again = timed(sources, out, args.jobs, args.rebuild)
        n = len(sources)
        print(f"{n} services (jobs {args.jobs}, rebuild {args.rebuild}); setup {setup:.1f} s")
        print(
            f"first run:  {first:7.2f} s  {1000 * first / n:7.1f} ms/service  {verified} verified"
        )
        print(f"second run: {second:7.2f} s  {1000 * second / n:7.1f} ms/service  {again} verified")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
