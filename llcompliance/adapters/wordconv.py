"""Word (.docx), Markdown and plain-text policies as Markdown: mammoth reads Word's meaning
(headings, lists, tables, bold, italic, links) as HTML and markdownify writes that as Markdown.

What cannot come across (images, comments, tracked changes, headers and footers) is reported in
`notes`, never dropped silently.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

import defusedxml
from defusedxml import ElementTree as SafeET

from llcompliance.errors import UsageError

MAX_BYTES = 20 * 1024 * 1024  # uncompressed bytes in one Word file (the guard's cap too)
MAX_MEMBERS = 5000  # zip members; real documents have tens to a few hundred
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)|<\x00!\x00(?:D\x00|E\x00)|\x00<\x00!\x00(?:D|E)")
_BLANK_RUNS = re.compile(r"\n{3,}")
_WORD_BOOKMARK = re.compile(r"^#_")  # links into Word's own bookmarks (tables of contents)
# Word's "Title" style is the document's title; mammoth's default style map leaves it a paragraph.
_STYLE_MAP = "p[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => h2:fresh"
_QUIET_MESSAGES = ("was referenced but not defined in the document",)
_UNRECOGNISED_STYLE = re.compile(r"^Unrecognised (paragraph|run) style: '?([^'(]*?)'? \(Style ID")


@dataclass(frozen=True)
class Converted:
    """A policy's text as Markdown, its title if the text has one, and what did not come across."""

    markdown: str
    title: str | None
    notes: tuple[str, ...]


def convert(data: bytes, name: str) -> Converted:
    """Markdown from a .docx, .md, .markdown or .txt file's bytes (UsageError for anything else)."""
    lower = name.lower()
    if lower.endswith(".docx"):
        return docx_to_markdown(data, name)
    if lower.endswith((".md", ".markdown", ".txt")):
        return text_to_markdown(data, name)
    if lower.endswith((".doc", ".rtf", ".odt", ".pages")):
        raise UsageError(
            f"{name}: this is not a .docx file: open it in Word (or LibreOffice) and use "
            "File > Save As > Word Document (.docx), then import the .docx"
        )
    raise UsageError(
        f"{name}: only Word (.docx), Markdown (.md) and text (.txt) files can be imported"
    )


def docx_to_markdown(data: bytes, name: str) -> Converted:
    """Convert a Word file; images, comments, tracked changes and headers are reported in notes."""
    package = _open_package(data, name)
    notes = _unconverted_parts(package, name)
    import mammoth  # type: ignore[import-untyped]  # only `import` needs it: the hook path stays light

    images: list[int] = []

    def drop_image(image: Any) -> dict[str, str]:
        images.append(1)
        return {}  # no src: the <img> is stripped below

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=_STYLE_MAP,
            convert_image=mammoth.images.img_element(drop_image),
        )
    except Exception as exc:  # noqa: BLE001 - mammoth raises many kinds of error on a damaged file
        raise UsageError(
            f"{name}: Word could not be read ({type(exc).__name__}): open it in Word, save it again "
            "as a .docx and import that"
        ) from None
    if images:
        notes.insert(
            0,
            f"{len(images)} image(s) left out (the policy is text): if one holds words that matter, "
            "type them into the policy; never add photos of people or documents",
        )
    notes.extend(_mammoth_notes(result.messages))
    markdown = html_to_markdown(result.value)
    return Converted(markdown, _first_heading(markdown), tuple(notes))


def html_to_markdown(html: str) -> str:
    """Markdown from the HTML that mammoth writes: ATX headings, `-` bullets, pipe tables."""
    from markdownify import markdownify

    html = re.sub(r"<img\b[^>]*>", "", html)
    text = markdownify(
        html,
        heading_style="ATX",
        bullets="-",
        table_infer_header=True,  # Word tables rarely mark a header row; the first row is one
        escape_misc=False,
    )
    text = re.sub(r"\[([^\]]*)\]\((#_[^)]*)\)", r"\1", text)  # Word's own bookmarks: keep the text
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    text = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")
    return text + "\n" if text else ""


def text_to_markdown(data: bytes, name: str) -> Converted:
    """A Markdown or text file's body (any front matter left out and reported)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(
            f"{name}: is not UTF-8 text: open it in a text editor and save it as UTF-8"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    notes = []
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end > 0:
            text = text[text.find("\n", end + 1) + 1 :] if "\n" in text[end + 1 :] else ""
            notes.append(
                "its own front matter was left out: the new front matter is made from the options"
            )
    text = _BLANK_RUNS.sub("\n\n", "\n".join(line.rstrip() for line in text.split("\n")))
    text = text.strip("\n")
    title = _first_heading(text)
    if title is None and name.lower().endswith(".txt"):
        first = next((line.strip() for line in text.split("\n") if line.strip()), "")
        title = first or None
        if first:
            # The first line of a text file is its title: it becomes the heading.
            text = text.split(first, 1)[1].lstrip("\n")
    return Converted(text + "\n" if text else "", title, tuple(notes))


def _first_heading(markdown: str) -> str | None:
    for line in markdown.split("\n"):
        match = re.match(r"^#\s+(.+?)\s*#*\s*$", line)
        if match:
            # markdownify escapes Markdown characters; a title is plain text
            return re.sub(r"\\([\\`*_{}\[\]()#+.!|-])", r"\1", match.group(1)).strip() or None
    return None


def _open_package(data: bytes, name: str) -> zipfile.ZipFile:
    """The zip, refused when damaged, encrypted, far too large or holding a DTD (zip or entity bomb)."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        infos = package.infolist()
    except Exception:  # noqa: BLE001 - zipfile raises many kinds of error on hostile input
        raise UsageError(
            f"{name}: is not a readable Word file (damaged, or password-protected): open it in "
            "Word and save it again as a .docx, without a password"
        ) from None
    if "word/document.xml" not in package.namelist():
        raise UsageError(f"{name}: is a zip file but not a Word document")
    # zipfile never reads past a member's declared size, so the declared sizes bound the work.
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_BYTES:
        raise UsageError(
            f"{name}: expands to more than {MAX_BYTES // (1024 * 1024)} MB; refusing to read it "
            "(it may be a zip bomb): check where the file came from"
        )
    for info in infos:
        if info.flag_bits & 0x1:
            raise UsageError(f"{name}: is password-protected: save it without a password")
        if info.filename.endswith((".xml", ".rels")) and _DTD.search(package.read(info)):
            raise UsageError(
                f"{name}: {info.filename} declares a DTD or entity, which Word files never do "
                "(it may be an entity bomb): refusing to read it; check where the file came from"
            )
    return package


def _xml(package: zipfile.ZipFile, member: str) -> ET.Element | None:
    if member not in package.namelist():
        return None
    try:
        return SafeET.fromstring(package.read(member), forbid_dtd=True)
    except (ET.ParseError, defusedxml.DefusedXmlException, ValueError):
        return None  # mammoth reports what it cannot read


def _unconverted_parts(package: zipfile.ZipFile, name: str) -> list[str]:
    """Notes for comments, tracked changes, and headers or footers with text."""
    notes = []
    comments = _xml(package, "word/comments.xml")
    count = len(comments.findall(f"{_W}comment")) if comments is not None else 0
    if count:
        notes.append(
            f"{count} comment(s) left out: read them in Word and make any change they ask for in "
            "the policy itself"
        )
    body = _xml(package, "word/document.xml")
    if body is not None:
        inserted = sum(1 for _ in body.iter(f"{_W}ins")) + sum(1 for _ in body.iter(f"{_W}moveTo"))
        deleted = sum(1 for _ in body.iter(f"{_W}del")) + sum(1 for _ in body.iter(f"{_W}moveFrom"))
        if inserted or deleted:
            notes.append(
                f"{inserted + deleted} tracked change(s) imported as if accepted (insertions kept, "
                "deletions left out): check the text, or accept or reject them in Word and import "
                "again"
            )
    extra = [
        n
        for n in package.namelist()
        if re.fullmatch(r"word/(header|footer)\d*\.xml", n) and _has_text(_xml(package, n))
    ]
    if extra:
        notes.append(
            "headers and footers left out: if they hold a version or approval date, put it in the "
            "front matter (`version:`, `approved:`)"
        )
    return notes


def _has_text(root: ET.Element | None) -> bool:
    return root is not None and any((t.text or "").strip() for t in root.iter(f"{_W}t"))


def _mammoth_notes(messages: list[Any]) -> list[str]:
    notes: list[str] = []
    styles: list[str] = []
    for message in messages:
        text = str(getattr(message, "message", message))
        if text.endswith(_QUIET_MESSAGES):
            continue  # Word's own comment styles and the like: nothing for a person to do
        match = _UNRECOGNISED_STYLE.match(text)
        if match:
            style = match.group(2).strip()
            if style and style != "None" and style not in styles:
                styles.append(style)
            continue
        if text not in notes:
            notes.append(text)
    if styles:
        notes.append(
            f"Word styles {', '.join(styles)} have no Markdown equivalent and came across as plain "
            "text: check the headings and lists"
        )
    return notes
