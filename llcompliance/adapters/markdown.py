"""The one owner of markdown-it: a shared CommonMark parser, and the links in a document."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_md: MarkdownIt | None = None


def parser() -> MarkdownIt:
    """Return the shared parser: CommonMark + tables, raw HTML off, every link kept."""
    global _md
    if _md is None:
        from markdown_it import MarkdownIt  # lazy: hooks start faster without it

        md = MarkdownIt("commonmark", {"html": False}).enable("table")
        # markdown-it prints a link it rejects as literal text, payload and all: [x](javascript:…).
        # Accept every link when parsing and neutralise unsafe ones in render.markdown instead; this
        # also lets extract_links see every target.
        md.validateLink = lambda url: True  # type: ignore[method-assign]
        _md = md
    return _md


def extract_links(text: str) -> list[tuple[str, int]]:
    """List (target, 1-based line) of every link and image, reference links too, code excluded.

    Targets are percent-decoded, so a relative one can be checked as a path once any #fragment is
    stripped. A line is counted from line breaks, so a code span that itself spans lines can put
    later links on the same paragraph a line early.
    """
    links: list[tuple[str, int]] = []
    for token in parser().parse(text):
        if token.type != "inline" or not token.children or token.map is None:
            continue
        line = token.map[0] + 1
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type in ("link_open", "image"):
                target = child.attrGet("href" if child.type == "link_open" else "src")
                if isinstance(target, str):
                    links.append((unquote(target), line))
    return links
