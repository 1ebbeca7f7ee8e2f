"""`python -m llcompliance.cli`: the same as the `llcompliance` command."""

from llcompliance.cli.main import run

run()
