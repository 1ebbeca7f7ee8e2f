"""Benchmark: time llcompliance on synthetic repos beside a floor (read + fastest YAML parse + hash).

Prints a table of medians, ratios to the floor and peak memory. `make bench` runs it.
Options: --sizes 250,2500 --commits 3000 --runs 3 --quick (250 documents, 300 commits, 1 run).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

BIN = Path(sys.executable).parent
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(HERE.parent), os.environ.get("PYTHONPATH", "")) if p
)
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # users' installs have .pyc files
LLC = str(BIN / "llcompliance")
PEAK = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, rc)\n"
)
FLOOR_DOCS = r"""
import hashlib, os, sys, yaml
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
root = sys.argv[1]
paths = sys.argv[2:] or [os.path.join(d, f) for top in ("standards", "policies", "evidence", "assessments")
                         for d, _, fs in os.walk(os.path.join(root, top)) for f in fs]
for path in paths:
    data = open(os.path.join(root, path), "rb").read()
    hashlib.sha256(data).hexdigest()
    text = data.decode("utf-8")
    if text.startswith("---"):
        text = text.split("\n---", 2)[0][3:]
    yaml.load(text, Loader=Loader)
"""
FLOOR_HISTORY = r"""
import hashlib, re, subprocess, sys
root = sys.argv[1]
objects = subprocess.run(["git", "-C", root, "rev-list", "--objects", "--no-object-names", "HEAD"],
                         capture_output=True, check=True).stdout
kinds = subprocess.run(["git", "-C", root, "cat-file", "--batch-check=%(objectname) %(objecttype)"],
                       input=objects, capture_output=True, check=True).stdout.decode().split("\n")
blobs = [line.split()[0] for line in kinds if line.endswith(" blob")]
out = subprocess.run(["git", "-C", root, "cat-file", "--batch"], input="\n".join(blobs).encode() + b"\n",
                     capture_output=True, check=True).stdout
digits = re.compile(r"\d")
pos = 0
for _ in blobs:
    end = out.index(b"\n", pos)
    size = int(out[pos:end].split()[2])
    data = out[end + 1:end + 1 + size]
    pos = end + 2 + size
    hashlib.sha256(data).hexdigest()
    text = data.decode("utf-8", "replace")
    digits.findall(text)   # one regex pass over the text: the least any scanner must do
print(len(blobs))
"""


def _once(cmd: list[str], cwd: Path) -> float:
    """Wall seconds of one run."""
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def timed(cmd: list[str], cwd: Path, runs: int) -> tuple[float, float]:
    """Median wall seconds over `runs`, and peak RSS in MB of one run."""
    times = [_once(cmd, cwd) for _ in range(runs)]
    peak = subprocess.run(
        [sys.executable, "-c", PEAK, *cmd], cwd=cwd, capture_output=True, text=True
    )
    kb = int(peak.stdout.split()[0]) if peak.stdout else 0
    return statistics.median(times), kb / 1024


def repo_for(documents: int, commits: int) -> Path:
    """A cached synthetic repo (regenerated when the generator changes)."""
    key = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:10]
    target = HERE / "out" / f"repo-{documents}-{commits}-{key}"
    if not target.exists():
        tmp = target.with_name(target.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        generate(tmp, documents, commits)
        tmp.rename(target)
    return target


def changed_files(repo: Path) -> list[str]:
    """Five documents, as a pre-commit run on a typical commit would pass."""
    policies = sorted((repo / "policies").glob("*.md"))[:3]
    records = sorted((repo / "evidence").glob("*.yaml"))[:2]
    return [str(p.relative_to(repo)) for p in policies + records]


def measure(
    documents: int, commits: int, runs: int
) -> dict[str, tuple[float, float, float | None]]:
    """name -> (seconds, peak MB, floor seconds or None)."""
    repo = repo_for(documents, commits)
    py = sys.executable
    out = Path(tempfile.mkdtemp(prefix="bench-report-"))
    floor_full = timed([py, "-c", FLOOR_DOCS, str(repo)], repo, runs)[0]
    history_runs = 1 if documents > 1000 else runs
    floor_history = timed([py, "-c", FLOOR_HISTORY, str(repo)], repo, history_runs)[0]
    results: dict[str, tuple[float, float, float | None]] = {}
    for name, cmd, floor, n in [
        ("validate", [LLC, "validate"], floor_full, runs),
        ("coverage", [LLC, "coverage"], floor_full, runs),
        ("validate+coverage", None, floor_full, runs),
        # two commands are two processes: beside the floor run twice, as the hook path is
        ("validate+coverage (floor ×2)", None, 2 * floor_full, runs),
        ("report", [LLC, "report", "--out", str(out)], floor_full, runs),
        ("scan (working tree)", [LLC, "scan"], floor_full, runs),
        ("scan --history", [LLC, "scan", "--history"], floor_history, history_runs),
        ("check-jsonschema (evidence/*.yaml only)", None, None, runs),
    ]:
        if name.startswith("validate+coverage"):
            v, c = results["validate"], results["coverage"]
            results[name] = (v[0] + c[0], max(v[1], c[1]), floor)
            continue
        if name.startswith("check-jsonschema"):
            exe = str(BIN / "check-jsonschema")
            if not Path(exe).exists():
                continue
            records = sorted(str(p.relative_to(repo)) for p in (repo / "evidence").glob("*.yaml"))
            cj = timed(
                [exe, "--schemafile", str(HERE.parent / "schema/evidence.schema.json"), *records],
                repo,
                n,
            )
            ours = timed([LLC, "validate", "evidence"], repo, n)
            results[name] = (cj[0], cj[1], None)
            results["llcompliance validate (same files, whole repo read)"] = (
                ours[0],
                ours[1],
                None,
            )
            continue
        seconds, peak = timed(cmd, repo, n)
        results[name] = (seconds, peak, floor)
    shutil.rmtree(out, ignore_errors=True)
    return results


HOOK_RUNS = 21  # rounds of the hook table: cheap runs, and noise needs many


def hook_scaling(commits: int, runs: int) -> dict[int, tuple[float, float]]:
    """documents -> (hook path seconds, floor seconds): validate + scan of five files, two
    processes, warm cache, beside the floor run twice (two processes reading, hashing and parsing
    the same five files with PyYAML's C loader).

    Runs are interleaved (each round times every size's hook and floor in turn) and the medians
    of the rounds are reported, so a burst of load on a shared machine falls on all of them
    alike instead of on whichever was being timed."""
    py = sys.executable
    sizes = (25, 250, 2500)
    setups = {}
    for documents in sizes:
        repo = repo_for(documents, commits)
        five = changed_files(repo)
        _once([LLC, "validate", *five], repo)  # warm the cache and the index
        _once([LLC, "scan", *five], repo)
        setups[documents] = (repo, five)
    hooks: dict[int, list[float]] = {d: [] for d in sizes}
    floors: dict[int, list[float]] = {d: [] for d in sizes}
    for _ in range(runs):
        for documents, (repo, five) in setups.items():
            hooks[documents].append(
                _once([LLC, "validate", *five], repo) + _once([LLC, "scan", *five], repo)
            )
            floor = [py, "-c", FLOOR_DOCS, str(repo), *five]
            floors[documents].append(_once(floor, repo) + _once(floor, repo))
    return {d: (statistics.median(hooks[d]), statistics.median(floors[d])) for d in sizes}


def print_hooks(found: dict[int, tuple[float, float]]) -> None:
    """The hook path at each size, its floor and both ratios (targets: ≤ 2× the floor, and at
    2,500 documents within 1.2× of 25)."""
    print("| hook path (validate + scan, 5 files) | time | floor (2 processes) | hook/floor |")
    print("|---|---|---|---|")
    for documents, (hook, floor) in found.items():
        print(
            f"| {documents} docs | {hook * 1000:.0f} ms | {floor * 1000:.0f} ms | {hook / floor:.2f}× |"
        )
    small, large = found[25][0], found[2500][0]
    print(f"hook@2500 / hook@25: {large / small:.2f}× (target ≤ 1.2×); hook/floor target ≤ 2×")
    print(f"(medians of {HOOK_RUNS} interleaved rounds)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="250,2500")
    parser.add_argument("--commits", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path, help="Also write the figures as JSON here.")
    parser.add_argument("--hooks-only", action="store_true", help="Only the hook-path table.")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.commits, args.runs = "250", 300, 1
    sizes = [int(s) for s in args.sizes.split(",")]
    hooks = hook_scaling(args.commits, HOOK_RUNS)
    print_hooks(hooks)
    if args.hooks_only:
        return
    print(
        f"llcompliance benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"{args.commits} commits, median of {args.runs} runs"
    )
    table = {size: measure(size, args.commits, args.runs) for size in sizes}
    names = list(next(iter(table.values())))
    header = (
        "| command | "
        + " | ".join(f"{s} docs: time | floor | ratio | peak MB" for s in sizes)
        + " |"
    )
    print(header)
    print("|---|" + "---|---|---|---|" * len(sizes))
    for name in names:
        cells = []
        for size in sizes:
            seconds, peak, floor = table[size].get(name, (float("nan"), 0.0, None))
            ratio = f"{seconds / floor:.1f}×" if floor else ""
            cells.append(
                f"{seconds * 1000:.0f} ms | {floor * 1000:.0f} ms | {ratio} | {peak:.0f}"
                if floor
                else f"{seconds * 1000:.0f} ms | | | {peak:.0f}"
            )
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("The pre-commit path (validate + scan of five files) is the hook table above.")
    if args.json:
        args.json.write_text(json.dumps({str(k): v for k, v in table.items()}, indent=2))


if __name__ == "__main__":
    main()
