"""The composite action's shell steps run for real with the GITHUB_* files, and the workflows validate."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import POLICY, ROOT, git, make_ready, ssh_keygen_verify, write

from llcompliance.report import signing

# These check the repository's workflows and action files, which a wheel does not carry.
pytestmark = pytest.mark.skipif(
    os.environ.get("LLCOMPLIANCE_TEST_INSTALLED") == "1",
    reason="checks repository files (workflows, action), not the installed package",
)

ACTION = ROOT / ".github/actions/readiness/action.yml"
WORKFLOWS = [
    ROOT / ".github/workflows/ci.yml",
    ROOT / "evidence-template/.github/workflows/readiness.yml",
]


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("check-jsonschema") or str(
        Path(os.sys.executable).parent / "check-jsonschema"
    )
    return subprocess.run(
        [exe, "--builtin-schema", schema, str(path)], capture_output=True, text=True
    )


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_validate_offline(path: Path) -> None:
    proc = _check_jsonschema("vendor.github-workflows", path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_action_validates_offline() -> None:
    proc = _check_jsonschema("vendor.github-actions", ACTION)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_action_never_interpolates_inputs_into_scripts() -> None:
    """Inputs reach shell steps through env: only (script injection)."""
    action = yaml.safe_load(ACTION.read_text())
    for step in action["runs"]["steps"]:
        assert "shell" in step
        assert "${{" not in step.get("run", ""), step["name"]


# Our own action as the template pins it. No release commit exists yet, so the SHA is a placeholder (all
# zeros: it can never be mistaken for a real commit, and GitHub refuses it loudly rather than running
# something else). Releasing v0.1.0, and later `llcompliance upgrade`, rewrite this one value in the
# template, the README and here together; the tests below make every copy agree.
OWN_ACTION = "llcompliance/llcompliance/.github/actions/readiness"
OWN_ACTION_SHA = "0" * 40
OWN_ACTION_VERSION = "v0.1.0"
OWN_ACTION_PIN = f"{OWN_ACTION}@{OWN_ACTION_SHA} # {OWN_ACTION_VERSION}"

_USES = re.compile(r"uses:\s*([^\s#]+)(?:\s*#\s*(\S+))?")


def _uses_lines(text: str) -> list[tuple[str, str | None, str]]:
    """(reference, version comment, line) for each `uses:` line."""
    return [
        (m.group(1), m.group(2), line)
        for line in text.splitlines()
        if (m := _USES.search(line)) and not m.group(1).startswith("./")
    ]


def test_every_action_is_pinned_to_a_sha_with_its_version() -> None:
    """A tag can be moved to other code after review; a full commit SHA cannot. Ours included."""
    for path in WORKFLOWS:
        for ref, version, line in _uses_lines(path.read_text()):
            assert re.search(r"@[0-9a-f]{40}$", ref), f"{path.name}: {line.strip()}"
            assert version and re.fullmatch(r"v\d+(\.\d+)*", version), (
                f"{path.name}: {line.strip()}"
            )


def test_own_action_pin_is_the_same_everywhere() -> None:
    """The template and the README show one pin: the one the release (or upgrade) rewrites."""
    template = (ROOT / "evidence-template/.github/workflows/readiness.yml").read_text()
    readme = (ROOT / "README.md").read_text()
    for name, text in (("readiness.yml", template), ("README.md", readme)):
        own = [
            f"{ref} # {version}"
            for ref, version, _ in _uses_lines(text)
            if ref.startswith(OWN_ACTION + "@")
        ]
        assert own, f"{name} should use the readiness action"
        assert set(own) == {OWN_ACTION_PIN}, name


TEMPLATE = ROOT / "evidence-template/.github/workflows/readiness.yml"


def _template() -> dict[str, Any]:
    return dict(yaml.safe_load(TEMPLATE.read_text()))


def test_template_workflow_has_least_privilege_and_full_history() -> None:
    workflow = _template()
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert set(jobs) == {"check", "names", "sign", "assessor-pr"}
    assert jobs["check"]["permissions"] == {"contents": "read", "security-events": "write"}
    assert jobs["sign"]["permissions"] == {"contents": "read"}
    assert jobs["assessor-pr"]["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
        "id-token": "write",
        "attestations": "write",
    }
    for job in jobs.values():
        checkout = job["steps"][0]
        assert checkout["with"]["fetch-depth"] == 0
        assert checkout["with"]["persist-credentials"] is False


def test_only_the_sign_job_sees_the_key_and_only_in_its_environment() -> None:
    """Secrets appear in two jobs, each under the environment that holds them: the signing key in
    "sign", the client roster in "names" (which holds no key and writes nothing)."""
    jobs = _template()["jobs"]
    for name, job in jobs.items():
        mentions = "secrets." in json.dumps(job)
        assert mentions == (name in ("sign", "names")), name
    assert jobs["sign"]["environment"] == "readiness-signing"
    assert jobs["names"]["environment"] == "client-roster"
    assert jobs["names"]["permissions"] == {"contents": "read"}
    assert "SIGNING" not in json.dumps(jobs["names"])
    assert "environment" not in jobs["check"] and "environment" not in jobs["assessor-pr"]
    assert jobs["sign"]["needs"] == "check" and jobs["assessor-pr"]["needs"] == "sign"
    # the pull request is made from what the sign job signed, never from a report made without the key
    pr_steps = json.dumps(jobs["assessor-pr"]["steps"])
    assert "actions/readiness@" not in pr_steps and "needs.sign.outputs.dest" in pr_steps


def _runs(condition: str, event: str, ref: str, default_branch: str = "main") -> bool:
    """Evaluate one of the template's job conditions for an event (the few forms it uses)."""
    text = condition.replace(
        "format('refs/heads/{0}', github.event.repository.default_branch)",
        repr(f"refs/heads/{default_branch}"),
    )
    text = text.replace("github.event_name", repr(event)).replace("github.ref", repr(ref))
    text = text.replace("&&", " and ").replace("||", " or ")
    assert "github." not in text and "${{" not in text, f"condition not understood: {condition}"
    return bool(eval(text, {}))  # noqa: S307 - our own workflow file, test only


@pytest.mark.parametrize(
    ("event", "ref", "default_branch", "signs", "opens_pr"),
    [
        ("pull_request", "refs/pull/7/merge", "main", False, False),
        ("push", "refs/heads/main", "main", True, False),
        ("workflow_dispatch", "refs/heads/main", "main", True, True),
        ("push", "refs/heads/try-a-policy", "main", False, False),
        ("workflow_dispatch", "refs/heads/try-a-policy", "main", False, False),
        ("push", "refs/heads/main", "trunk", False, False),
        ("workflow_dispatch", "refs/heads/trunk", "trunk", True, True),
        ("push", "refs/tags/v1", "main", False, False),
    ],
)
def test_signing_runs_only_for_the_default_branch(
    event: str, ref: str, default_branch: str, signs: bool, opens_pr: bool
) -> None:
    """Unmerged content (pull requests, other branches, tags) is never signed."""
    jobs = _template()["jobs"]
    assert "if" not in jobs["check"]  # every event gets the unsigned checks
    assert _runs(jobs["sign"]["if"], event, ref, default_branch) is signs
    # assessor-pr needs sign, so it runs only when both conditions hold
    assert (signs and _runs(jobs["assessor-pr"]["if"], event, ref, default_branch)) is opens_pr


def test_code_scanning_upload_is_optional_and_never_blocks() -> None:
    """Private repos without Advanced Security reject SARIF: the upload must not fail the job."""
    workflow = _template()
    uploads = [
        step
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if "upload-sarif" in str(step.get("uses", ""))
    ]
    assert uploads, "the template should still offer code scanning"
    for step in uploads:
        assert step.get("continue-on-error") is True
        assert "vars.LLCOMPLIANCE_CODE_SCANNING == 'true'" in step["if"]


_EXPR = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")


class Runner:
    """Runs a composite action's steps the way the runner does, with the GITHUB_* files."""

    def __init__(self, workspace: Path, temp: Path, inputs: dict[str, str]) -> None:
        self.workspace, self.temp = workspace, temp
        action = yaml.safe_load(ACTION.read_text())
        self.steps = action["runs"]["steps"]
        self.outputs_spec = action["outputs"]
        self.inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()} | inputs
        self.step_outputs: dict[str, dict[str, str]] = {}
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "LLC"))}
        self.files = {
            name: temp / f"{name.lower()}-{id(self)}"
            for name in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_STEP_SUMMARY")
        }
        self.env.update(
            GITHUB_ACTION_PATH=str(ACTION.parent),
            RUNNER_TEMP=str(temp),
            GITHUB_WORKSPACE=str(workspace),
            CI="true",
            GITHUB_ACTIONS="true",
            **{k: str(v) for k, v in self.files.items()},
        )
        for path in self.files.values():
            path.write_text("")
        self.logs: list[tuple[str, int, str]] = []
        self.env_writes: dict[str, str] = {}  # what the steps wrote to GITHUB_ENV

    def _value(self, expr: str) -> str:
        parts = expr.split(".")
        if parts[0] == "inputs":
            return self.inputs.get(parts[1], "")
        if parts[0] == "steps" and parts[2] == "outputs":
            return self.step_outputs.get(parts[1], {}).get(parts[3], "")
        raise AssertionError(f"expression not supported by the harness: {expr}")

    def expand(self, text: str) -> str:
        return _EXPR.sub(lambda m: self._value(m.group(1)), text)

    def condition(self, text: str) -> bool:
        python = re.sub(r"(inputs|steps)\.[\w.-]+", lambda m: repr(self._value(m.group(0))), text)
        python = python.replace("&&", " and ").replace("||", " or ")
        return bool(eval(python, {}))  # noqa: S307 - our own action file, harness only

    @staticmethod
    def _read_kv(path: Path) -> dict[str, str]:
        values: dict[str, str] = {}
        lines = path.read_text().splitlines()
        i = 0
        while i < len(lines):
            line = lines[i]
            if "<<" in line and "=" not in line.split("<<")[0]:
                name, delim = line.split("<<", 1)
                body = []
                i += 1
                while lines[i] != delim:
                    body.append(lines[i])
                    i += 1
                values[name] = "\n".join(body)
            elif "=" in line:
                name, value = line.split("=", 1)
                values[name] = value
            i += 1
        path.write_text("")
        return values

    def run(self) -> int:
        for step in self.steps:
            if "if" in step and not self.condition(step["if"]):
                continue
            env = dict(self.env)
            env.update({k: self.expand(str(v)) for k, v in step.get("env", {}).items()})
            proc = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=self.workspace,
                env=env,
                capture_output=True,
                text=True,
            )
            self.logs.append((step["name"], proc.returncode, proc.stdout + proc.stderr))
            self.env_writes.update(self._read_kv(self.files["GITHUB_ENV"]))
            self.env.update(self.env_writes)
            if "id" in step:
                self.step_outputs[step["id"]] = self._read_kv(self.files["GITHUB_OUTPUT"])
            if proc.returncode != 0:
                return proc.returncode
        return 0

    def outputs(self) -> dict[str, str]:
        return {name: self.expand(spec["value"]) for name, spec in self.outputs_spec.items()}

    def log(self, name: str) -> str:
        return next(text for step, _, text in self.logs if step.startswith(name))

    @property
    def summary(self) -> str:
        return self.files["GITHUB_STEP_SUMMARY"].read_text()


@pytest.fixture(scope="module")
def runner_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared RUNNER_TEMP, so the toolkit is pip-installed once (for real) for both scenarios."""
    return tmp_path_factory.mktemp("runner-temp")


def _ready_repo(repo: Path) -> None:
    make_ready(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "HR2 evidence")


def _sarif_ok(path: Path) -> dict[str, Any]:
    log = json.loads(path.read_text())
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    assert log["runs"][0]["tool"]["driver"]["name"] == "llcompliance"
    return log


@pytest.mark.slow
def test_action_signs_a_verifiable_report(
    evidence_repo: Path, runner_temp: Path, tmp_path: Path
) -> None:
    _ready_repo(evidence_repo)
    keys = signing.generate_keypair(tmp_path / "keys", "ci@eastmere.example.org")
    runner = Runner(
        evidence_repo, runner_temp, {"signing-key": keys.private.read_text(), "as-of": "2026-11-23"}
    )
    assert runner.run() == 0, runner.logs
    outputs = runner.outputs()
    assert outputs["ready"] == "1" and outputs["total"] == "23" and outputs["signed"] == "true"
    report_dir = evidence_repo / outputs["report-dir"]
    assert (report_dir / "readiness.json.sig").exists()
    assert "| HR2 | Managing risks to staff | ✓ ready |" in runner.summary
    assert not list(runner_temp.glob("llcompliance-key.*")), "the key file must be deleted"
    _sarif_ok(Path(outputs["sarif-dir"]) / "validate.sarif")
    _sarif_ok(Path(outputs["sarif-dir"]) / "scan.sarif")
    assert runner.env_writes == {}, "steps pass values through outputs, never GITHUB_ENV"
    llc = outputs["llcompliance"]
    assert Path(llc).name == "llcompliance" and Path(llc).is_file()
    verify = subprocess.run(
        [
            llc,
            "verify",
            str(report_dir),
            "--allowed-signers",
            str(keys.allowed_signers),
            "--rebuild",
        ],
        cwd=evidence_repo,
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    ssh = ssh_keygen_verify(report_dir, keys.allowed_signers, "ci@eastmere.example.org")
    assert ssh.returncode == 0


@pytest.mark.slow
def test_action_annotates_findings_and_fails_after_reporting(
    evidence_repo: Path, runner_temp: Path
) -> None:
    _ready_repo(evidence_repo)
    write(
        evidence_repo,
        "policies/leak.md",
        POLICY.replace("POL-lone-working", "POL-leak") + "\nShe lives at 2 Mill Lane, SW1A 1AA.\n",
    )
    write(evidence_repo, "evidence/bad.yaml", "id: EV-bad\ntitle: Bad\n")
    runner = Runner(evidence_repo, runner_temp, {})
    assert runner.run() == 1
    assert "::error file=policies/leak.md,line=" in runner.log("Guard against personal data")
    assert "SW1A 1AA" not in "".join(text for _, _, text in runner.logs)
    assert (
        "::error file=evidence/bad.yaml,line=1,title=llcompliance schema::missing required key"
        in runner.log("Validate")
    )
    assert "::warning title=llcompliance::No signing key" in runner.log("Write and sign")
    assert runner.logs[-1][0] == "Fail on findings" and runner.logs[-1][1] == 1
    outputs = runner.outputs()
    assert outputs["signed"] == "false"
    assert (evidence_repo / outputs["report-dir"] / "readiness.json").exists()
    scan = _sarif_ok(Path(outputs["sarif-dir"]) / "scan.sarif")
    assert any(r["ruleId"] == "postcode" for r in scan["runs"][0]["results"])


def test_template_publishes_the_calendar_without_secrets() -> None:
    """Issue 15: each run offers the status calendar (ics) beside the report, from the job that
    holds no secret, and never blocks on it."""
    workflow = yaml.safe_load(
        (ROOT / "evidence-template/.github/workflows/readiness.yml").read_text()
    )
    steps = workflow["jobs"]["check"]["steps"]
    calendar = next(s for s in steps if "status --format ics" in str(s.get("run", "")))
    assert calendar.get("continue-on-error") is True
    upload = next(s for s in steps if s.get("with", {}).get("name") == "readiness-calendar")
    assert upload["with"]["path"] == "readiness-calendar/"
    assert "secrets" not in json.dumps(workflow["jobs"]["check"])
