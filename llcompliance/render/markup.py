"""The one Markdown escaper: user text stays literal text in every Markdown we write."""

from __future__ import annotations

import re
from urllib.parse import quote

# Enough to keep user text literal anywhere in a line: no emphasis, links, autolinks, raw HTML,
# entities, table cells or strikethrough. (A ">" matters only where a block starts: see below.)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<#|~&!])")
# Text right after a list marker or "> " would open a block there (a quote, a nested list, a rule
# or heading underline): its first character, or a number's "." or ")", is escaped too.
_LEADING_MARK = re.compile(r"^([>+=-])")
_LEADING_NUMBER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")  # "1. ", not "2024.1"


def md_text(text: object) -> str:
    """Text as Markdown shows it literally, on one line (safe in headings, lists and table cells)."""
    flat = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return _LEADING_NUMBER.sub(r"\1\\\2", _LEADING_MARK.sub(r"\\\1", flat))


def md_code(text: object) -> str:
    """A code span that survives backticks in `text` (one line)."""
    flat = " ".join(str(text).split())
    runs = [len(r) for r in re.findall(r"`+", flat)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def md_url(base: str, path: str) -> str:
    """A link target for a repo path: spaces, brackets and the like percent-encoded."""
    return base + quote(path, safe="/")


def md_link(label: object, base: str, path: str) -> str:
    """`[label](base/path)` with the label escaped and the path encoded."""
    return f"[{md_text(label)}]({md_url(base, path)})"
