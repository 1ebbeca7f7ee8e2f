"""`python -m llcompliance`: the same as the `llcompliance` command."""

from llcompliance.cli.fast import run

run()
