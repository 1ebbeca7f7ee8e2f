"""Property-based tests: readers raise only their documented errors; canonical JSON round-trips."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from llcompliance.adapters import canonical, yamlio
from llcompliance.core import documents
from llcompliance.core.documents import Document
from llcompliance.errors import DocumentError

PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text made of YAML's own punctuation finds parser corners that random Unicode rarely reaches.
YAML_ALPHABET = st.sampled_from(
    list("abcSP1 -:,[]{}&*!|>'\"#%@`?\n\t\r\\.0~") + ["---", "...", "\ufeff", "<<"]
)
yamlish = st.lists(YAML_ALPHABET, max_size=120).map("".join)
any_text = st.text(max_size=300) | yamlish
FENCED = st.builds(lambda head, tail: f"---\n{head}\n---\n{tail}", yamlish, st.text(max_size=80))


class MemorySource:
    """A Source holding one file in memory."""

    label = "memory"

    def __init__(self, path: str, data: bytes) -> None:
        self.path, self.data = path, data

    def files(self) -> list[str]:
        return [self.path]

    def read(self, path: str, limit: int) -> bytes:
        return self.data[: limit + 1]

    def size(self, path: str) -> int:
        return len(self.data)

    def kind(self, path: str) -> str:
        return "file" if path == self.path else "missing"

    def link_target(self, path: str) -> str:
        raise OSError("not a link")


def _json_values(value: Any) -> bool:
    """True when `value` is made only of JSON types (what schemas and canonical JSON accept)."""
    if isinstance(value, dict):
        return all(
            isinstance(k, str | int | float | bool | type(None)) and _json_values(v)
            for k, v in value.items()
        )
    if isinstance(value, list):
        return all(_json_values(v) for v in value)
    return isinstance(value, str | int | float | bool | type(None))


@PROPERTY
@given(st.binary(max_size=400))
@example(b"\xff\xfe---\n")
@example(b"---\r\nid: a\r---\r")
@example(b"\xef\xbb\xbf\xef\xbb\xbf")
def test_decode_returns_text_or_document_error(raw: bytes) -> None:
    try:
        text = documents.decode(raw)
    except DocumentError as exc:
        assert exc.rule == "encoding" and exc.line >= 0  # 400 bytes is never too large
        return
    assert "\r" not in text  # one LF line end, whatever the file used


@PROPERTY
@given(any_text | FENCED)
@example("---")
@example("\ufeff---\r\nid: a\r\n...\r\n")
def test_split_front_matter_never_raises_anything_else(text: str) -> None:
    try:
        front = yamlio.split_front_matter(text)
    except DocumentError as exc:
        assert exc.rule == "front-matter" and exc.line == 1
        return
    if front is not None:
        assert front.yaml_first_line == 2 and front.body_first_line >= 3
        assert front.yaml_text in text and front.body in text


@PROPERTY
@given(any_text | FENCED)
@example("x: " + "[" * 70 + "]" * 70)
@example("x: !!set {a}\ny: !!binary aGk=\n")
@example("a: &a [*a]\n")
@example("x: " + "9" * 5000)
@example("a: \ud800")
@example("? [a]\n: b\n")
def test_yaml_load_gives_json_values_or_document_error(text: str) -> None:
    try:
        loaded = yamlio.load(text, path="p.yaml", first_line=2)
    except DocumentError as exc:
        assert exc.path == "p.yaml" and exc.line >= 2 and str(exc)
        return
    assert _json_values(loaded.data)
    json.dumps(loaded.data)
    if isinstance(loaded.data, dict):
        for key in loaded.data:
            assert loaded.line_of((str(key),)) >= 2


@pytest.mark.parametrize(
    "path",
    ["policies/p.md", "evidence/e.yaml", "evidence/e.md", "standards/SP1.md", "assessments/a.yaml"],
)
@PROPERTY
@given(
    data=st.binary(max_size=300)
    | (any_text | FENCED).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
def test_read_document_never_raises(path: str, data: bytes) -> None:
    doc = documents.read_document(MemorySource(path, data), path)
    assert isinstance(doc, Document) and doc.path == path
    for finding in doc.findings:
        assert finding.path == path and finding.line >= 1 and finding.rule and finding.message
    if doc.data is not None:
        assert _json_values(doc.data)
    else:
        assert not doc.valid  # no data always comes with an error saying why


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5)
    ),
    max_leaves=30,
)


def _reversed(value: Any) -> Any:
    """The same JSON value with every object's keys inserted in the opposite order."""
    if isinstance(value, dict):
        return {k: _reversed(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reversed(v) for v in value]
    return value


def _keys_sorted(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    assert keys == sorted(keys)
    return dict(pairs)


@PROPERTY
@given(JSON)
def test_canonical_json_round_trips_and_is_deterministic(value: Any) -> None:
    out = canonical.dumps(value)
    assert json.loads(out) == value
    assert out == canonical.dumps(_reversed(value)) == canonical.dumps(json.loads(out))
    assert out.endswith(b"\n") and not out.endswith(b"\n\n") and b"\r" not in out
    out.decode("utf-8")  # strict UTF-8
    json.loads(out, object_pairs_hook=_keys_sorted)
    assert canonical.digest(value) == "sha256:" + canonical.sha256_hex(out)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), {1, 2}, b"x", object(), "\ud800"])
def test_canonical_json_refuses_non_json_with_documented_errors(value: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        canonical.dumps({"x": value})
