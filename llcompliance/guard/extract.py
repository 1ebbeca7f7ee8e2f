"""Text and author metadata from Office/OpenDocument files (zip of XML), PDF properties and PDF page text."""

from __future__ import annotations

import html
import io
import logging
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar
from xml.etree import ElementTree as ET

import defusedxml
from defusedxml import ElementTree as SafeET

if TYPE_CHECKING:  # pypdf is imported only when a PDF is scanned: the hook path stays fast
    import pypdf

MAX_BYTES = 20 * 1024 * 1024  # uncompressed bytes read from one file
MAX_MEMBERS = 5000  # zip members; real documents have tens to a few hundred

AUTHOR_RULE = "document-author"
AUTHOR_SEVERITY = "warning"
AUTHOR_MESSAGE = (
    "the document's properties name a person (author, last editor, comment or change author): "
    "remove personal names from document properties: File > Info > Inspect Document (LibreOffice: "
    "Tools > Options > Security > 'Remove personal information on saving')"
)

# Field names in the "metadata" part that hold a person's name. PDF "Creator" is the application
# that made the file (e.g. "Microsoft Word"), so only "Author" and XMP "dc:creator" count there.
AUTHOR_FIELDS = frozenset(
    {
        "creator",
        "lastModifiedBy",
        "manager",
        "printedBy",
        "comment author",
        "revision author",
        "person",
        "Author",
        "dc:creator",
    }
)

METADATA_PART = "metadata"


class ExtractionError(ValueError):
    """A file that cannot be read safely: corrupt, encrypted, not what it claims, or a zip bomb."""


@dataclass(frozen=True)
class ExtractedText:
    """Extracted text; `parts` maps part names to their first (1-based) line in `text`."""

    text: str
    parts: tuple[tuple[str, int], ...]
    notes: tuple[str, ...]

    def part_at(self, line: int) -> str:
        """The name of the part that holds a 1-based line of `text`."""
        name = ""
        for part, first in self.parts:
            if first > line:
                break
            name = part
        return name


@dataclass
class _Builder:
    lines: list[str] = field(default_factory=list)
    parts: list[tuple[str, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    meta: list[tuple[str, str]] = field(default_factory=list)

    def add_part(self, name: str, lines: Iterable[str]) -> None:
        split = "\n".join(lines).split("\n")
        if any(line.strip() for line in split):
            self.parts.append((name, len(self.lines) + 1))
            self.lines.extend(split)

    def add_meta(self, name: str, value: str | None) -> None:
        value = " ".join((value or "").split())
        if value and (name, value) not in self.meta:
            self.meta.append((name, value))

    def build(self) -> ExtractedText:
        self.add_part(METADATA_PART, [f"{name}: {value}" for name, value in self.meta])
        return ExtractedText("\n".join(self.lines), tuple(self.parts), tuple(self.notes))


# The Word and Excel files this toolkit writes name it as their author: that is not a person.
TOOL_AUTHORS = frozenset({"llcompliance"})


def author_fields(extracted: ExtractedText) -> list[tuple[str, int]]:
    """(field name, line) for each non-empty author-like field in the metadata part."""
    found: list[tuple[str, int]] = []
    lines = extracted.text.split("\n")
    ordered = sorted(extracted.parts, key=lambda part: part[1])
    for index, (part, first) in enumerate(ordered):
        if part != METADATA_PART:
            continue
        last = ordered[index + 1][1] - 1 if index + 1 < len(ordered) else len(lines)
        for number in range(first, last + 1):
            name, sep, value = lines[number - 1].partition(": ")
            if sep and name in AUTHOR_FIELDS and value.strip().casefold() not in TOOL_AUTHORS:
                found.append((name, number))
    return found


# --------------------------------------------------------------------------------------------------
# Zip and XML, read defensively


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _natural(name: str) -> list[object]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name)]


class _Package:
    """A zip package whose reads are capped in total size and member count."""

    def __init__(self, data: bytes, name: str, max_bytes: int, max_members: int) -> None:
        self.name = name
        self.budget = max_bytes
        self.max_bytes = max_bytes
        declared = _declared_members(data)
        if declared is not None and declared > max_members:
            raise ExtractionError(
                f"{name}: has more than {max_members} parts, far more than any real document; "
                "refusing to read it (it may be a zip bomb): check where the file came from"
            )
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        # zipfile raises many kinds of error on hostile input; all mean "cannot be read".
        except Exception as exc:  # noqa: BLE001
            raise ExtractionError(
                f"{name}: is not a readable Office file (the zip structure is damaged, or the file "
                "is password-protected): open it and save it again, without a password"
            ) from exc
        self.infos = {info.filename: info for info in self.zip.infolist()}
        if len(self.infos) > max_members:
            raise ExtractionError(f"{name}: has more than {max_members} parts; refusing to read it")

    def names(self, pattern: str) -> list[str]:
        regex = re.compile(pattern)
        return sorted((n for n in self.infos if regex.fullmatch(n)), key=_natural)

    def read(self, member: str) -> bytes:
        info = self.infos[member]
        if info.flag_bits & 0x1:
            raise ExtractionError(
                f"{self.name}: {member} is encrypted: save the file without a password"
            )
        if info.file_size > self.budget:
            raise self._too_big()
        try:
            with self.zip.open(info) as handle:
                data = handle.read(self.budget + 1)
        except Exception as exc:  # noqa: BLE001 - damaged or unsupported compression, bad CRC, ...
            raise ExtractionError(
                f"{self.name}: {member} could not be decompressed (the file is damaged): open it "
                "and save it again"
            ) from exc
        if len(data) > self.budget:
            raise self._too_big()
        self.budget -= len(data)
        return data

    def xml(self, member: str) -> ET.Element:
        data = self.read(member)
        # Office XML never has a DTD. The parser refuses one in any encoding (a byte search misses
        # UTF-16), which rules out entity bombs and external entities.
        try:
            return SafeET.fromstring(_utf16_as_text(data), forbid_dtd=True)
        except defusedxml.DefusedXmlException as exc:
            raise ExtractionError(
                f"{self.name}: {member} contains a DTD or entity declaration, which Office files "
                "never do (it may be an entity bomb): refusing to read it; check where the file "
                "came from"
            ) from exc
        except (ET.ParseError, ValueError) as exc:  # ValueError: an encoding expat cannot read
            raise ExtractionError(
                f"{self.name}: {member} is not well-formed XML ({exc}): open the file and save it "
                "again"
            ) from exc

    def _too_big(self) -> ExtractionError:
        return ExtractionError(
            f"{self.name}: expands to more than {self.max_bytes // (1024 * 1024)} MB; refusing to "
            "read it (it may be a zip bomb): keep large files outside the evidence repo"
        )


def _utf16_as_text(data: bytes) -> bytes | str:
    """A UTF-16 XML part (byte-order mark, or "<" next to a NUL) as text, other parts unchanged.

    Given bytes, expat refuses UTF-16 whose declaration names another encoding or spells it
    "UTF-16-LE"; given text, it ignores the declaration, so the part is read whatever it claims.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16"
    elif data.startswith(b"<\0"):
        codec = "utf-16-le"
    elif data.startswith(b"\0<"):
        codec = "utf-16-be"
    else:
        return data
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ValueError(f"not valid UTF-16: {exc.reason}") from exc


def _declared_members(data: bytes) -> int | None:
    """Member count from the end-of-central-directory record, before zipfile lists every member."""
    pos = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if pos < 0 or pos + 12 > len(data):
        return None
    count = int.from_bytes(data[pos + 10 : pos + 12], "little")
    return 1 << 32 if count == 0xFFFF else count  # Zip64: never needed by a real document


# --------------------------------------------------------------------------------------------------
# Office Open XML (docx, xlsx, pptx)

_OOXML_TEXT = frozenset({"t", "delText", "instrText", "delInstrText"})
_OOXML_SKIP = frozenset({"Fallback"})  # mc:Fallback repeats what mc:Choice already holds


def _ooxml_paragraphs(root: ET.Element, text_tags: frozenset[str] = _OOXML_TEXT) -> list[str]:
    """One line per paragraph (w:p, a:p); text boxes inside a paragraph get lines of their own."""

    def collect(elem: ET.Element, out: list[str]) -> None:
        for child in elem:
            local = _local(child.tag)
            if (
                local == "p"
                or local in _OOXML_SKIP
                or local.endswith("Pr")
                or local.endswith("PrChange")
            ):
                continue
            if local in text_tags:
                out.append(child.text or "")
            elif local == "tab":
                out.append("\t")
            elif local in ("br", "cr"):
                out.append("\n")
            elif local in ("del", "moveFrom"):
                # Deleted text sits right against its replacement: keep the two apart.
                out.append(" ")
                collect(child, out)
                out.append(" ")
            else:
                collect(child, out)

    lines = []
    for elem in _iter_skipping(root, _OOXML_SKIP):
        if _local(elem.tag) == "p":
            out: list[str] = []
            collect(elem, out)
            lines.append("".join(out))
    return lines


def _iter_skipping(root: ET.Element, skip: frozenset[str]) -> Iterator[ET.Element]:
    stack = [root]
    while stack:
        elem = stack.pop()
        yield elem
        stack.extend(reversed([c for c in elem if _local(c.tag) not in skip]))


def _attr(elem: ET.Element, local: str) -> str | None:
    for key, value in elem.attrib.items():
        if _local(key) == local:
            return value
    return None


def _authors(root: ET.Element) -> list[str]:
    found = []
    for elem in root.iter():
        author = _attr(elem, "author")
        if author and author not in found:
            found.append(author)
    return found


def _core_properties(pkg: _Package, out: _Builder) -> None:
    names = {
        "creator": "creator",
        "lastModifiedBy": "lastModifiedBy",
        "title": "title",
        "subject": "subject",
        "description": "description",
        "keywords": "keywords",
        "category": "category",
        "Manager": "manager",
        "Company": "company",
    }
    for member in ("docProps/core.xml", "docProps/app.xml"):
        if member in pkg.infos:
            for elem in pkg.xml(member):
                if _local(elem.tag) in names:
                    out.add_meta(names[_local(elem.tag)], "".join(elem.itertext()))
    if "docProps/custom.xml" in pkg.infos:
        for prop in pkg.xml("docProps/custom.xml"):
            out.add_meta(f"custom {prop.get('name', '')}".strip(), "".join(prop.itertext()))


def _external_links(pkg: _Package, out: _Builder, prefix: str) -> None:
    links = []
    for member in pkg.names(re.escape(prefix) + r".*\.rels"):
        for rel in pkg.xml(member):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External" and target not in links:
                links.append(target)
    out.add_part("links", links)


def _docx(pkg: _Package, out: _Builder) -> None:
    body = [
        "word/document.xml",
        *pkg.names(r"word/header\d*\.xml"),
        *pkg.names(r"word/footer\d*\.xml"),
        "word/footnotes.xml",
        "word/endnotes.xml",
    ]
    for member in body:
        if member in pkg.infos:
            root = pkg.xml(member)
            out.add_part(member, _ooxml_paragraphs(root))
            for author in _authors(root):
                out.add_meta("revision author", author)
    if "word/comments.xml" in pkg.infos:
        root = pkg.xml("word/comments.xml")
        out.add_part("comments", _ooxml_paragraphs(root))
        for author in _authors(root):
            out.add_meta("comment author", author)
    if "word/people.xml" in pkg.infos:
        for author in _authors(pkg.xml("word/people.xml")):
            out.add_meta("person", author)
    _external_links(pkg, out, "word/")


def _xlsx(pkg: _Package, out: _Builder) -> None:
    shared: list[str] = []
    if "xl/sharedStrings.xml" in pkg.infos:
        shared = [_texts(si) for si in pkg.xml("xl/sharedStrings.xml") if _local(si.tag) == "si"]
    if "xl/workbook.xml" in pkg.infos:
        for elem in pkg.xml("xl/workbook.xml").iter():
            if _local(elem.tag) == "sheet":
                out.add_meta("sheet", elem.get("name"))
    for member in pkg.names(r"xl/worksheets/sheet\d*\.xml"):
        lines = []
        for elem in pkg.xml(member).iter():
            local = _local(elem.tag)
            if local == "row":
                lines.append("\t".join(_cell_text(c, shared) for c in elem if _local(c.tag) == "c"))
            elif local in (
                "oddHeader",
                "oddFooter",
                "evenHeader",
                "evenFooter",
                "firstHeader",
                "firstFooter",
            ):
                lines.append(elem.text or "")
        out.add_part(member, lines)
    for member in pkg.names(r"xl/comments\d*\.xml"):
        root = pkg.xml(member)
        for elem in root.iter():
            if _local(elem.tag) == "author":
                out.add_meta("comment author", elem.text)
        out.add_part("comments", [_texts(c) for c in root.iter() if _local(c.tag) == "comment"])
    for member in pkg.names(r"xl/threadedComments/.*\.xml"):
        root = pkg.xml(member)
        out.add_part(
            "comments", ["".join(e.itertext()) for e in root.iter() if _local(e.tag) == "text"]
        )
    for member in pkg.names(r"xl/persons/.*\.xml"):
        for elem in pkg.xml(member).iter():
            out.add_meta("comment author", _attr(elem, "displayName"))
    _external_links(pkg, out, "xl/")


def _texts(elem: ET.Element) -> str:
    """The joined text of the <t> elements under elem (SpreadsheetML rich text)."""
    return "".join(t.text or "" for t in elem.iter() if _local(t.tag) == "t")


def _cell_text(cell: ET.Element, shared: list[str]) -> str:
    kind = cell.get("t")
    if kind == "inlineStr":
        return _texts(cell)
    value = next((c.text or "" for c in cell if _local(c.tag) == "v"), "")
    if kind == "s":
        index = int(value) if value.isdigit() else -1
        return shared[index] if 0 <= index < len(shared) else ""
    return value


def _pptx(pkg: _Package, out: _Builder) -> None:
    for member in pkg.names(r"ppt/slides/slide\d*\.xml") + pkg.names(
        r"ppt/notesSlides/notesSlide\d*\.xml"
    ):
        out.add_part(member, _ooxml_paragraphs(pkg.xml(member)))
    comments: list[str] = []
    for member in pkg.names(r"ppt/comments/.*\.xml"):
        root = pkg.xml(member)
        # Legacy comments keep their text in <p:text>; modern ones in DrawingML paragraphs.
        comments.extend(e.text or "" for e in root.iter() if _local(e.tag) == "text")
        comments.extend(_ooxml_paragraphs(root))
    out.add_part("comments", comments)
    for member in ("ppt/commentAuthors.xml", "ppt/authors.xml"):
        if member in pkg.infos:
            for elem in pkg.xml(member).iter():
                if _local(elem.tag) in ("cmAuthor", "author"):
                    out.add_meta("comment author", elem.get("name"))
    _external_links(pkg, out, "ppt/")


# --------------------------------------------------------------------------------------------------
# OpenDocument (odt, ods, odp)

_ODF_PARAGRAPH = frozenset({"p", "h"})
# Read as paragraphs of their own, not as part of the paragraph they sit in.
_ODF_APART = frozenset({"annotation", "note", "p", "h", "tracked-changes"})


def _odf_paragraph(para: ET.Element) -> str:
    out: list[str] = []

    def walk(elem: ET.Element) -> None:
        out.append(elem.text or "")
        for child in elem:
            local = _local(child.tag)
            if local == "s":
                count = _attr(child, "c") or "1"
                out.append(" " * (min(int(count), 80) if count.isdigit() else 1))
            elif local == "tab":
                out.append("\t")
            elif local == "line-break":
                out.append("\n")
            elif local not in _ODF_APART and local != "annotation-end":
                walk(child)
            out.append(child.tail or "")

    walk(para)
    return "".join(out)


def _odf_lines(root: ET.Element) -> list[str]:
    return [_odf_paragraph(e) for e in root.iter() if _local(e.tag) in _ODF_PARAGRAPH]


def _odf(pkg: _Package, out: _Builder) -> None:
    if "content.xml" not in pkg.infos:
        raise ExtractionError(
            f"{pkg.name}: has no content.xml, so it is not a readable OpenDocument file"
        )
    content = pkg.xml("content.xml")
    out.add_part("content.xml", _odf_lines(content))
    for elem in content.iter():
        local = _local(elem.tag)
        if local in ("annotation", "change-info"):
            for child in elem:
                if _local(child.tag) == "creator":
                    out.add_meta(
                        "comment author" if local == "annotation" else "revision author", child.text
                    )
    if "styles.xml" in pkg.infos:
        # Headers and footers live in styles.xml.
        out.add_part("styles.xml", _odf_lines(pkg.xml("styles.xml")))
    if "meta.xml" in pkg.infos:
        names = {
            "initial-creator": "creator",
            "creator": "lastModifiedBy",
            "printed-by": "printedBy",
            "title": "title",
            "subject": "subject",
            "description": "description",
            "keyword": "keywords",
        }
        for elem in pkg.xml("meta.xml").iter():
            local = _local(elem.tag)
            if local in names:
                out.add_meta(names[local], elem.text)
            elif local == "user-defined":
                out.add_meta(f"custom {_attr(elem, 'name') or ''}".strip(), elem.text)


# --------------------------------------------------------------------------------------------------
# Entry points

_ODF_TYPES = ("application/vnd.oasis.opendocument.",)
_MEDIA = re.compile(r"(?:word|xl|ppt)/(?:media|embeddings)/.+|Pictures/.+|Object \d+/.+")


def extract_office(
    data: bytes, name: str, *, max_bytes: int = MAX_BYTES, max_members: int = MAX_MEMBERS
) -> ExtractedText:
    """Text, comments, tracked changes, headers/footers and properties of an Office/ODF file."""
    pkg = _Package(data, name, max_bytes, max_members)
    out = _Builder()
    try:
        mimetype = pkg.read("mimetype") if "mimetype" in pkg.infos else b""
        if mimetype.decode("ascii", "replace").startswith(_ODF_TYPES):
            _odf(pkg, out)
        elif "word/document.xml" in pkg.infos:
            _docx(pkg, out)
            _core_properties(pkg, out)
        elif "xl/workbook.xml" in pkg.infos:
            _xlsx(pkg, out)
            _core_properties(pkg, out)
        elif "ppt/presentation.xml" in pkg.infos:
            _pptx(pkg, out)
            _core_properties(pkg, out)
        else:
            raise ExtractionError(
                f"{name}: is a zip file but not a Word, Excel, PowerPoint or OpenDocument file"
            )
    except RecursionError as exc:
        raise ExtractionError(f"{name}: its XML is nested too deeply to read safely") from exc
    media = [n for n in pkg.infos if _MEDIA.fullmatch(n)]
    if media:
        out.notes.append(
            f"{len(media)} embedded image(s) or object(s) not read: check them by eye (photos can "
            "carry a location)"
        )
    return out.build()


_PDF_INFO = re.compile(rb"/(Author|Creator|Producer|Title|Subject|Keywords)\s*(?=\(|<(?!<))")
_PDF_STREAM = re.compile(rb"stream\r?\n")
_PDF_DICT_TYPES = re.compile(rb"/Type\s*/(?:ObjStm|Metadata)|/Subtype\s*/XML")
_XMP_SEQ = re.compile(r"<(dc:creator|dc:title|dc:subject)\b[^>]*>(.*?)</\1>", re.S)
_XMP_LI = re.compile(r"<rdf:li\b[^>]*>(.*?)</rdf:li>", re.S)
_XMP_SIMPLE = re.compile(
    r"(?:<(xmp:CreatorTool|pdf:Producer|pdf:Keywords)\b[^>]*>([^<]*)</\1>"
    r"|\b(xmp:CreatorTool|pdf:Producer|pdf:Keywords)\s*=\s*\"([^\"]*)\")"
)
_PDF_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
_MAX_PDF_STRING = 64 * 1024
_MAX_PDF_STREAMS = 1000


def extract_pdf_metadata(data: bytes, *, max_bytes: int = MAX_BYTES) -> ExtractedText:
    """Author, Creator, Producer and Title from a PDF's Info dictionary and XMP metadata."""
    if b"%PDF-" not in data[:1024]:
        raise ExtractionError("not a PDF file (no %PDF- header): check the file")
    out = _Builder()
    buffers = [data, *_pdf_streams(data, max_bytes)]
    if b"/Encrypt" in data:
        # Info strings are encrypted too and decrypting needs a PDF library; XMP may still be plain.
        out.notes.append(
            "the PDF is encrypted, so its Author and Title could not be read: save it without a "
            "password, or check its properties by hand"
        )
    else:
        for buffer in buffers:
            for m in _PDF_INFO.finditer(buffer):
                raw = _pdf_string(buffer, m.end())
                if raw is not None:
                    out.add_meta(m.group(1).decode("ascii"), _pdf_decode(raw))
    for buffer in buffers:
        if b"<x:xmpmeta" not in buffer and b"<rdf:RDF" not in buffer:
            continue
        xmp = buffer.decode("utf-8", "replace")
        for seq in _XMP_SEQ.finditer(xmp):
            for item in _XMP_LI.findall(seq.group(2)) or [seq.group(2)]:
                out.add_meta(seq.group(1), html.unescape(re.sub(r"<[^>]*>", "", item)))
        for prop in _XMP_SIMPLE.finditer(xmp):
            value = prop.group(2) or prop.group(4) or ""
            out.add_meta(prop.group(1) or prop.group(3), html.unescape(value))
    return out.build()


def _pdf_streams(data: bytes, max_bytes: int) -> Iterator[bytes]:
    """Decompressed object streams and XMP streams, where compressed metadata usually hides."""
    budget = max_bytes
    count = 0
    for m in _PDF_STREAM.finditer(data):
        head = data[max(0, m.start() - 1024) : m.start()]
        head = head[head.rfind(b"obj") :] if b"obj" in head else head
        if not _PDF_DICT_TYPES.search(head):
            continue
        body = data[m.end() :]
        if b"/FlateDecode" not in head:
            end = body.find(b"endstream")
            yield body[: end if end >= 0 else _MAX_PDF_STRING]
            continue
        count += 1
        if count > _MAX_PDF_STREAMS:
            raise ExtractionError(
                "the PDF has more compressed metadata streams than any real document"
            )
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(body, budget + 1)
        except zlib.error:
            continue  # a damaged stream: other streams and the plain Info may still be readable
        if len(chunk) > budget:
            raise ExtractionError(
                f"the PDF's metadata expands to more than {max_bytes // (1024 * 1024)} MB; "
                "refusing to read it (it may be a decompression bomb)"
            )
        budget -= len(chunk)
        yield chunk


def _pdf_string(data: bytes, pos: int) -> bytes | None:
    """A literal "(...)" or hex "<...>" PDF string starting at pos."""
    if data[pos : pos + 1] == b"<":
        end = data.find(b">", pos, pos + 2 * _MAX_PDF_STRING)
        if end < 0:
            return None
        hexdigits = re.sub(rb"[^0-9A-Fa-f]", b"", data[pos + 1 : end])
        if len(hexdigits) % 2:
            hexdigits += b"0"
        return bytes.fromhex(hexdigits.decode("ascii"))
    out = bytearray()
    depth = 0
    i = pos
    limit = min(len(data), pos + _MAX_PDF_STRING)
    while i < limit:
        c = data[i]
        if c == 0x5C:  # backslash escape
            i += 1
            nxt = data[i] if i < len(data) else 0
            if nxt in _PDF_ESCAPES:
                out.append(_PDF_ESCAPES[nxt])
            elif 0x30 <= nxt <= 0x37:
                digits = re.match(rb"[0-7]{1,3}", data[i : i + 3])
                assert digits is not None
                out.append(int(digits.group(0), 8) & 0xFF)
                i += len(digits.group(0)) - 1
            elif nxt in (0x0A, 0x0D):
                if nxt == 0x0D and data[i + 1 : i + 2] == b"\n":
                    i += 1  # a backslash before a line end continues the string
            else:
                out.append(nxt)
        elif c == 0x28:
            depth += 1
            if depth > 1:
                out.append(c)
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out)
            out.append(c)
        else:
            out.append(c)
        i += 1
    return None


def _pdf_decode(raw: bytes) -> str:
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xff\xfe"):
        return raw[2:].decode("utf-16-le", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")  # close enough to PDFDocEncoding for names


# --------------------------------------------------------------------------------------------------
# PDF page text (pypdf, imported only when a PDF is scanned)

MAX_PDF_PAGES = 500  # a policy or board pack; longer files are read in part, and say so
MAX_PDF_TEXT = 10 * 1024 * 1024  # characters of page text kept from one file
MAX_PDF_SECONDS = 30.0  # between pages: a slow or hostile file is read in part, not forever


def extract_pdf_text(
    data: bytes,
    *,
    max_pages: int = MAX_PDF_PAGES,
    max_chars: int = MAX_PDF_TEXT,
    max_seconds: float = MAX_PDF_SECONDS,
) -> ExtractedText:
    """The text of a PDF's pages, one part per page ("page 3"); raises ExtractionError for an
    encrypted PDF that needs a password, or one that cannot be parsed."""
    import time

    reader = _pdf_reader(data)
    out = _Builder()
    started = time.monotonic()
    pictures: list[int] = []
    try:
        total = len(reader.pages)
        for index in range(min(total, max_pages)):
            page = reader.pages[index]
            text = _quiet(page.extract_text).rstrip()
            if not text.strip() and _has_images(page):
                pictures.append(index + 1)
            out.add_part(f"page {index + 1}", [text[: max(0, max_chars)]])
            max_chars -= len(text)
            if max_chars <= 0:
                out.notes.append(
                    f"only the first {index + 1} of {total} pages were scanned (the text is longer "
                    f"than {MAX_PDF_TEXT // (1024 * 1024)} MB): split the file, or check the rest "
                    "by hand"
                )
                break
            if time.monotonic() - started > max_seconds and index + 1 < total:
                out.notes.append(
                    f"only the first {index + 1} of {total} pages were scanned (reading took "
                    f"longer than {max_seconds:.0f} seconds): check the rest by hand"
                )
                break
        else:
            if total > max_pages:
                out.notes.append(
                    f"only the first {max_pages} of {total} pages were scanned: split the file, "
                    "or check the rest by hand"
                )
    # PDF parsers fail on hostile input in every way (and have had bugs that loop or recurse):
    # whatever goes wrong, the file is "not scanned", never clean.
    except Exception as exc:  # noqa: BLE001
        raise ExtractionError(_PDF_UNREADABLE) from exc
    if pictures:
        shown = ", ".join(str(n) for n in pictures[:10]) + (", ..." if len(pictures) > 10 else "")
        out.notes.append(
            f"page(s) {shown} hold pictures but no text (a scan or a screenshot), which the "
            "guard cannot read: check them by eye"
        )
    return out.build()


_PDF_UNREADABLE = (
    "the PDF could not be read (it is damaged, or in a form the guard does not understand): "
    "open it and save or print it to PDF again"
)


def _pdf_reader(data: bytes) -> pypdf.PdfReader:
    """A pypdf reader, decrypted when the PDF opens without a password (owner-only protection)."""
    import pypdf

    _silence_pypdf()
    try:
        reader = _quiet(lambda: pypdf.PdfReader(io.BytesIO(data), strict=False))
        if reader.is_encrypted and not _quiet(lambda: reader.decrypt("")):
            raise ExtractionError(
                "the PDF is protected by a password, so its text could not be read: save a copy "
                "without a password, or check it by hand"
            )
        return reader
    except ExtractionError:
        raise
    except Exception as exc:  # noqa: BLE001 - see extract_pdf_text
        raise ExtractionError(_PDF_UNREADABLE) from exc


def _has_images(page: pypdf.PageObject) -> bool:
    try:
        return len(page.images) > 0
    except Exception:  # noqa: BLE001 - a damaged image list is still "something not read"
        return True


_T = TypeVar("_T")


def _quiet(call: Callable[[], _T]) -> _T:
    """Run a pypdf call without its warnings: they may quote the document, and the suite (rightly)
    turns warnings into errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call()


def _silence_pypdf() -> None:
    """pypdf logs every oddity of a file on stderr; findings are the guard's only output."""
    logger = logging.getLogger("pypdf")
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
