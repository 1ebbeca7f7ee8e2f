"""Blobs of any size are hashed as streams: a huge committed file costs megabytes, not its size."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, TODAY, git, write

from llcompliance.adapters import gitrepo
from llcompliance.report import signing

BIG = 200 * 1024 * 1024  # zeros: about 200 KB once git has compressed them
ZEROS_SHA256 = "72abf2ca8f36943ebe2e49ca3a51d409ca5f0bfcffab6c9d25643c17c32889da"  # of BIG zeros
PEAK_LIMIT_MB = 150
PRINCIPAL = "ci@eastmere.example.org"

# Runs one command and prints the largest resident size of it and of the git it started (KiB
# on Linux): measured in a fresh process, so the test's own setup is not counted.
_MEASURE = """
import resource, subprocess, sys
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stderr.write(result.stdout + result.stderr)
print(result.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _peak_mb(repo: Path, *args: str) -> float:
    """Peak memory (MB) of `llcompliance ARGS` run in `repo`; it must succeed."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", _MEASURE, sys.executable, "-m", "llcompliance", *args]
    done = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, check=True)
    code, peak = done.stdout.split()
    assert code == "0", done.stderr
    return int(peak) / 1024


@pytest.fixture
def big_repo(evidence_repo: Path) -> Path:
    """An evidence repo with a committed 200 MB file of zeros (made sparse: fast, little disk)."""
    big = evidence_repo / "evidence/recording.bin"
    with big.open("wb") as handle:
        handle.truncate(BIG)
    os.utime(big, (1_700_000_000, 1_700_000_000))  # older than the index: git trusts its stat
    # above the threshold git adds a file as a stream, so setting up stays quick and small
    git(evidence_repo, "-c", "core.bigFileThreshold=1m", "add", "evidence/recording.bin")
    git(evidence_repo, "commit", "-qm", "a long recording")
    return evidence_repo


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux")
def test_report_verify_and_history_scan_memory_stays_flat_with_a_huge_file(
    big_repo: Path, tmp_path: Path
) -> None:
    keys = signing.generate_keypair(tmp_path / "keys", PRINCIPAL)
    out = tmp_path / "report"
    key = str(keys.private)
    report = _peak_mb(big_repo, "report", "--as-of", TODAY, "--out", str(out), "--key", key)
    signers = str(keys.allowed_signers)
    verify = _peak_mb(big_repo, "verify", str(out), "--allowed-signers", signers, "--rebuild")
    history = _peak_mb(big_repo, "scan", "--history")
    files = json.loads((out / "readiness.json").read_text())["files"]
    assert files["evidence/recording.bin"] == "sha256:" + ZEROS_SHA256
    assert max(report, verify, history) < PEAK_LIMIT_MB, (report, verify, history)


def test_read_blobs_keeps_at_most_the_limit(evidence_repo: Path) -> None:
    write(evidence_repo, "evidence/long.txt", "0123456789" * 500)
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "long")
    tree = gitrepo.ls_tree(evidence_repo, "HEAD")
    long, config = tree["evidence/long.txt"].blob, tree["llcompliance.yaml"].blob
    got = gitrepo.read_blobs(evidence_repo, [long, config], limit=1001)
    assert got[long] == b"0123456789" * 100 + b"0"
    assert got[config] == (evidence_repo / "llcompliance.yaml").read_bytes()[:1001]
    assert gitrepo.blob_sha256(evidence_repo, [long]) == {
        long: hashlib.sha256(b"0123456789" * 500).hexdigest()
    }


def test_the_default_limit_is_above_every_callers_cap() -> None:
    """Callers cut further and report a file over their cap: they must see cap + 1 bytes."""
    from llcompliance.core.documents import MAX_FILE_BYTES
    from llcompliance.guard.scan import MAX_SCAN_BYTES

    assert max(MAX_FILE_BYTES, MAX_SCAN_BYTES) < gitrepo.MAX_BLOB_BYTES


def test_many_blobs_and_missing_ones_in_one_batch(evidence_repo: Path) -> None:
    """More answers than a pipe holds, asked while git answers: no deadlock, and order kept."""
    names = [f"evidence/note-{n:04d}.md" for n in range(300)]
    for name in names:
        write(evidence_repo, name, f"note {name}\n" * 50)
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "notes")
    tree = gitrepo.ls_tree(evidence_repo, "HEAD")
    missing = [f"{n:040x}" for n in range(1, 3000)]
    ids = [tree[name].blob for name in names]
    digests = gitrepo.blob_sha256(evidence_repo, [*missing, *ids])
    contents = gitrepo.read_blobs(evidence_repo, [*ids, *missing])
    assert sorted(digests) == sorted(contents) == sorted(ids)
    for name in names:
        data = (evidence_repo / name).read_bytes()
        assert contents[tree[name].blob] == data
        assert digests[tree[name].blob] == hashlib.sha256(data).hexdigest()


def test_a_reader_that_stops_early_leaves_no_git_behind(evidence_repo: Path) -> None:
    tree = gitrepo.ls_tree(evidence_repo, "HEAD")
    ids = [entry.blob for entry in tree.values()] + [f"{n:040x}" for n in range(1, 3000)]
    blobs = gitrepo._each_blob(evidence_repo, ids)
    next(blobs)
    blobs.close()  # git is stopped and waited for: no hang, no stray process
    assert len(gitrepo.blob_sha256(evidence_repo, ids)) == len({e.blob for e in tree.values()})
