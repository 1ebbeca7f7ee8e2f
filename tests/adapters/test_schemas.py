"""Every example under tests/data/<kind>/{valid,invalid}/ runs through its schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import DATA
from jsonschema import Draft202012Validator

from llcompliance.adapters import resources, schemas, yamlio

KINDS = ["policy", "evidence", "self-assessment", "assessment", "config", "fleet", "accreditation"]


def _examples(validity: str) -> list[tuple[str, Path]]:
    return [
        (kind, p)
        for kind in KINDS
        for p in sorted((DATA / kind / validity).glob("*"))
        if p.is_file()
    ]


def _data(path: Path) -> tuple[object, str]:
    text = path.read_text(encoding="utf-8")
    expect = re.search(r"# expect: (.+)", text)
    if path.suffix == ".md":
        front = yamlio.split_front_matter(text)
        assert front is not None
        text = front.yaml_text
    return yamlio.load(text).data, expect.group(1).strip() if expect else ""


@pytest.mark.parametrize(("kind", "path"), _examples("valid"), ids=lambda v: getattr(v, "name", v))
def test_valid_examples(kind: str, path: Path) -> None:
    data, _ = _data(path)
    assert list(schemas.problems(kind, data)) == []


@pytest.mark.parametrize(
    ("kind", "path"), _examples("invalid"), ids=lambda v: getattr(v, "name", v)
)
def test_invalid_examples_say_what_is_wrong(kind: str, path: Path) -> None:
    data, expect = _data(path)
    messages = [message for _, message in schemas.problems(kind, data)]
    assert messages, f"{path} should be invalid"
    assert expect, f"{path} needs an '# expect:' line"
    assert any(expect in m for m in messages), messages


@pytest.mark.parametrize(
    "path", sorted(resources.schema_dir().glob("*.schema.json")), ids=lambda p: p.name
)
def test_schemas_are_valid_draft_2020_12_with_stable_ids(path: Path) -> None:
    schema = json.loads(path.read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$id"].startswith("urn:llcompliance:schema:v1:")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_only_contract_keys_are_required() -> None:
    """DESIGN §4: only contract keys may be required, so a minimal document is valid."""
    assert resources.schema("policy")["required"] == [
        "id",
        "title",
        "owner",
        "standards",
        "review_due",
    ]
    assert resources.schema("evidence")["required"] == [
        "id",
        "title",
        "owner",
        "standards",
        "review_due",
        "location",
    ]
    assert resources.schema("self-assessment")["required"] == ["standard", "status"]
