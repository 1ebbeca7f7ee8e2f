"""The pre-commit hook path (validate, then scan) imports no module it does not use (issue 14)."""

from __future__ import annotations

import subprocess
import sys

# Modules only some runs need: writing a file, reading blobs, suggesting a spelling, a roster,
# --traceback, and the heavy libraries a warm cache never needs.
_NOT_ON_HOOK_PATH = (
    "tempfile", "difflib", "csv", "secrets", "traceback", "yaml", "jsonschema", "jinja2",
    "markdown_it", "pathspec", "re2", "pypdf",
)  # fmt: skip

_PROBE = (
    "import sys\n"
    "import llcompliance.cli.main, llcompliance.commands.validate, llcompliance.commands.scan\n"
    f"print(' '.join(m for m in {_NOT_ON_HOOK_PATH!r} if m in sys.modules))\n"
)


def test_hook_commands_import_nothing_they_do_not_need() -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True)
    assert out.stdout.split() == []
