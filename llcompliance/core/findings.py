"""Findings: one problem in one file at one line, with what to do about it."""

from __future__ import annotations

from typing import NamedTuple

ERROR = "error"
WARNING = "warning"
NOTE = "note"


class Finding(NamedTuple):
    """A problem a person can act on; `path` is repo-relative with forward slashes."""

    path: str
    line: int
    rule: str
    severity: str
    message: str

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of DESIGN §5."""
        return {
            "path": self.path,
            "line": self.line,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
        }
