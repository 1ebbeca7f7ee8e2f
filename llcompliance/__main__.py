"""`python -m llcompliance`: the same as the `llcompliance` command."""

from llcompliance.cli.main import run

run()
