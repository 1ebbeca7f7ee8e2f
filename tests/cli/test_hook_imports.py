"""The pre-commit hook path (validate, then scan) imports no module it does not use (issue 18)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import POLICY, RECORD, git, run_cli, write

# Modules only some runs need: click (options, help, other commands), starting git, writing a
# file, reading blobs, suggesting a spelling, a roster, --traceback, and the heavy libraries a
# warm cache never needs.
_NOT_ON_HOOK_PATH = (
    "click", "subprocess", "dataclasses", "tempfile", "difflib", "csv", "secrets", "traceback", "yaml",
    "jsonschema", "jinja2", "markdown_it", "pathspec", "re2", "pypdf",
    "llcompliance.core.coverage", "llcompliance.report", "llcompliance.guard.extract",
)  # fmt: skip

_PROBE = (
    "import sys\n"
    "from llcompliance.cli.fast import fast_run\n"
    "codes = [fast_run(['validate', *sys.argv[1:]]), fast_run(['scan', *sys.argv[1:]])]\n"
    f"print(codes, ' '.join(m for m in {_NOT_ON_HOOK_PATH!r} if m in sys.modules))\n"
)

_FILES = ("policies/lone-working.md", "evidence/checks.yaml")


def test_a_warm_hook_run_imports_nothing_it_does_not_use(evidence_repo: Path) -> None:
    write(evidence_repo, _FILES[0], POLICY)
    write(evidence_repo, _FILES[1], RECORD)
    git(evidence_repo, "add", "-A")
    assert run_cli("validate", cwd=evidence_repo).exit_code == 0  # warms the cache and the index
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, *_FILES],
        cwd=evidence_repo,
        capture_output=True,
        text=True,
        check=True,
    )
    # the last line: the exit codes of both commands, then the modules that should not be there
    assert out.stdout.splitlines()[-1].split(" ", 2) == ["[0,", "0]", ""]
