"""The workflows and the action pass zizmor offline, and the action installs only hash-locked packages."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT

# These check the repository's workflows and action files, which a wheel does not carry.
pytestmark = pytest.mark.skipif(
    os.environ.get("LLCOMPLIANCE_TEST_INSTALLED") == "1",
    reason="checks repository files (workflows, action), not the installed package",
)

AUDITED = [
    ROOT / "evidence-template/.github/workflows/readiness.yml",
    ROOT / ".github/workflows/ci.yml",
    ROOT / ".github/actions/readiness/action.yml",
]
ACTION = ROOT / ".github/actions/readiness/action.yml"
LOCK = ROOT / "requirements/action.lock"

# The gate, on zizmor's JSON (`determinations`: confidence and severity, each Low/Medium/High, severity
# also Informational). zizmor runs with the "auditor" persona (every security audit, false positives
# included) and --no-config (no config file can switch an audit off). A finding fails the test when its
# confidence OR its severity is Medium or above: a finding zizmor is unsure of but that would be serious
# (e.g. a GITHUB_ENV write it cannot prove safe) counts. What passes is only Low-confidence advice of Low
# or Informational severity (style hints such as "superfluous-actions").
# A finding may be suppressed only with an inline `# zizmor: ignore[rule]` comment that says why on the
# same line; test_every_suppression_is_justified checks that.
_LEVEL = {"Informational": 0, "Low": 1, "Medium": 2, "High": 3}
_PERSONA = "auditor"


def _zizmor() -> str | None:
    """The zizmor executable (a test dependency, installed next to this Python) or None."""
    beside = Path(sys.executable).parent / "zizmor"
    return str(beside) if beside.is_file() else shutil.which("zizmor")


def _audit(paths: list[Path]) -> list[dict[str, Any]]:
    exe = _zizmor()
    if exe is None:
        pytest.skip("zizmor is not installed (a test dependency: pip install zizmor)")
    proc = subprocess.run(
        [
            exe,
            "--offline",
            "--no-config",
            "--persona",
            _PERSONA,
            "--format",
            "json",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    # zizmor exits non-zero when it finds something (10 + highest severity); 1 and 2 are its own failures
    if proc.returncode not in (0, *range(10, 20)):
        pytest.fail(f"zizmor failed (rc {proc.returncode}): {proc.stderr[-2000:]}")
    findings: list[dict[str, Any]] = json.loads(proc.stdout or "[]")
    return findings


def _blocking(findings: list[dict[str, Any]]) -> list[str]:
    """The findings the gate refuses, one readable line each."""
    refused = []
    for finding in findings:
        det = finding["determinations"]
        if max(_LEVEL[det["confidence"]], _LEVEL[det["severity"]]) >= _LEVEL["Medium"]:
            primary = finding["locations"][0]
            where = primary["symbolic"]["key"]["Local"]["verbatim_path"]
            row = primary["concrete"]["location"]["start_point"]["row"] + 1
            refused.append(
                f"{where}:{row}: {finding['ident']} (confidence {det['confidence']}, "
                f"severity {det['severity']}): {primary['symbolic']['annotation']}"
            )
    return refused


def test_workflows_and_action_pass_zizmor_offline() -> None:
    findings = _audit(AUDITED)
    assert _blocking(findings) == [], "\n".join(_blocking(findings))


def test_zizmor_gate_refuses_the_old_mistakes(tmp_path: Path) -> None:
    """The gate is not vacuous: a key outside an environment, a tag pin, a GITHUB_ENV write."""
    workflow = tmp_path / ".github/workflows/bad.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(
        "name: bad\n"
        "on: [push, pull_request]\n"
        "permissions: {}\n"
        "concurrency: {group: bad, cancel-in-progress: true}\n"
        "jobs:\n"
        "  check:\n"
        "    name: check\n"
        "    runs-on: ubuntu-latest\n"
        "    permissions:\n"
        "      contents: read\n"
        "    steps:\n"
        "      - name: readiness\n"
        "        uses: llcompliance/llcompliance/.github/actions/readiness@v0.1.0\n"
        "        with:\n"
        "          signing-key: ${{ secrets.LLCOMPLIANCE_SIGNING_KEY }}\n"
    )
    action = tmp_path / "bad-action/action.yml"
    action.parent.mkdir()
    action.write_text(
        "name: bad\n"
        "description: writes the environment file\n"
        "runs:\n"
        "  using: composite\n"
        "  steps:\n"
        "    - name: install\n"
        "      shell: bash\n"
        '      run: echo "LLC=$RUNNER_TEMP/venv/bin/llcompliance" >> "$GITHUB_ENV"\n'
    )
    refused = _blocking(_audit([workflow, action]))
    rules = {line.split(": ")[1].split(" ")[0] for line in refused}
    assert rules == {"unpinned-uses", "secrets-outside-env", "github-env"}, refused


def test_every_suppression_is_justified() -> None:
    """`# zizmor: ignore[rule]` only with a reason after it on the same line."""
    for path in AUDITED:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = re.search(r"#\s*zizmor:\s*ignore\[[^\]]+\](.*)", line)
            if match:
                reason = match.group(1).strip(" -:—")
                assert len(reason.split()) >= 3, f"{path.name}:{number}: say why it is safe"


def _locked() -> dict[str, list[str]]:
    """Package name -> its hash options, from requirements/action.lock."""
    text = LOCK.read_text().replace("\\\n", " ")
    packages: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        name = re.split(r"[=<>!~;\s\[]", line, maxsplit=1)[0]
        packages.setdefault(_norm(name), []).extend(re.findall(r"--hash=sha256:[0-9a-f]{64}", line))
        assert "==" in line, f"not pinned: {line[:80]}"
    return packages


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_action_lock_pins_every_runtime_dependency_and_the_build_backend_with_hashes() -> None:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        project = _toml(handle.read())
    needed = {
        _norm(re.split(r"[=<>!~;\s\[]", dep, maxsplit=1)[0])
        for dep in project["project"]["dependencies"]
    }
    needed |= {
        _norm(re.split(r"[=<>!~;\s\[]", dep, maxsplit=1)[0])
        for dep in project["build-system"]["requires"]
    }
    locked = _locked()
    assert needed <= set(locked), needed - set(locked)
    unhashed = [name for name, hashes in locked.items() if not hashes]
    assert unhashed == []


def test_action_installs_only_from_the_lock() -> None:
    """Hash-checked dependencies, then the toolkit itself with nothing else fetched."""
    steps = yaml.safe_load(ACTION.read_text())["runs"]["steps"]
    install = next(step for step in steps if step.get("id") == "install")["run"]
    pip_lines = [
        line for line in install.replace("\\\n", " ").splitlines() if "pip install" in line
    ]
    assert len(pip_lines) == 2, pip_lines
    deps, toolkit = pip_lines
    assert "--require-hashes" in deps and '-r "$toolkit/requirements/action.lock"' in deps
    assert "--only-binary :all:" in deps
    for flag in ("--no-deps", "--no-build-isolation", "--no-index"):
        assert flag in toolkit
    # values pass between steps as outputs: a GITHUB_ENV write can change what later steps run
    assert "$GITHUB_ENV" not in "\n".join(step.get("run", "") for step in steps)


def _toml(data: bytes) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    parsed: dict[str, Any] = tomllib.loads(data.decode("utf-8"))
    return parsed
