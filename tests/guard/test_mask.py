"""mask_personal_data: the masks `scan` prints, applied to any text another layer shows."""

from __future__ import annotations

import pytest

from llcompliance.guard.detectors import Allowlist, mask_personal_data, scan_text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Call 07911 123456 after six.", "07911 123456"),
        ("Call +44 7911 123456 after six.", "+44 7911 123456"),
        ("Her NI number is AB 12 34 56 C.", "AB 12 34 56 C"),
        ("NHS number 943 476 5919 on the letter.", "943 476 5919"),
        ("She moved to SW1A 1AA last week.", "SW1A 1AA"),
        ("Write to jane.roe@gmail.com today.", "jane.roe@gmail.com"),
        ("Child's DOB: 03/02/2019, school year 2.", "03/02/2019"),
    ],
)
def test_each_kind_is_masked_as_scan_shows_it(text: str, value: str) -> None:
    masked = mask_personal_data(text)
    assert value not in masked
    shown = scan_text(text).matches[0].masked
    assert masked == text.replace(value, shown)


def test_several_values_in_one_message() -> None:
    text = "policies/x.md:3: 07911 123456 and SW1A 1AA and jane@gmail.com"
    masked = mask_personal_data(text)
    assert masked == "policies/x.md:3: 07*** *****6 and SW** *** and j***@g***.com"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "policies/lone-working.md:4: expired: review was due 2026-03-01; update review_due",
        "SP1 met: 3 of 4 items; version 1.2.3; 50% of staff trained in 2025",
        "Ring the National Domestic Abuse Helpline on 0808 2000 247.",
        "Fictional: 07700 900123, QQ 12 34 56 A, 999 123 4567, info@service.example.org",
    ],
)
def test_clean_text_is_unchanged(text: str) -> None:
    assert mask_personal_data(text) == text


def test_the_allowlist_leaves_published_contacts_alone() -> None:
    allow = Allowlist(phones=frozenset({"01179460123"}), email_domains=frozenset({"ours.org.uk"}))
    text = "Referrals: 0117 946 0123 or referrals@ours.org.uk"
    assert mask_personal_data(text, allow) == text
    assert mask_personal_data(text) != text
