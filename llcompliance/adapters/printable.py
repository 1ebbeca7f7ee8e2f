"""Text that is safe to show: control, bidi-override and undecodable characters as escapes."""

from __future__ import annotations

import re

# Control characters, line and paragraph separators, bidi controls (they can disguise a name)
# and surrogates (bytes that were not UTF-8).
_UNSAFE_CHARS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def printable(text: str, *, multiline: bool = False) -> str:
    """`text` with control, bidirectional-override and undecodable characters shown as escapes."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        code = ord(char)
        if multiline and char in "\t\n":
            return char
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 in a file name
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    if _UNSAFE_CHARS.search(text) is None:
        return text  # the usual case: nothing to escape
    return _UNSAFE_CHARS.sub(escape, text)
