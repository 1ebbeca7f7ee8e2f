"""Regular expressions a service configures, run by RE2 so that no pattern can make a scan hang.

Python's `re` backtracks: `(a|aa)+$` takes minutes on a 41-character line, and a pre-commit hook that
hangs is a hook people bypass. RE2 (the `google-re2` package, Google's own bindings) matches in time
linear in the text whatever the pattern, at the price of refusing lookarounds and backreferences.
It is imported only when a service has configured a pattern, so the hook path stays fast.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, Protocol

# What RE2 refuses, as people who write Python or JavaScript patterns put it, and what to do.
_HINTS = (
    ("(?=", "lookahead (?=…) is not supported: drop it, or match the text itself"),
    ("(?!", "negative lookahead (?!…) is not supported: drop it, or use \\b or [^…]"),
    ("(?<=", "lookbehind (?<=…) is not supported: drop it, or match the text itself"),
    ("(?<!", "negative lookbehind (?<!…) is not supported: drop it, or use \\b"),
    ("\\Z", "\\Z is not supported: end the pattern with $ or \\z instead"),
)
_BACKREFERENCE_HINT = "backreferences (\\1, (?P=name)) are not supported: repeat the group instead"
WHY = (
    "patterns run with RE2, which never hangs on any text but has no lookarounds or backreferences"
)


class PatternError(ValueError):
    """A pattern RE2 cannot run; the message says what to change."""


class SafeMatch(Protocol):
    """The part of a match the guard uses (offsets are in characters, as with `re`)."""

    def start(self) -> int: ...
    def end(self) -> int: ...
    def group(self, index: int = 0) -> str: ...


class SafePattern(Protocol):
    """A compiled pattern whose search time is linear in the text."""

    def finditer(self, text: str) -> Iterator[SafeMatch]: ...


@lru_cache(maxsize=64)
def compile_pattern(pattern: str) -> SafePattern:
    """Compile a configured pattern with RE2 (PatternError if RE2 refuses it or is missing)."""
    try:
        re2: Any = importlib.import_module("re2")
    except ImportError:
        raise PatternError(
            "needs the google-re2 package, which runs configured patterns safely: reinstall "
            "llcompliance (pip install --upgrade llcompliance) or run `pip install google-re2`"
        ) from None
    options = re2.Options()
    options.log_errors = False  # RE2 otherwise writes its own error to stderr
    try:
        compiled: SafePattern = re2.compile(pattern, options)
    except re2.error as exc:
        raise PatternError(_explain(pattern, exc)) from None
    return compiled


def _explain(pattern: str, exc: Exception) -> str:
    for syntax, hint in _HINTS:
        if syntax in pattern:
            return hint
    if "(?P=" in pattern or any(f"\\{d}" in pattern for d in "123456789"):
        return _BACKREFERENCE_HINT
    reason = exc.args[0] if exc.args else exc
    if isinstance(reason, bytes):
        reason = reason.decode("utf-8", "replace")
    return f"{reason}: fix the pattern (syntax: https://github.com/google/re2/wiki/Syntax)"
