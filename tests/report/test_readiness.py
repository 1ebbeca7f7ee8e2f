"""The typed readiness report: parsed after the schema, loaded with limits a hostile file cannot pass."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA

from llcompliance.adapters import schemas
from llcompliance.commands import demo
from llcompliance.errors import UsageError
from llcompliance.report import model as readiness

SAMPLE = DATA / "readiness-sample.json"


def _sample() -> dict[str, Any]:
    return json.loads(SAMPLE.read_bytes())  # type: ignore[no-any-return]


def _folder(tmp_path: Path, content: bytes) -> Path:
    (tmp_path / "readiness.json").write_bytes(content)
    return tmp_path


def test_the_sample_parses_into_the_model(tmp_path: Path) -> None:
    data = _sample()
    assert list(schemas.problems("readiness", data)) == []
    report = readiness.load(_folder(tmp_path, SAMPLE.read_bytes()))
    assert report == readiness.parse(data)
    assert report.source.commit == data["source"]["commit"]
    assert report.summary.as_dict() == data["summary"]
    assert [s.id for s in report.sections] == [s["id"] for s in data["sections"]]
    sp1 = report.standard("SP1")
    assert sp1 is not None and sp1.state == "ready" and sp1.self_assessment == "standards/SP1.md"
    assert sp1.assessment is not None and sp1.assessment.outcome == "met"
    assert sp1.evidence[1].location == "Case system > Reports > Audits > 2026-Q3"
    assert report.files == data["files"]
    with pytest.raises(TypeError):
        report.files["new.md"] = "sha256:0"  # type: ignore[index]  # frozen all the way down


def test_fields_the_schema_leaves_open_are_read_defensively() -> None:
    """Evidence titles and the assessment's keys are not typed by the schema: odd values render as nothing."""
    data = _sample()
    std = data["standards"][0]
    std["evidence"][0]["title"] = 42
    std["assessment"] = {"outcome": ["met"], "comment": "fine"}
    assert list(schemas.problems("readiness", data)) == []
    parsed = readiness.parse(data).standards[0]
    assert parsed.evidence[0].title is None
    assert parsed.assessment is not None
    assert (parsed.assessment.outcome, parsed.assessment.comment) == (None, "fine")


def test_a_readiness_json_nested_100000_deep_is_a_usage_error(tmp_path: Path) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(UsageError, match="nested too deeply to be a readiness report"):
        readiness.load(_folder(tmp_path, deep))


def test_a_readiness_json_beyond_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    big = json.dumps(_sample()).encode() + b" " * readiness.MAX_BYTES
    with pytest.raises(UsageError, match="larger than 16 MiB"):
        readiness.load(_folder(tmp_path, big))


def test_schema_problems_name_the_file_and_the_key(tmp_path: Path) -> None:
    data = _sample()
    data["summary"]["ready"] = "twelve"
    with pytest.raises(
        UsageError, match=r"readiness\.json is not a readiness report .*summary\.ready"
    ):
        readiness.load(_folder(tmp_path, json.dumps(data).encode()))
    with pytest.raises(UsageError, match="not valid JSON"):
        readiness.load(_folder(tmp_path, b"\xff\xfe{"))


def test_readiness_md_shows_each_requirement_as_a_checklist(demo_built: demo.DemoResult) -> None:
    """An assessor reading the PR sees, per standard, what it requires, met or not, with words."""
    data = json.loads((demo_built.report_dir / "readiness.json").read_text())
    md = (demo_built.report_dir / "readiness.md").read_text()
    for std in data["standards"]:
        section = md.split(f"### {std['id']} ", 1)[1].split("\n### ", 1)[0]
        met = sum(1 for r in std["requirements"] if r["met"])
        assert section.count("- ☑ met: ") == met, std["id"]
        assert section.count("- ☐ **not met**: ") == len(std["requirements"]) - met, std["id"]
        if std["state"] == "ready":
            assert "not met" not in section, std["id"]
    sp6 = md.split("### SP6 ", 1)[1].split("\n### ", 1)[0]  # stale practice evidence
    assert "Listed, but does not count: `EV-referrals-outside-remit-2025`" in sp6
