"""Masking for every output: values that look like personal data are never echoed in full.

`scan` masks what it finds; the other commands echo values from people's documents (a title, a
location, a date that is really a phone number) in messages, reports and JSON. Everything they show
passes through here, so a value that slipped into a document is not copied into a report as well.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from llcompliance.guard.detectors import Allowlist, mask_personal_data

# Keys whose values are digests, ids or machine paths a verifier must match byte for byte.
MACHINE_KEYS = frozenset({"sha256", "digest", "commit", "tree", "files", "schema_version", "tool"})
# A cheap test first: every structured identifier has an @, a digit run or a postcode-like token.
_MAYBE = re.compile(r"@|\d")


def mask_text(text: str, allowlist: Allowlist | None = None) -> str:
    """`text` with phone numbers, postcodes, e-mails, NI and NHS numbers and dates of birth masked."""
    if not _MAYBE.search(text):
        return text
    return mask_personal_data(text, allowlist or Allowlist())


def mask_tree(value: Any, allowlist: Allowlist | None = None) -> Any:
    """A JSON-like value with every string masked, except under MACHINE_KEYS (digests, commits)."""
    if isinstance(value, str):
        return mask_text(value, allowlist)
    if isinstance(value, Mapping):
        return {
            key: (item if key in MACHINE_KEYS else mask_tree(item, allowlist))
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_tree(item, allowlist) for item in value]
    return value
