"""Packaged data is found from an editable install and from a built wheel (force-include)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import DATA, ROOT

from llcompliance.adapters import resources
from llcompliance.core import catalogue


def test_resolver_finds_everything() -> None:
    assert (resources.schema_dir() / "policy.schema.json").is_file()
    assert (resources.template_dir() / "llcompliance.yaml").is_file()
    assert (resources.template_dir() / ".gitattributes").is_file()
    assert (resources.demo_dir() / "history.yaml").is_file()
    assert catalogue.builtin_names() == ["leading-lights"]


def test_catalogue_has_the_23_standards() -> None:
    cat = catalogue.load("leading-lights")
    ids = [s.id for s in cat.standards]
    expected = (
        [f"SP{i}" for i in range(1, 10)]
        + [f"MA{i}" for i in range(1, 5)]
        + [f"HR{i}" for i in range(1, 4)]
        + [f"GV{i}" for i in range(1, 8)]
    )
    assert ids == expected
    assert [s.id for s in cat.sections] == [
        "service-provision",
        "multi-agency-working",
        "human-resources",
        "governance",
    ]
    assert cat.digest.startswith("sha256:") and len(cat.digest) == 71


def test_statements_are_quoted_from_the_standards_document() -> None:
    source = DATA / "standards/leading-lights-standards.txt"
    text = " ".join(source.read_text(encoding="utf-8").split())
    cat = catalogue.load("leading-lights")
    for standard in cat.standards:
        assert " ".join(standard.statement.split()) in text, standard.id
    for section in cat.sections:
        assert " ".join(section.spirit.split()) in text, section.id


@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("LLCOMPLIANCE_TEST_INSTALLED") == "1", reason="already testing a wheel"
)
def test_wheel_contains_data_and_runs_from_it(tmp_path: Path) -> None:
    """Build the wheel, then run init and validate with the package imported from the wheel."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    wheel = next(tmp_path.glob("llcompliance-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "llcompliance/_data/schema/policy.schema.json",
        "llcompliance/_data/evidence-template/llcompliance.yaml",
        "llcompliance/_data/evidence-template/.gitattributes",
        "llcompliance/_data/evidence-template/.pre-commit-config.yaml",
        "llcompliance/_data/evidence-template/.github/workflows/readiness.yml",
        "llcompliance/_data/evidence-template/standards/SP1.md",
        "llcompliance/catalogues/leading-lights.yaml",
        "llcompliance/demo/history.yaml",
    ):
        assert expected in names, expected
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    env = {**os.environ, "PYTHONPATH": str(unpacked)}
    code = (
        "import llcompliance.adapters.resources as r, sys; "
        "assert '_data' in str(r.schema_dir()), r.schema_dir(); "
        "assert '_data' in str(r.template_dir()); print('ok')"
    )
    check = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert check.stdout.strip() == "ok", check.stderr
    repo = tmp_path / "svc"
    run = subprocess.run(
        [sys.executable, "-m", "llcompliance.cli", "init", str(repo), "--service", "Wheel Test"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    valid = subprocess.run(
        [sys.executable, "-m", "llcompliance.cli", "validate"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert valid.returncode == 0, valid.stdout + valid.stderr
