"""Canonical JSON: UTF-8, sorted keys, two-space indent, LF, trailing newline; same input, same bytes."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def dumps(value: Any) -> bytes:
    """Serialise `value` canonically (raises TypeError/ValueError on non-JSON values)."""
    text = json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    return (text + "\n").encode("utf-8")


def digest(value: Any) -> str:
    """`sha256:<hex>` of the canonical serialisation."""
    return "sha256:" + hashlib.sha256(dumps(value)).hexdigest()


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256 of raw bytes."""
    return hashlib.sha256(data).hexdigest()
