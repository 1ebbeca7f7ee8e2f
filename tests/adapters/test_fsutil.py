"""File helpers (adapters/fsutil.py): a file is read no further than a cap (a huge, sparse or
growing file is a clear failure naming it, never a memory blow-up), and a file read as a commit would
hold it is never read through a link."""

from __future__ import annotations

import os
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import POLICY, TODAY, git, met_self_assessment, run_cli, write

from llcompliance.adapters.fsutil import FileTooLarge, read_capped, read_without_links
from llcompliance.report import model as readiness
from llcompliance.report import signing
from llcompliance.report.build import JSON_NAME, SIG_NAME

PRINCIPAL = "ci@eastmere.example.org"
HUGE = 512 * 1024 * 1024  # sparse: no disk, but reading it whole would take this much memory


@pytest.fixture
def signed(evidence_repo: Path, tmp_path: Path) -> tuple[Path, Path, signing.KeyFiles]:
    write(evidence_repo, "policies/lone-working.md", POLICY)
    write(evidence_repo, "standards/HR2.md", met_self_assessment("HR2"))
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "HR2 evidence")
    keys = signing.generate_keypair(tmp_path / "keys", PRINCIPAL)
    out = tmp_path / "report"
    key = str(keys.private)
    result = run_cli("report", "--out", str(out), "--key", key, "--as-of", TODAY, cwd=evidence_repo)
    assert result.exit_code == 0, result.output
    return evidence_repo, out, keys


def _sparse(path: Path, size: int = HUGE, start: bytes = b"") -> None:
    with path.open("wb") as handle:
        handle.write(start)
        handle.truncate(size)


def _verify_measured(repo: Path, out: Path, signers: Path) -> tuple[int, str, int]:
    """Exit code, output and peak Python memory (bytes) of an in-process `verify`."""
    tracemalloc.start()
    try:
        result = run_cli("verify", str(out), "--allowed-signers", str(signers), cwd=repo)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result.exit_code, result.output, peak


def _grow_report(out: Path, keys: signing.KeyFiles) -> Path:
    _sparse(out / JSON_NAME, start=(out / JSON_NAME).read_bytes())
    return keys.allowed_signers


def _grow_signature(out: Path, keys: signing.KeyFiles) -> Path:
    _sparse(out / SIG_NAME, start=(out / SIG_NAME).read_bytes())
    return keys.allowed_signers


def _grow_signers(out: Path, keys: signing.KeyFiles) -> Path:
    _sparse(keys.allowed_signers, start=keys.allowed_signers.read_bytes())
    return keys.allowed_signers


@pytest.mark.parametrize(
    ("grow", "name", "cap"),
    [
        (_grow_report, JSON_NAME, "16 MiB"),
        (_grow_signature, SIG_NAME, "64 KiB"),
        (_grow_signers, "allowed_signers", "1 MiB"),
    ],
    ids=["readiness.json", "signature", "allowed_signers"],
)
def test_verify_reads_no_further_than_a_cap(
    signed: tuple[Path, Path, signing.KeyFiles],
    grow: Callable[[Path, signing.KeyFiles], Path],
    name: str,
    cap: str,
) -> None:
    repo, out, keys = signed
    signers = grow(out, keys)
    code, text, peak = _verify_measured(repo, out, signers)
    assert code == 1, text
    assert f"{name} is larger than {cap}" in text
    assert "did NOT verify" in text
    assert peak < 64 * 1024 * 1024, f"verify held {peak // 1024 // 1024} MiB"


def test_the_report_cap_is_the_one_report_model_uses() -> None:
    assert readiness.MAX_BYTES == 16 * 1024 * 1024


def test_read_capped_reads_up_to_the_cap_and_no_more(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_bytes(b"x" * 10)
    assert read_capped(path, 10, what="w") == b"x" * 10
    with pytest.raises(FileTooLarge, match=r"file is larger than 9 bytes: w$"):
        read_capped(path, 9, what="w")


def test_an_oversized_config_is_a_clear_error(evidence_repo: Path) -> None:
    """llcompliance.yaml is read with a cap too (2 MiB): exit 2, naming the file."""
    config = evidence_repo / "llcompliance.yaml"
    _sparse(config, start=config.read_bytes())
    tracemalloc.start()
    try:
        result = run_cli("validate", cwd=evidence_repo)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.exit_code == 2, result.output
    assert "llcompliance.yaml:1: is far too large" in result.output
    assert peak < 64 * 1024 * 1024


def test_read_without_links_reads_only_what_a_commit_could_hold(tmp_path: Path) -> None:
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (repo / "real").mkdir(parents=True)
    outside.mkdir()
    (repo / "real" / "file.txt").write_bytes(b"in the repo")
    (outside / "file.txt").write_bytes(b"outside the repo")
    assert read_without_links(repo, "real/file.txt", 100) == b"in the repo"
    (repo / "linked-folder").symlink_to(outside)
    (repo / "real" / "linked-file.txt").symlink_to(outside / "file.txt")
    assert read_without_links(repo, "linked-folder/file.txt", 100) is None
    assert read_without_links(repo, "real/linked-file.txt", 100) is None
    assert read_without_links(repo, "real/missing.txt", 100) is None
    assert read_without_links(repo, "real/file.txt", 5) is None  # larger than the limit
    os.mkfifo(repo / "real" / "pipe")
    assert read_without_links(repo, "real/pipe", 100) is None  # never blocks on a pipe
    assert read_without_links(repo, "real", 100) is None  # a folder is not a file
