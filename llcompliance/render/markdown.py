"""Markdown for people's documents rendered as safe HTML (no markup, scripts or remote images)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

from llcompliance.adapters.markdown import parser

if TYPE_CHECKING:
    from markdown_it.token import Token

# An allowlist, not markdown-it's blocklist: anything but a relative path, #anchor, web, mail or
# phone link is shown as text, so no scheme a browser adds later can run code from a report.
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
# Browsers drop these anywhere in a URL ("java\tscript:" is "javascript:"), so we do too.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")


def is_safe_url(url: str) -> bool:
    """Tell whether a link target is relative or uses http, https, mailto or tel."""
    cleaned = _IGNORED_IN_URL.sub("", unquote(url)).lower()
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1) in SAFE_SCHEMES


def _text_token(content: str) -> Token:
    """Make an inline text token."""
    from markdown_it.token import Token

    return Token("text", "", 0, content=content)


def _neutralise_link(children: list[Token], start: int) -> None:
    """Turn the unsafe link opening at `start` into a plain span, keeping its text."""
    opening = children[start]
    end = next(i for i in range(start + 1, len(children)) if children[i].type == "link_close")
    opening.tag = children[end].tag = "span"
    opening.attrs = {
        "class": "link-removed",
        "title": "Link removed: not a web or relative address",
    }
    if opening.markup == "autolink":
        # An autolink's text is the address itself: showing it would put the payload back.
        children[start + 1 : end] = [_text_token("link removed")]


def _image_as_link(image: Token) -> list[Token]:
    """Replace an image with a link to it, so an offline report never fetches anything."""
    from markdown_it.token import Token

    src = image.attrGet("src")
    alt = "".join(child.content for child in image.children or []) or "image"
    label = _text_token(f"Image: {alt}")
    if not isinstance(src, str) or not is_safe_url(src):
        return [label]
    opening = Token("link_open", "a", 1, attrs={"href": src, "class": "image-link"})
    return [opening, label, Token("link_close", "a", -1)]


def _make_safe(tokens: list[Token], heading_offset: int) -> None:
    """Neutralise unsafe links, turn images into links and shift headings, in place."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and heading_offset:
            token.tag = f"h{min(int(token.tag[1:]) + heading_offset, 6)}"
        children = token.children
        if token.type != "inline" or not children:
            continue
        index, in_link = 0, False
        while index < len(children):
            child = children[index]
            if child.type == "image":
                # Inside a link, a second <a> would be invalid HTML: keep just the words.
                replacement = (
                    [_text_token(child.content or "image")] if in_link else (_image_as_link(child))
                )
                children[index : index + 1] = replacement
                index += len(replacement)
                continue
            if child.type == "link_open":
                in_link = True
                if not is_safe_url(str(child.attrGet("href") or "")):
                    _neutralise_link(children, index)
            elif child.type == "link_close":
                in_link = False
            index += 1


def render_markdown(text: str, *, heading_offset: int = 0) -> str:
    """Render a document's Markdown as HTML that cannot carry markup, scripts or remote images.

    `heading_offset` demotes headings (1 turns `#` into `<h2>`) to fit the page's outline.
    """
    md = parser()
    tokens = md.parse(text)
    _make_safe(tokens, heading_offset)
    html: str = md.renderer.render(tokens, md.options, {})
    return html
