"""Tests for the personal-data detectors: labelled corpus, rules, allowlists, markers, masking."""

from __future__ import annotations

import re
import time
from collections import Counter
from typing import Any

import pytest
import yaml
from conftest import DATA
from hypothesis import given, settings
from hypothesis import strategies as st

from llcompliance.errors import ConfigError
from llcompliance.guard.detectors import (
    ALLOW_MARKER,
    RULES,
    STRUCTURED_RULES,
    Allowlist,
    Match,
    ScanResult,
    ScanRules,
    clear_caches,
    mask,
    nhs_checksum_ok,
    normalise_phone,
    normalise_postcode,
    scan_text,
)

CORPUS = DATA / "personal-data"
DETECTOR_RULES = [rule for rule in RULES if rule != "allow-marker"]
THRESHOLD = 0.95
# (precision, recall) each rule must reach over the labelled corpus: structured identifiers have a
# fixed shape; names are found from context only (no roster), so their bar is lower.
TARGETS: dict[str, tuple[float, float]] = {
    rule: (0.95, 0.98 if rule in STRUCTURED_RULES else THRESHOLD) for rule in DETECTOR_RULES
} | {"person-name": (0.90, 0.85)}
BLIND_TARGET = 0.75


def load(name: str) -> Any:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8"))


def corpus_rules() -> ScanRules:
    config = load("config.yaml")
    allow = config["allow"]
    return ScanRules(
        allowlist=Allowlist(
            phones=frozenset(allow["phones"]),
            emails=frozenset(allow["emails"]),
            email_domains=frozenset(allow["email_domains"]),
            postcodes=frozenset(allow["postcodes"]),
        ),
        case_reference_patterns=tuple(config["case_reference_patterns"]),
    )


NO_RULES = ScanRules()


def rules_found(text: str, rules: ScanRules = NO_RULES) -> set[str]:
    return {m.rule for m in scan_text(text, rules).matches}


# --------------------------------------------------------------------------------------------------
# The labelled corpus


def score(entries: list[dict[str, Any]], rules: ScanRules) -> tuple[Counter[str], ...]:
    """True positives, false positives and misses per rule, and a line per error."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    errors: list[str] = []
    for entry in entries:
        expected = set(entry.get("rules") or [])
        found = rules_found(entry["text"], rules)
        for rule in found & expected:
            tp[rule] += 1
        for rule in found - expected:
            fp[rule] += 1
            errors.append(f"false positive {rule}: {entry['text']!r}")
        for rule in expected - found:
            fn[rule] += 1
            errors.append(f"missed {rule}: {entry['text']!r}")
    return tp, fp, fn, Counter(errors)


def ratios(rule: str, tp: Counter[str], fp: Counter[str], fn: Counter[str]) -> tuple[float, float]:
    flagged, labelled = tp[rule] + fp[rule], tp[rule] + fn[rule]
    return (tp[rule] / flagged if flagged else 1.0, tp[rule] / labelled if labelled else 1.0)


def test_corpus_precision_and_recall() -> None:
    """Every detector reaches its precision and recall target over the labelled corpus."""
    rules = corpus_rules()
    positives, negatives = load("positives.yaml"), load("negatives.yaml")
    tp, fp, fn, errors = score(positives + negatives, rules)
    header = ("rule", "positives", "TP", "FP", "FN", "precision", "recall")
    print("\n{:18} {:>9} {:>4} {:>3} {:>3} {:>9} {:>7}".format(*header))
    failing = []
    for rule in DETECTOR_RULES:
        labelled = tp[rule] + fn[rule]
        precision, recall = ratios(rule, tp, fp, fn)
        print(
            f"{rule:18} {labelled:9} {tp[rule]:4} {fp[rule]:3} {fn[rule]:3} "
            f"{precision:9.3f} {recall:7.3f}"
        )
        assert labelled >= 20, f"{rule}: the corpus needs more positives"
        if precision < TARGETS[rule][0] or recall < TARGETS[rule][1]:
            failing.append(rule)
    print(f"{len(positives)} positive and {len(negatives)} negative entries")
    assert not failing, "below target: " + ", ".join(failing) + "\n" + "\n".join(errors)


def test_blind_names_set() -> None:
    """person-name on the blind set (written before the detector ran on it): figures printed, and a
    lower bar than the tuned corpus, since the detector was never adjusted to these texts."""
    entries = load("blind-names.yaml")
    assert sum(1 for e in entries if e["rules"]) >= 30
    assert sum(1 for e in entries if not e["rules"]) >= 30
    tp, fp, fn, errors = score(entries, NO_RULES)
    precision, recall = ratios("person-name", tp, fp, fn)
    print(
        f"\nblind person-name: TP {tp['person-name']} FP {fp['person-name']} FN {fn['person-name']}"
    )
    print(f"precision {precision:.3f} recall {recall:.3f}")
    print("\n".join(errors))
    assert set(fp) <= {"person-name"}, errors
    assert precision >= BLIND_TARGET and recall >= BLIND_TARGET, errors


def test_corpus_markers_allow_what_they_name() -> None:
    rules = corpus_rules()
    for entry in load("negatives.yaml"):
        if "allowed" in entry:
            result = scan_text(entry["text"], rules)
            assert not result.matches
            assert sorted(m.rule for m in result.allowed) == sorted(entry["allowed"])


def test_corpus_positives_have_at_least_40_per_main_detector() -> None:
    counts = Counter(rule for entry in load("positives.yaml") for rule in entry["rules"])
    for rule in DETECTOR_RULES:
        assert counts[rule] >= {"postcode-partial": 20, "person-name": 60}.get(rule, 40), rule


def test_corpus_has_60_name_negatives() -> None:
    text = (CORPUS / "negatives.yaml").read_text(encoding="utf-8")
    section = text.split("# person-name:", 1)[1].split("\n# ", 1)[0]
    assert section.count("- text:") >= 60


# --------------------------------------------------------------------------------------------------
# Rules table and result shape


def test_rule_ids_and_severities() -> None:
    assert set(DETECTOR_RULES) == {
        "postcode",
        "postcode-partial",
        "phone",
        "email",
        "ni-number",
        "nhs-number",
        "date-of-birth",
        "case-reference",
        "person-name",
    }
    assert all(RULES.values())
    result = scan_text("She lives near LS6 2 now.\nPostcode LS6 2AB")
    assert [(m.rule, m.severity) for m in result.matches] == [
        ("postcode-partial", "warning"),
        ("postcode", "error"),
    ]


def test_line_and_column_are_one_based() -> None:
    text = "first line\n  second: 01632 123456\nthird jane.doe@fictional-mail.co.uk"
    result = scan_text(text)
    assert [(m.rule, m.line, m.column) for m in result.matches] == [
        ("phone", 2, 11),
        ("email", 3, 7),
    ]


def test_clean_text_gives_an_empty_result() -> None:
    assert scan_text("The Domestic Abuse Act 2021 applies.") == ScanResult((), ())
    assert scan_text("") == ScanResult((), ())


def test_messages_say_what_to_do() -> None:
    (match,) = scan_text("Address: 3 Kiln Lane, M1 1AE").matches
    assert "scan.allow.postcodes" in match.message
    assert "remove it" in match.message


def test_disabled_rules_are_not_run() -> None:
    text = "DOB 12/03/2019, tel 01632 123456"
    assert rules_found(text, ScanRules(disabled_rules=frozenset({"phone"}))) == {"date-of-birth"}


# --------------------------------------------------------------------------------------------------
# Postcodes


@pytest.mark.parametrize(
    "postcode", ["SW1A 1AA", "EC1V 9HQ", "M1 1AE", "B33 8TH", "DN55 1PT", "GIR 0AA"]
)
def test_reference_postcodes_match(postcode: str) -> None:
    assert rules_found(f"Address: {postcode}.") == {"postcode"}
    assert rules_found(f"Address: {postcode.replace(' ', '')}.") == {"postcode"}


@pytest.mark.parametrize(
    "text",
    [
        "QQ1 1QQ",  # Q never first
        "AB12 3CD",  # C never in the inward code
        "VX1 2AA",  # V never first
        "AI1 1AA",  # I never second
        "A9A 9AA",  # not a postcode area
        "Form a1 2nd copy",  # an ordinal in lower case
        "sw1a1aa",  # unspaced only in capitals
        "REF-SW1A1AA",  # glued to another token
        "SP1 GV7 MA4 HR3",  # standard ids
    ],
)
def test_postcode_lookalikes_do_not_match(text: str) -> None:
    assert "postcode" not in rules_found(text)


def test_postcode_allowlist_is_normalised() -> None:
    rules = ScanRules(allowlist=Allowlist(postcodes=frozenset({"ec1a1bb"})))
    assert rules_found("Our office, EC1A 1BB", rules) == set()
    assert rules_found("Our office, ec1a 1bb", rules) == set()
    assert rules_found("Her flat, EC1A 1BD", rules) == {"postcode"}
    assert normalise_postcode(" sw1a1aa ") == "SW1A 1AA"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She has moved to the LS6 2 area.", True),
        ("Postcode: LS6", True),
        ("lives near B33 8 with her aunt", True),
        ("Standards SP1 2 and 3 are met.", False),  # no address words
        ("She lives nearby; SP1 2 is our standard.", False),  # another clause
        ("Address: B33 8TH", False),  # a full postcode, reported as such
        ("lives in the area covered by HR1", False),  # outward code alone needs "postcode"
    ],
)
def test_partial_postcodes_need_address_words(text: str, expected: bool) -> None:
    assert ("postcode-partial" in rules_found(text)) is expected


# --------------------------------------------------------------------------------------------------
# Phones

DRAMA = [
    "07700 900000",
    "07700 900999",
    "01632 960000",
    "01632 960999",
    "020 7946 0000",
    "020 7946 0999",
    "0113 496 0000",
    "0114 496 0999",
    "0115 496 0500",
    "0116 496 0001",
    "0117 496 0002",
    "0118 496 0003",
    "0121 496 0004",
    "0131 496 0005",
    "0141 496 0006",
    "0151 496 0007",
    "0161 496 0008",
    "028 9649 6000",
    "028 9649 6999",
    "029 2018 0000",
    "0191 498 0999",
    "08081 570000",
    "0909 879 0999",
    "03069 990000",
]


@pytest.mark.parametrize("number", DRAMA)
def test_ofcom_drama_numbers_are_allowed(number: str) -> None:
    assert rules_found(f"Call {number} in the role play") == set()
    international = "+44 " + number[1:]
    assert rules_found(f"Call {international} in the role play") == set()


def test_numbers_next_to_drama_ranges_are_found() -> None:
    assert rules_found("Call 07700 901000") == {"phone"}
    assert rules_found("Call 01632 961000") == {"phone"}
    assert rules_found("Call 020 7946 1000") == {"phone"}


@pytest.mark.parametrize(
    "number",
    [
        "01632 123456",
        "01632 123 456",
        "(01632) 123456",
        "01632-123-456",
        "01632.123.456",
        "01632123456",
        "+44 1632 123456",
        "+44 (0)1632 123456",
        "+44(0)1632 123456",
        "0044 1632 123456",
        "+441632123456",
        "07700 912345",
        "+44 7700 912345",
        "07700-912-345",
        "0300 555 0142",
        "0800 028 441",
        "0808 164 2207",
        "0845 712 0034",
        "0870 166 2291",
        "0909 871 2345",
        "020 3123 4567",
        "0161 234 5678",
    ],
)
def test_phone_formats_are_found(number: str) -> None:
    assert rules_found(f"Her number: {number}.") == {"phone"}


@pytest.mark.parametrize(
    "text",
    [
        "National Domestic Abuse Helpline 0808 2000 247",
        "Helpline: 08082000247",
        "Total £12,345.67 and £1,250,000",
        "87.5% of clients; 12% rise",
        "Release v2.10.3",
        "Reviewed 01.02.2020 and 2019-03-12",
        "Registered charity no. 1234567",
        "Company number 06543210",
        "ISBN 0-19-852663-6 and ISBN 978-0-19-852663-6",
        "Funding 2019-2021 and 2021–2024",
        "Hours 0900-1700",
        "1,234,567 impressions",
        "Sort code 12-34-56 account 12345678",
        "Invoice no. 07700912345",
        "Call 999, 101 or 111",
        "CHI number 080 857 8049",
        "+33 1 23 45 67 89",  # another country
    ],
)
def test_phone_lookalikes_do_not_match(text: str) -> None:
    assert "phone" not in rules_found(text)


def test_phone_allowlist_accepts_any_written_form() -> None:
    rules = ScanRules(allowlist=Allowlist(phones=frozenset({"+44 (0)1632 555010", "01632555011"})))
    assert rules_found("Office 01632 555 010, fax 01632 555011", rules) == set()
    assert rules_found("Office +44 1632 555010", rules) == set()
    assert rules_found("Her mobile 01632 555 012", rules) == {"phone"}
    assert normalise_phone("+44 (0)20 7946 0958") == "02079460958"
    assert normalise_phone("0044 7700 900123") == "07700900123"


def test_two_numbers_in_one_run_are_two_findings() -> None:
    result = scan_text("Numbers: 01632 123456 07700 912345")
    assert [m.column for m in result.matches] == [10, 23]


# --------------------------------------------------------------------------------------------------
# E-mail


@pytest.mark.parametrize(
    "text",
    [
        "jane.doe@example.org",
        "x@example.com and y@mail.example.net",
        "tester@service.test, nobody@nowhere.invalid, a@b.example, me@host.localhost",
        "info@brightwater-da.org.uk",
        "team@referrals.brightwater-da.org.uk",
        "Published: Refuge.Inbox@charitymail.org.uk",
        "git@github.com:brightwater/evidence.git",
        "![logo](logo@2x.png)",
        "@BrightwaterDA",
    ],
)
def test_allowed_and_non_addresses(text: str) -> None:
    rules = ScanRules(
        allowlist=Allowlist(
            emails=frozenset({"refuge.inbox@charitymail.org.uk"}),
            email_domains=frozenset({"brightwater-da.org.uk"}),
        )
    )
    assert "email" not in rules_found(text, rules)


def test_other_addresses_are_found() -> None:
    text = "jane.doe@fictional-mail.co.uk, J.SMITH@MADEUP-ISP.NET, a+b@c.io"
    assert len(scan_text(text).matches) == 3


# --------------------------------------------------------------------------------------------------
# National Insurance numbers


@pytest.mark.parametrize(
    "value", ["AB 12 34 56 C", "AB123456C", "AB 123456 C", "ab 12 34 56 d", "OA 12 34 56 A"]
)
def test_ni_numbers_are_found(value: str) -> None:
    assert rules_found(f"NI: {value}") == {"ni-number"}


def test_ni_prefix_rules() -> None:
    """HMRC never issues D, F, I, Q, U, V in either letter, O second, or BG GB KN NK NT TN ZZ."""
    letters = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    for first in letters:
        for second in letters:
            prefix = first + second
            valid = (
                first not in "DFIQUV"
                and second not in "DFIQUVO"
                and prefix not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
            )
            found = "ni-number" in rules_found(f"{prefix} 12 34 56 A")
            assert found is valid, prefix


@pytest.mark.parametrize(
    "text", ["QQ 12 34 56 A", "QQ123456A", "AB 12 34 56 E", "AB 12 34 56", "XAB123456C"]
)
def test_ni_lookalikes_do_not_match(text: str) -> None:
    assert "ni-number" not in rules_found(text)


def test_ni_without_suffix_needs_context() -> None:
    assert rules_found("NI number JK123456") == {"ni-number"}
    assert rules_found("Form JK123456") == set()


# --------------------------------------------------------------------------------------------------
# NHS / CHI / H&C numbers


def check_digit(nine: str) -> int | None:
    """The modulus-11 check digit for nine digits, or None when it would be 10 (never issued)."""
    total = sum(int(d) * w for d, w in zip(nine, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else check


def with_check(nine: str) -> str:
    check = check_digit(nine)
    assert check is not None
    return nine + str(check)


def valid_number(head: str) -> str:
    """A checksum-valid ten-digit number starting with head."""
    for n in range(123456, 999999, 7):
        nine = head + f"{n:06d}"[: 9 - len(head)]
        if check_digit(nine) is not None and len(set(nine)) > 1:
            return with_check(nine)
    raise AssertionError(head)


def test_checksum() -> None:
    assert nhs_checksum_ok("9434765919")
    assert not nhs_checksum_ok("9434765918")
    assert not nhs_checksum_ok("123456789")
    assert with_check("450557710") == "4505577104"


@pytest.mark.parametrize("head", ["450", "499", "600", "799", "320", "399"])
def test_allocated_ranges_need_no_context(head: str) -> None:
    number = valid_number(head)
    assert rules_found(f"Number {number[:3]} {number[3:6]} {number[6:]}") == {"nhs-number"}


def test_chi_range_needs_a_real_date() -> None:
    valid = with_check("120385123")  # 12 March 1985
    invalid = with_check("310285121")  # 31 February
    assert rules_found(f"Number {valid}") == {"nhs-number"}
    assert rules_found(f"Number {invalid}") == set()
    assert rules_found(f"CHI {invalid}") == {"nhs-number"}  # context is enough
    assert rules_found(f"CHI {valid[:6]} {valid[6:]}") == {"nhs-number"}


@pytest.mark.parametrize("head", ["500", "850", "900", "943", "001"])
def test_unallocated_ranges_need_context(head: str) -> None:
    number = valid_number(head)
    assert rules_found(f"Number {number}") == set()
    assert rules_found(f"NHS number {number}") == {"nhs-number"}
    assert rules_found(f"Patient {number}") == {"nhs-number"}
    assert rules_found(f"H&C {number}") == {"nhs-number"}


def test_synthetic_999_range_and_repdigits_are_never_flagged() -> None:
    synthetic = [valid_number("999" + str(n)) for n in range(10)]
    for number in synthetic:
        spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
        assert rules_found(f"NHS number: {spaced} (patient)") == set()
    for digit in "0123456789":
        assert rules_found(f"NHS number {digit * 10}") == set()


def test_isbn_10_is_not_an_nhs_number() -> None:
    assert rules_found("ISBN 0140449132") == set()


# --------------------------------------------------------------------------------------------------
# Dates of birth


@pytest.mark.parametrize(
    "text",
    [
        "DOB: 12/03/2019",
        "d.o.b 1.3.19",
        "Date of birth 2019-03-12",
        "born 12 March 2019",
        "Born on the 12th of March 2019",
        "Birthday: March 12, 2019",
        "Age: 4 (12-Mar-2019)",
        "aged 3, 3 Sept 2021",
        "12/03/2019 (DOB)",
        "DOB:02-04-2010",
        "Date of birth:\n14/02/2016",
    ],
)
def test_dates_of_birth_are_found_whatever_the_age(text: str) -> None:
    assert rules_found(text) == {"date-of-birth"}


@pytest.mark.parametrize(
    "text",
    [
        "Review date 12/03/2025",
        "Domestic Abuse Act 2021",
        "Children Act 1989",
        "Meeting on 12 March 2024",
        "2024-05-21 board meeting",
        "Staff aged 18 or over must finish by 31/03/2025",
        "Young people aged 16–17 from 1 April 2024",
        "The service was born out of a campaign; registered 4 June 1999",
        "DOB 31/02/2019",  # no such date
        "DOB: DD/MM/YYYY",
        "born in 1990",
    ],
)
def test_other_dates_are_not_dates_of_birth(text: str) -> None:
    assert "date-of-birth" not in rules_found(text)


# --------------------------------------------------------------------------------------------------
# Case references


@pytest.mark.parametrize(
    "text",
    [
        "Marac ref: MR-2291",
        "crime number 43/12345/24",
        "Case no. 88213",
        "case reference number 556677",
        "URN 12AB3456789",
        "CRN: X123456",
        "Police ref 4512/22",
    ],
)
def test_generic_case_references_are_found(text: str) -> None:
    assert rules_found(text) == {"case-reference"}


@pytest.mark.parametrize(
    "text",
    [
        "Ref: SP1",
        "section 3",
        "reference: Case system > Reports",
        "Reference 2021/22 annual report",
        "Ref: v2.10.3",
        "Case study 3",
        "Registered charity reference 1234567",
        "Case no.: XXXX",
        "Grant ref GR-2024-0117",
        "Invoice ref INV-88213",
        "Funder reference FR-2023-0456",
        "Purchase order ref PO-7781234",
        "Ref 3f786850e387550fdab836ed7e6dc881de23001b",
        "Reference: sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "Commit ref a94a8fe",
        "Ref: v2.3.1",
    ],
)
def test_case_reference_lookalikes_do_not_match(text: str) -> None:
    assert rules_found(text) == set()


def test_configured_case_reference_patterns() -> None:
    rules = ScanRules(case_reference_patterns=(r"\bBW-\d{5}\b",))
    result = scan_text("Linked to BW-10234 and Our ref: BW-99812", rules)
    assert [m.masked for m in result.matches] == ["B*-****4", "B*-****2"]


def test_invalid_configured_pattern_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="case_reference_patterns"):
        scan_text("text", ScanRules(case_reference_patterns=("BW-[0-9",)))


# --------------------------------------------------------------------------------------------------
# Inline allow markers


@pytest.mark.parametrize("dash", ["—", "–", "-", "--"])
def test_reasoned_marker_allows_the_named_rule(dash: str) -> None:
    text = f"Switchboard 01632 777123  # llcompliance: allow phone {dash} partner's published line"
    result = scan_text(text)
    assert result.matches == ()
    assert [m.rule for m in result.allowed] == ["phone"]


def test_marker_without_reason_allows_nothing_and_is_reported() -> None:
    result = scan_text("Tel 01632 777123 <!-- llcompliance: allow phone -->")
    assert [(m.rule, m.severity) for m in result.matches] == [
        ("phone", "error"),
        ("allow-marker", "error"),
    ]
    assert "reason" in result.matches[1].message
    assert result.allowed == ()


def test_marker_naming_an_unknown_rule_is_reported_without_echoing_it() -> None:
    result = scan_text("Tel 01632 777123 # llcompliance: allow jane-doe — because")
    assert [m.rule for m in result.matches] == ["phone", "allow-marker"]
    assert all("jane" not in m.message for m in result.matches)


def test_marker_allows_only_the_rules_it_names() -> None:
    text = (
        "01632 777123, M1 1AE  # llcompliance: allow phone, postcode-partial — partner office line"
    )
    result = scan_text(text)
    assert [m.rule for m in result.matches] == ["postcode"]
    assert [m.rule for m in result.allowed] == ["phone"]


def test_marker_on_its_own_line_applies_to_the_next_line() -> None:
    text = "<!-- llcompliance: allow email, phone — the partner agency's published contacts -->\n"
    text += "duty@partner-agency.org.uk 01632 777123\nsecond@partner-agency.org.uk"
    result = scan_text(text)
    assert [(m.rule, m.line) for m in result.allowed] == [("email", 2), ("phone", 2)]
    assert [(m.rule, m.line) for m in result.matches] == [("email", 3)]


def test_allow_marker_regex() -> None:
    m = ALLOW_MARKER.search("# llcompliance: allow phone,email -- reason here")
    assert m is not None and m.group("rules") == "phone,email"


# --------------------------------------------------------------------------------------------------
# Masking


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("AB 12 34 56 C", "AB ** ** ** C"),
        ("07700 912345", "07*** *****5"),
        ("jane.doe@fictional-mail.co.uk", "j***@f***.co.uk"),
        ("x@y.io", "***@***.io"),
        ("12/03/2019", "1*/**/***9"),
        ("7", "*"),
    ],
)
def test_mask(value: str, expected: str) -> None:
    assert mask(value) == expected


def test_postcodes_keep_only_their_start() -> None:
    (match,) = scan_text("Address SW1A 1AA").matches
    assert match.masked == "SW** ***"


@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40))
def test_mask_keeps_at_most_a_third(value: str) -> None:
    masked = mask(value)
    if "@" not in value:
        kept = sum(a == b and a.isalnum() for a, b in zip(value, masked, strict=True))
        assert kept <= sum(c.isalnum() for c in value) // 3


# --------------------------------------------------------------------------------------------------
# Properties: never raises, never leaks


def fields(match: Match) -> list[str]:
    return [
        match.rule,
        match.severity,
        str(match.line),
        str(match.column),
        match.masked,
        match.message,
    ]


def assert_not_leaked(result: ScanResult, value: str) -> None:
    compact = re.sub(r"[^0-9A-Za-z]", "", value).upper()
    for match in result.matches + result.allowed:
        for text in fields(match):
            assert value not in text
            assert compact not in re.sub(r"[^0-9A-Za-z]", "", text).upper()


filler = st.text(alphabet="abcdefghij klmnop,.;\n", max_size=30)

RICH_RULES = ScanRules(
    allowlist=Allowlist(
        phones=frozenset({"01632 555 010"}),
        emails=frozenset({"a@b.org.uk"}),
        email_domains=frozenset({"brightwater-da.org.uk"}),
        postcodes=frozenset({"EC1A 1BB"}),
    ),
    case_reference_patterns=(r"\bBW-\d{5}\b",),
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_scan_never_raises(text: str) -> None:
    result = scan_text(text, RICH_RULES)
    assert all(m.rule in RULES for m in result.matches)


@settings(deadline=None)
@given(st.text(alphabet="0123456789 +()-.:/\nDOBNHSnhs@ab", max_size=200))
def test_scan_never_raises_on_number_soup(text: str) -> None:
    scan_text(text, RICH_RULES)


ni_values = st.builds(
    lambda a, b, digits, suffix: a + b + digits + suffix,
    st.sampled_from("ABCEGHJKLMNOPRSTWXYZ"),
    st.sampled_from("ABCEGHJKLMNPRSTWXY"),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.sampled_from("ABCD"),
).filter(lambda v: v[:2] not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


@given(filler, ni_values, st.sampled_from(["pairs", "compact", "block"]), filler)
def test_generated_ni_numbers_are_found_and_masked(
    before: str, ni: str, style: str, after: str
) -> None:
    written = {
        "pairs": f"{ni[:2]} {ni[2:4]} {ni[4:6]} {ni[6:8]} {ni[8]}",
        "compact": ni,
        "block": f"{ni[:2]} {ni[2:8]} {ni[8]}",
    }[style]
    result = scan_text(f"{before} {written} {after}")
    assert "ni-number" in {m.rule for m in result.matches}
    assert_not_leaked(result, written)


phone_values = st.one_of(
    st.builds(lambda d: "01632" + d, st.text(alphabet="0123456789", min_size=6, max_size=6)).filter(
        lambda v: not v.startswith("01632960")
    ),
    st.builds(lambda d: "07" + d, st.text(alphabet="0123456789", min_size=9, max_size=9)).filter(
        lambda v: not v.startswith("07700900")
    ),
    st.builds(lambda d: "020" + d, st.text(alphabet="0123456789", min_size=8, max_size=8)).filter(
        lambda v: not v.startswith("02079460")
    ),
)


@given(filler, phone_values, st.sampled_from(["spaced", "compact", "intl", "dashed"]), filler)
def test_generated_phones_are_found_and_masked(
    before: str, phone: str, style: str, after: str
) -> None:
    head = 3 if phone.startswith("02") else 5
    written = {
        "spaced": f"{phone[:head]} {phone[head:]}",
        "compact": phone,
        "intl": f"+44 {phone[1:head]} {phone[head:]}",
        "dashed": f"{phone[:head]}-{phone[head : head + 3]}-{phone[head + 3 :]}",
    }[style]
    result = scan_text(f"{before} {written} {after}")
    assert "phone" in {m.rule for m in result.matches}
    assert_not_leaked(result, written)


nhs_values = (
    st.builds(
        lambda head, rest: head + rest,
        st.sampled_from([str(h) for h in (*range(320, 500), *range(600, 800))]),
        st.text(alphabet="0123456789", min_size=6, max_size=6),
    )
    .filter(lambda nine: check_digit(nine) is not None)
    .map(with_check)
)


@given(filler, nhs_values, st.booleans(), filler)
def test_generated_nhs_numbers_are_found_and_masked(
    before: str, number: str, spaced: bool, after: str
) -> None:
    written = f"{number[:3]} {number[3:6]} {number[6:]}" if spaced else number
    result = scan_text(f"{before} NHS {written} {after}")
    assert "nhs-number" in {m.rule for m in result.matches}
    assert_not_leaked(result, written)


# --------------------------------------------------------------------------------------------------
# Remembered results and hostile input (speed itself is measured in bench/, not here)


def test_remembered_windows_give_the_same_findings_as_a_fresh_scan() -> None:
    """scan_text remembers each window's hits (for --history); a second scan must not differ."""
    negatives = "\n".join(entry["text"] for entry in load("negatives.yaml"))[:3072]
    positives = "\n".join(entry["text"] for entry in load("positives.yaml"))[:3072]
    for document in (negatives, positives):
        clear_caches()
        fresh = scan_text(document)
        assert scan_text(document) == fresh
    assert {m.rule for m in fresh.matches} >= {"postcode", "phone"}


@pytest.mark.parametrize(
    "text",
    [
        "0 " * 20_000,
        "1" * 50_000 + "a",
        "a@" * 20_000,
        "A1 " * 20_000,
        "DOB " + "12/" * 20_000,
        "llcompliance: allow " + "phone," * 5_000,
        "case no. " + "1-" * 20_000,
        # Many findings or context words on one long line must not cost quadratic time.
        "lives near " * 10_000,
        "lives near LS6 2 " * 5_000,
        "01632 123456 " * 10_000,
        "DOB 01/01/2000 " * 5_000,
        "5001234567 " * 10_000,
        "AB123456 " * 10_000,
        "case no. 12345 01632 123456 " * 5_000,
    ],
)
def test_pathological_inputs_finish_quickly(text: str) -> None:
    """A generous bound (they take about 0.1 s) that catches catastrophic backtracking or quadratic
    time; the caches are cleared first so that the scan does the real work."""
    clear_caches()
    start = time.perf_counter()
    scan_text(text)
    assert time.perf_counter() - start < 5.0
