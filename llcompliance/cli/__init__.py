"""The CLI layer: the only importer of click."""

from llcompliance.cli.main import main, run

__all__ = ["main", "run"]
