"""The CLI layer: the only importer of click, imported only when a command needs it (see fast).

The click group is `llcompliance.cli.main.main`; the console script is `run` here.
"""

from llcompliance.cli.fast import run

__all__ = ["run"]
