"""The hook path's fast lane (cli/fast.py): the same output and exit code as click, without it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import POLICY, RECORD, git, run_cli, write

from llcompliance.cli.fast import fast_run, plain_paths


def _lane(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`llcompliance ARGS` as pre-commit runs it: a new process, the console-script entry."""
    code = "import sys; from llcompliance.cli import run; sys.argv[0] = 'llcompliance'; run()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.fixture
def flawed_repo(evidence_repo: Path) -> Path:
    """A repo with a valid policy, a record with a schema error and a phone number in a policy."""
    write(evidence_repo, "policies/lone-working.md", POLICY)
    write(evidence_repo, "evidence/checks.yaml", RECORD.replace("kind: record", "kind: nonsense"))
    write(
        evidence_repo,
        "policies/contact.md",
        POLICY.replace("POL-", "POL-c-") + "\nThe client moved to 4 Mill Lane, SW1A 1AA.\n",
    )
    git(evidence_repo, "add", "-A")
    return evidence_repo


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "policies/lone-working.md"),
        ("validate", "evidence/checks.yaml", "policies/lone-working.md"),
        ("validate", "policies/no-such-file.md"),
        ("validate",),
        ("scan", "policies/contact.md", "policies/lone-working.md"),
        ("scan", "policies/lone-working.md"),
        ("scan",),
        ("coverage",),
    ],
)
def test_the_fast_lane_says_what_click_says(flawed_repo: Path, args: tuple[str, ...]) -> None:
    fast = _lane(flawed_repo, *args)
    slow = run_cli(*args, cwd=flawed_repo)
    assert (fast.returncode, fast.stdout, fast.stderr) == (slow.exit_code, slow.stdout, slow.stderr)


def test_the_cases_compared_include_findings_and_errors(flawed_repo: Path) -> None:
    """The comparison above is worth something only if the runs differ in what they find."""
    assert _lane(flawed_repo, "validate", "evidence/checks.yaml").returncode == 1
    assert _lane(flawed_repo, "validate", "policies/lone-working.md").returncode == 0
    assert _lane(flawed_repo, "scan", "policies/contact.md").returncode == 1
    missing = _lane(flawed_repo, "validate", "policies/no-such-file.md")
    assert missing.returncode == 2
    assert "policies/no-such-file.md: no such file" in missing.stderr


def test_options_and_other_commands_go_to_click(flawed_repo: Path) -> None:
    assert fast_run(["validate", "--format", "json", "x"]) is None
    assert fast_run(["scan", "--staged"]) is None
    assert fast_run(["coverage", "--fail-on", "regression"]) is None  # the pre-commit hook's
    assert fast_run(["coverage", "policies"]) is None  # click says it takes no paths
    assert fast_run(["explain"]) is None
    assert fast_run([]) is None
    assert not plain_paths(["-"]) and not plain_paths([""]) and plain_paths(["a.md", "b c.md"])
    out = _lane(flawed_repo, "validate", "--format", "json", "policies/lone-working.md")
    assert out.returncode == 0 and out.stdout.lstrip().startswith("{")
    assert "Usage:" in _lane(flawed_repo, "validate", "--help").stdout


def test_an_unexpected_error_is_one_line_and_exit_3(tmp_path: Path) -> None:
    """A folder that cannot be read: no traceback, exit 3, as through click."""
    probe = (
        "import sys\n"
        "from llcompliance.cli import fast\n"
        "def boom(*a, **k): raise RuntimeError('disk on fire')\n"
        "fast._dispatch = boom\n"
        "sys.exit(fast.fast_run(['validate', 'x.md']))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 3
    assert out.stderr.startswith("llcompliance: an unexpected error occurred: RuntimeError")
    assert "Traceback" not in out.stderr


def _shell(repo: Path, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-c", command],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "PYTHON": sys.executable},
    )


_ENTRY = "import sys; from llcompliance.cli import run; sys.argv[0] = 'llcompliance'; run()"


def test_with_standard_output_closed_both_lanes_fail_the_same_way(flawed_repo: Path) -> None:
    """No traceback and exit 3 (not 1, which a hook would read as findings), as through click."""
    fast = _shell(flawed_repo, f'"$PYTHON" -c "{_ENTRY}" validate policies/lone-working.md >&-')
    slow = _shell(
        flawed_repo,
        f'"$PYTHON" -c "{_ENTRY}" validate --format text policies/lone-working.md >&-',
    )
    assert fast.returncode == slow.returncode == 3
    assert "Traceback" not in fast.stderr and fast.stderr.startswith("llcompliance: ")
    assert fast.stderr.split(":")[:2] == slow.stderr.split(":")[:2]


def test_error_lines_are_written_as_click_writes_them(flawed_repo: Path) -> None:
    """A name with a terminal escape in it: click drops colour codes off a terminal; so do we."""
    name = "policies/\x1b[31mred.md"
    fast = _lane(flawed_repo, "validate", name)
    slow = run_cli("validate", name, cwd=flawed_repo)
    assert fast.returncode == slow.exit_code == 2
    assert fast.stderr == slow.stderr
    assert "\x1b" not in fast.stderr
