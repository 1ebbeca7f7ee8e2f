"""Tests for the person-name detector: contexts, exclusions, masking, the forename list, speed."""

from __future__ import annotations

import time

import pytest

from llcompliance.guard import names
from llcompliance.guard.detectors import ScanRules, clear_caches, scan_text


def masked(text: str) -> list[str]:
    return [m.masked for m in scan_text(text).matches if m.rule == "person-name"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mrs Okafor was seen today.", ["Mrs O*****"]),
        ("Mr. Hughes rang.", ["Mr. H*****"]),
        ("her son Tyler (6) was there", ["T**** (6)"]),
        ("the perpetrator, Darren Hughes, was arrested", ["D***** H*****"]),
        ("a client named Jo", ["J*"]),
        ("Referral for Amira Begum", ["A**** B****"]),
        ("Victim: Leanne Price", ["L***** P****"]),
        ("Children: Tyler (6) and Mia (4)", ["T**** (6)", "M** (4)"]),
        ("Harry, aged 7, was at home", ["H****, aged 7"]),
        ("Aunt Rose looks after them", ["R***"]),
        ("The suspect is Carl Webster.", ["C*** W******"]),
    ],
)
def test_names_in_context_are_found_and_masked(text: str, expected: list[str]) -> None:
    result = scan_text(text)
    assert masked(text) == expected
    assert all(m.severity == "error" for m in result.matches)


@pytest.mark.parametrize(
    "text",
    [
        "Approved by: Board of trustees",
        "Owner: Sarah Khan, Service Manager",  # staff on a role line: not a finding (DESIGN §7)
        "Our Chair, Margaret Eze, signed the report.",
        "Supervision is provided by Dawn Phillips, Clinical Supervisor.",
        "Clare's Law and Sarah's Law are disclosure schemes.",
        "Helen’s Law applies.",
        "The outreach team covers St Helens.",
        "Funded by the Henry Smith Charity.",
        "Victim Support and Children's Services attend.",
        "In May the board met. Hope is a theme. Grace periods apply.",
        "Will the client agree? Mark the form.",
        "Referral for Early Help needs consent.",
        "Mr Justice Hayden's judgment",
        "Referrals by area: Barnsley (12), Rotherham (8)",
    ],
)
def test_staff_laws_places_organisations_and_words_are_not_names(text: str) -> None:
    assert masked(text) == []


def test_the_rule_can_be_disabled_and_allowed() -> None:
    text = "Mrs Okafor rang."
    assert scan_text(text, ScanRules(disabled_rules=frozenset({"person-name"}))).matches == ()
    result = scan_text(
        text + "  <!-- llcompliance: allow person-name — a fictional training case -->"
    )
    assert result.matches == ()
    assert [m.rule for m in result.allowed] == ["person-name"]


def test_forename_list_is_packaged_with_its_licence() -> None:
    listed = names.forenames()
    assert len(listed) > 2000
    assert {"Tyler", "Leanne", "Darren", "Mohammed"} <= listed
    readme = (names._DATA.parent / "README.md").read_text(encoding="utf-8")
    assert "MIT" in readme and "Faker" in readme and "40.63.0" in readme


def test_mask_name_keeps_first_letters_and_age() -> None:
    assert names.mask_name("Tyler", " (6)") == "T**** (6)"
    assert names.mask_name("Lily-Mae O'Brien") == "L***-M** O'B****"


def test_prose_without_names_costs_little() -> None:
    """A long policy with trigger words but no capitalised word after them is fast to scan."""
    text = "the client and her son were supported by the victim's idva. " * 20_000
    clear_caches()
    start = time.perf_counter()
    assert masked(text) == []
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize(
    "text",
    ["Mrs " * 20_000, "her son " * 20_000, "Tyler (" * 20_000, "A" * 50_000 + " (6)"],
)
def test_pathological_name_inputs_finish_quickly(text: str) -> None:
    clear_caches()
    start = time.perf_counter()
    scan_text(text)
    assert time.perf_counter() - start < 5.0
