"""Typed errors that the CLI maps to exit codes and plain-English messages."""

from __future__ import annotations


class LLCError(Exception):
    """An error a person can act on; its message says what to do next."""

    exit_code = 2


class UsageError(LLCError):
    """Bad option, not an evidence repo, missing configuration (exit 2)."""

    exit_code = 2


class ConfigError(LLCError):
    """llcompliance.yaml or a catalogue is missing or wrong (exit 2)."""

    exit_code = 2


class GitError(LLCError):
    """git is missing, failed, or the repo is not in the state we need (exit 2)."""

    exit_code = 2


class SignatureError(LLCError):
    """A signature or report failed verification (exit 1)."""

    exit_code = 1


class DocumentError(LLCError):
    """A document could not be read or parsed; carries the path and line (exit 1)."""

    exit_code = 1

    def __init__(
        self, message: str, *, path: str = "", line: int = 0, rule: str = "malformed"
    ) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.rule = rule
