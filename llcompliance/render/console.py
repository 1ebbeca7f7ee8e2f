"""The one writer to the terminal: commands hand it finished text; nothing else prints."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, TextIO


def colour_wanted(stream: TextIO | None = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (no-color.org)."""
    stream = stream or sys.stdout
    return stream.isatty() and "NO_COLOR" not in os.environ


class Console:
    """Writes to stdout and stderr as they are at the moment of writing (test runners swap them)."""

    def __init__(self, *, colour: bool | None = None) -> None:
        self.colour = colour_wanted() if colour is None else colour

    def out(self, text: str = "", *, end: str = "\n") -> None:
        """A result, on standard output."""
        sys.stdout.write(text + end)
        sys.stdout.flush()

    def json(self, data: Any, *, indent: int | None = 2) -> None:
        """A result for tools: JSON on standard output."""
        self.out(json.dumps(data, indent=indent, ensure_ascii=False))

    def err(self, text: str, *, end: str = "\n") -> None:
        """A warning, note or progress line, on standard error."""
        sys.stderr.write(text + end)
        sys.stderr.flush()

    def warn(self, text: str) -> None:
        """`warning: …` on standard error."""
        self.err(f"warning: {text}")

    @staticmethod
    def flush() -> None:
        """Flush standard output and error (before leaving without the interpreter's teardown);
        a closed or broken stream is passed over: the exit code still says what happened."""
        for stream in (sys.stdout, sys.stderr):
            try:
                if stream is not None:
                    stream.flush()
            except (OSError, ValueError):
                pass

    @property
    def interactive(self) -> bool:
        """True when a person watches standard error (progress lines only then)."""
        return sys.stderr.isatty()
