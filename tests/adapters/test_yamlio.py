"""The YAML reader: safe, bounded, dates as strings, lines kept, same values as the writer."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from llcompliance.adapters import yamlio
from llcompliance.errors import DocumentError


def test_dates_stay_strings() -> None:
    assert yamlio.load("review_due: 2027-01-31\n").data == {"review_due": "2027-01-31"}


def test_line_of_nested_value() -> None:
    loaded = yamlio.load("id: x\nstandards:\n  - id: SP1\n  - id: SP2\n", first_line=2)
    assert loaded.line_of(("standards", 1, "id")) == 5
    assert loaded.line_of(("missing",)) == 2


def test_duplicate_key_names_the_line() -> None:
    with pytest.raises(DocumentError) as info:
        yamlio.load("id: a\ntitle: t\nid: b\n", path="p.yaml")
    assert info.value.rule == "duplicate-key"
    assert info.value.line == 3


def test_alias_bomb_is_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 9):
        prev = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        bomb += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    with pytest.raises(DocumentError) as info:
        yamlio.load(bomb)
    assert info.value.rule == "yaml-alias"


def test_python_tags_are_refused_with_a_hint() -> None:
    with pytest.raises(DocumentError) as info:
        yamlio.load("x: !!python/object/apply:os.system ['true']\n")
    assert "not allowed" in str(info.value)


@pytest.mark.parametrize("depth", [200, 10_000, 100_000])
@pytest.mark.parametrize("style", ["flow", "flow-open"])
def test_deep_nesting_is_too_deep_whichever_parser_gives_up(depth: int, style: str) -> None:
    """libyaml 0.2.5+ stops its scanner on deep nesting itself; the finding is still `too-deep`."""
    text = "x: " + "[" * depth + ("]" * depth if style == "flow" else "") + "\n"
    with pytest.raises(DocumentError) as info:
        yamlio.load(text)
    assert info.value.rule == "too-deep"
    assert info.value.line == 1


def test_parsers_own_nesting_limit_maps_to_too_deep(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever depth a future libyaml stops at, its nesting error becomes our finding."""
    import yaml

    class Stops(yamlio._classes()[0]):  # type: ignore[misc,name-defined]
        def get_event(self) -> object:
            mark = yaml.Mark("", 0, 2, 5, None, None)
            raise yaml.scanner.ScannerError(
                "while scanning", mark, "exceeded maximum nesting depth", mark
            )

    monkeypatch.setattr(yamlio, "_classes", lambda: (Stops, None))
    with pytest.raises(DocumentError) as info:
        yamlio.load("x: " + "[" * 100 + "]" * 100 + "\n")
    assert (info.value.rule, info.value.line) == ("too-deep", 3)


def test_syntax_error_line() -> None:
    with pytest.raises(DocumentError) as info:
        yamlio.load("id: a\ntitle: [unclosed\nowner: x\n", first_line=2)
    assert info.value.line >= 3


def test_front_matter_split_and_unclosed() -> None:
    fm = yamlio.split_front_matter("---\nid: a\n---\n# Body\n")
    assert fm is not None and fm.yaml_text == "id: a" and fm.body_first_line == 4
    assert yamlio.split_front_matter("# no front matter\n") is None
    with pytest.raises(DocumentError):
        yamlio.split_front_matter("---\nid: a\n# never closed\n")


@pytest.mark.parametrize(
    "word", ["yes", "no", "on", "off", "true", "y", "n", "010", "1e3", "null", "~"]
)
def test_writer_and_reader_agree_on_tricky_scalars(word: str) -> None:
    """Whatever `dump` writes, `load` reads back to the same value (YAML 1.1 vs 1.2 booleans)."""
    data = {"title": word, "list": [word]}
    assert yamlio.load(yamlio.dump(data)).data == data


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=8), children, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_round_trip_property(value: object) -> None:
    assert yamlio.load(yamlio.dump(value)).data == value


@given(st.text(max_size=300))
def test_loader_never_raises_anything_but_document_error(text: str) -> None:
    with contextlib.suppress(DocumentError):
        yamlio.load(text)


@given(st.text(max_size=300))
def test_front_matter_splitter_never_crashes(text: str) -> None:
    try:
        result = yamlio.split_front_matter(text)
    except DocumentError:
        return
    if result is not None:
        assert text.lstrip("\ufeff").startswith("---")
