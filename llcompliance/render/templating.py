"""The Jinja2 environment and stylesheet for HTML pages: package data, loaded once."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup


@cache
def environment() -> Environment:
    """Templates from llcompliance/render/templates: every value escaped, a missing one an error."""
    import jinja2  # lazy: only the report command renders HTML

    return jinja2.Environment(
        loader=jinja2.PackageLoader("llcompliance.render", "templates"),
        autoescape=True,  # every value is text unless it is Markup we made ourselves
        undefined=jinja2.StrictUndefined,  # a misspelt name fails the tests, not the page
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def stylesheet(name: str) -> Markup:
    """A stylesheet shipped beside the templates, trusted as-is inside <style>."""
    from markupsafe import Markup

    return Markup(files("llcompliance.render").joinpath(name).read_text(encoding="utf-8"))
