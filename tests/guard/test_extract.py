"""Tests for text and metadata extraction from Office, OpenDocument and PDF files (fictional)."""

from __future__ import annotations

import contextlib
import io
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfs import encrypted, text_pdf

from llcompliance.guard.detectors import scan_text
from llcompliance.guard.extract import (
    AUTHOR_FIELDS,
    ExtractedText,
    ExtractionError,
    author_fields,
    extract_office,
    extract_pdf_metadata,
    extract_pdf_text,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    "<dc:title>Lone working policy</dc:title><dc:creator>Jane Doe</dc:creator>"
    "<cp:lastModifiedBy>Sam Okafor</cp:lastModifiedBy></cp:coreProperties>"
)
APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Company>Brightwater</Company><Manager>Priya Mistry</Manager></Properties>"
)


def make_zip(members: dict[str, str | bytes], *, stored_first: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(
                zipfile.ZipInfo(stored_first), members[stored_first], zipfile.ZIP_STORED
            )
        for name, content in members.items():
            if name != stored_first:
                archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes(*, core: str = CORE) -> bytes:
    document = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}"><w:body>
  <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>
    <w:r><w:t>Lone working policy</w:t></w:r></w:p>
  <w:p><w:r><w:t xml:space="preserve">Visits are </w:t></w:r><w:r><w:tab/><w:t>logged.</w:t></w:r>
    <w:commentRangeStart w:id="0"/><w:r><w:t>See the risk section.</w:t></w:r>
    <w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>
  <w:p><w:ins w:id="1" w:author="Tracked Editor" w:date="2024-03-01T10:00:00Z">
    <w:r><w:t>Her new address is 7 Birch Close, LS6 2AB.</w:t></w:r></w:ins>
    <w:del w:id="2" w:author="Tracked Editor" w:date="2024-03-01T10:01:00Z">
    <w:r><w:delText>Old number 01632 227904</w:delText></w:r></w:del></w:p>
  <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>
  <w:r><w:instrText xml:space="preserve"> HYPERLINK "mailto:km@fictional-mail.co.uk" </w:instrText>
    </w:r>
    <w:r><w:t>email her</w:t></w:r></w:p>
  <w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell one</w:t></w:r></w:p></w:tc>
    <w:tc><w:p><w:r><w:t>Cell two</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
</w:body></w:document>"""
    comments = f"""<w:comments xmlns:w="{W}">
  <w:comment w:id="0" w:author="Reviewer Rae" w:initials="RR">
    <w:p><w:r><w:t>Client moved to M1 1AE last week</w:t></w:r></w:p>
  </w:comment></w:comments>"""
    header = f'<w:hdr xmlns:w="{W}"><w:p><w:r><w:t>OFFICIAL - SENSITIVE</w:t></w:r></w:p></w:hdr>'
    footer = f'<w:ftr xmlns:w="{W}"><w:p><w:r><w:t>Page footer text</w:t></w:r></w:p></w:ftr>'
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId9" Type="hyperlink" Target="mailto:km@fictional-mail.co.uk" '
        'TargetMode="External"/><Relationship Id="rId1" Type="styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    return make_zip(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": document,
            "word/comments.xml": comments,
            "word/header1.xml": header,
            "word/footer1.xml": footer,
            "word/_rels/document.xml.rels": rels,
            "word/media/image1.png": b"\x89PNG fake",
            "docProps/core.xml": core,
            "docProps/app.xml": APP,
        }
    )


def odt_bytes() -> bytes:
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"'
    )
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {ns}><office:body><office:text>
  <text:tracked-changes>
    <text:changed-region text:id="ct1"><text:deletion>
      <office:change-info><dc:creator>Tracked Editor</dc:creator><dc:date>2024-03-01</dc:date>
      </office:change-info>
      <text:p>Deleted: she stays at B33 8TH on weekdays</text:p>
    </text:deletion></text:changed-region>
    <text:changed-region text:id="ct2"><text:insertion>
      <office:change-info><dc:creator>Second Editor</dc:creator></office:change-info>
    </text:insertion></text:changed-region>
  </text:tracked-changes>
  <text:h>Safety planning</text:h>
  <text:p>Visits are<text:s text:c="3"/>logged.<text:tab/>Always.<office:annotation>
      <dc:creator>Reviewer Rae</dc:creator><dc:date>2024-03-02</dc:date>
      <text:p>Comment: her sister lives at M1 1AE</text:p></office:annotation> Then continue.
  </text:p>
  <text:p><text:change-start text:change-id="ct2"/>Inserted line DN55 1PT<text:change-end
    text:change-id="ct2"/></text:p>
</office:text></office:body></office:document-content>"""
    styles = f"""<office:document-styles {ns}><office:master-styles><style:master-page>
  <style:header><text:p>Header: OFFICIAL</text:p></style:header>
</style:master-page></office:master-styles></office:document-styles>"""
    meta = f"""<office:document-meta {ns}><office:meta>
  <meta:initial-creator>Jane Doe</meta:initial-creator><dc:creator>Sam Okafor</dc:creator>
  <dc:title>Safety planning</dc:title><meta:printed-by>Front Desk</meta:printed-by>
</office:meta></office:document-meta>"""
    return make_zip(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": content,
            "styles.xml": styles,
            "meta.xml": meta,
            "META-INF/manifest.xml": "<manifest/>",
        },
        stored_first="mimetype",
    )


def lines_of(extracted: ExtractedText) -> list[str]:
    return extracted.text.split("\n")


def part_of(extracted: ExtractedText, needle: str, *, exact: bool = False) -> str:
    for number, line in enumerate(lines_of(extracted), start=1):
        if (line == needle) if exact else (needle in line):
            return extracted.part_at(number)
    raise AssertionError(f"{needle!r} not extracted")


# --------------------------------------------------------------------------------------------------
# docx


def test_docx_body_comments_tracked_changes_headers_and_links(tmp_path: Path) -> None:
    path = tmp_path / "lone-working.docx"
    path.write_bytes(docx_bytes())
    extracted = extract_office(path.read_bytes(), path.name)
    lines = lines_of(extracted)
    assert "Visits are \tlogged.See the risk section." in lines
    assert "Cell one" in lines and "Cell two" in lines
    assert part_of(extracted, "LS6 2AB") == "word/document.xml"  # tracked insertion
    assert part_of(extracted, "Old number 01632 227904") == "word/document.xml"  # deletion
    assert part_of(extracted, "M1 1AE") == "comments"
    assert part_of(extracted, "OFFICIAL - SENSITIVE") == "word/header1.xml"
    assert part_of(extracted, "Page footer text") == "word/footer1.xml"
    assert part_of(
        extracted, ' HYPERLINK "mailto:km@fictional-mail.co.uk" email her', exact=True
    ) == ("word/document.xml")
    assert part_of(extracted, "mailto:km@fictional-mail.co.uk", exact=True) == "links"
    assert "creator: Jane Doe" in lines
    assert "lastModifiedBy: Sam Okafor" in lines
    assert "comment author: Reviewer Rae" in lines
    assert "revision author: Tracked Editor" in lines
    assert "manager: Priya Mistry" in lines
    assert "title: Lone working policy" in lines
    assert extracted.notes == (
        "1 embedded image(s) or object(s) not read: check them by eye (photos can carry a "
        "location)",
    )


def test_docx_findings_point_at_their_part() -> None:
    extracted = extract_office(docx_bytes(), "policy.docx")
    found = {(m.rule, extracted.part_at(m.line)) for m in scan_text(extracted.text).matches}
    assert ("postcode", "comments") in found
    assert ("postcode", "word/document.xml") in found
    assert ("phone", "word/document.xml") in found
    assert ("email", "links") in found


def test_parts_are_in_line_order_and_cover_the_text() -> None:
    extracted = extract_office(docx_bytes(), "policy.docx")
    firsts = [first for _, first in extracted.parts]
    assert firsts == sorted(firsts) and firsts[0] == 1
    assert firsts[-1] <= len(lines_of(extracted))
    assert extracted.parts[-1][0] == "metadata"


def test_author_fields_lists_people_not_titles() -> None:
    extracted = extract_office(docx_bytes(), "policy.docx")
    fields = author_fields(extracted)
    names = [name for name, _ in fields]
    assert names == ["revision author", "comment author", "creator", "lastModifiedBy", "manager"]
    lines = lines_of(extracted)
    for name, line in fields:
        assert lines[line - 1].startswith(name + ": ")
        assert name in AUTHOR_FIELDS


def test_clean_properties_give_no_author_fields() -> None:
    core = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator></dc:creator>'
        "<cp:lastModifiedBy>  </cp:lastModifiedBy></cp:coreProperties>"
    )
    document = f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Policy</w:t></w:r></w:p></w:body>'
    document += "</w:document>"
    data = make_zip({"word/document.xml": document, "docProps/core.xml": core})
    extracted = extract_office(data, "clean.docx")
    assert author_fields(extracted) == []
    assert extracted.text == "Policy"
    assert extracted.parts == (("word/document.xml", 1),)


# --------------------------------------------------------------------------------------------------
# odt, xlsx, pptx


def test_odt_text_comments_tracked_changes_and_meta(tmp_path: Path) -> None:
    path = tmp_path / "safety.odt"
    path.write_bytes(odt_bytes())
    extracted = extract_office(path.read_bytes(), path.name)
    lines = lines_of(extracted)
    assert "Visits are   logged.\tAlways. Then continue." in lines
    assert "Comment: her sister lives at M1 1AE" in lines
    assert "Deleted: she stays at B33 8TH on weekdays" in lines
    assert "Inserted line DN55 1PT" in lines
    assert part_of(extracted, "Header: OFFICIAL") == "styles.xml"
    assert {"creator: Jane Doe", "lastModifiedBy: Sam Okafor", "printedBy: Front Desk"} <= set(
        lines
    )
    assert {"comment author: Reviewer Rae", "revision author: Tracked Editor"} <= set(lines)
    postcodes = [m for m in scan_text(extracted.text).matches if m.rule == "postcode"]
    assert len(postcodes) == 3
    assert [name for name, _ in author_fields(extracted)] == [
        "revision author",
        "revision author",
        "comment author",
        "creator",
        "lastModifiedBy",
        "printedBy",
    ]


def test_xlsx_cells_comments_and_sheet_names() -> None:
    workbook = f'<workbook xmlns="{S}"><sheets><sheet name="Caseload Jane" sheetId="1"/></sheets>'
    workbook += "</workbook>"
    shared = f'<sst xmlns="{S}"><si><t>Name</t></si>'
    shared += "<si><r><t>Postcode </t></r><r><t>LS6 2AB</t></r></si></sst>"
    sheet = f"""<worksheet xmlns="{S}"><sheetData>
      <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
      <row r="2"><c r="A2" t="inlineStr"><is><t>Client A</t></is></c>
        <c r="B2"><v>4505577104</v></c></row>
    </sheetData><headerFooter><oddHeader>Export by a.user</oddHeader></headerFooter></worksheet>"""
    comments = f"""<comments xmlns="{S}"><authors><author>Reviewer Rae</author></authors>
      <commentList><comment ref="A1" authorId="0"><text><r><t>check M1 1AE</t></r></text></comment>
      </commentList></comments>"""
    data = make_zip(
        {
            "xl/workbook.xml": workbook,
            "xl/sharedStrings.xml": shared,
            "xl/worksheets/sheet1.xml": sheet,
            "xl/comments1.xml": comments,
            "docProps/core.xml": CORE,
        }
    )
    extracted = extract_office(data, "export.xlsx")
    lines = lines_of(extracted)
    assert "Name\tPostcode LS6 2AB" in lines
    assert "Client A\t4505577104" in lines
    assert "Export by a.user" in lines
    assert part_of(extracted, "check M1 1AE") == "comments"
    assert "sheet: Caseload Jane" in lines
    assert "comment author: Reviewer Rae" in lines
    assert {m.rule for m in scan_text(extracted.text).matches} == {"postcode", "nhs-number"}


def test_pptx_slides_notes_and_comments() -> None:
    slide = f"""<p:sld xmlns:p="{P}" xmlns:a="{A}"><p:cSld><p:spTree><p:sp><p:txBody>
      <a:p><a:r><a:t>Referral pathway</a:t></a:r></a:p>
      <a:p><a:r><a:t>Call </a:t></a:r><a:r><a:t>01632 227904</a:t></a:r></a:p>
    </p:txBody></p:sp></p:spTree></p:cSld></p:sld>"""
    notes = f'<p:notes xmlns:p="{P}" xmlns:a="{A}">'
    notes += "<a:p><a:r><a:t>Speaker: DOB 12/03/2019</a:t></a:r></a:p></p:notes>"
    comment = f'<p:cmLst xmlns:p="{P}"><p:cm authorId="0"><p:text>Remove B33 8TH</p:text></p:cm>'
    comment += "</p:cmLst>"
    authors = (
        f'<p:cmAuthorLst xmlns:p="{P}"><p:cmAuthor id="0" name="Reviewer Rae"/></p:cmAuthorLst>'
    )
    data = make_zip(
        {
            "ppt/presentation.xml": f'<p:presentation xmlns:p="{P}"/>',
            "ppt/slides/slide2.xml": slide,
            "ppt/slides/slide10.xml": slide.replace("Referral pathway", "Later slide"),
            "ppt/notesSlides/notesSlide1.xml": notes,
            "ppt/comments/comment1.xml": comment,
            "ppt/commentAuthors.xml": authors,
        }
    )
    extracted = extract_office(data, "training.pptx")
    assert [part for part, _ in extracted.parts][:2] == [
        "ppt/slides/slide2.xml",
        "ppt/slides/slide10.xml",
    ]
    assert "Call 01632 227904" in lines_of(extracted)
    assert part_of(extracted, "Remove B33 8TH") == "comments"
    assert "comment author: Reviewer Rae" in lines_of(extracted)
    assert {m.rule for m in scan_text(extracted.text).matches} == {
        "phone",
        "date-of-birth",
        "postcode",
    }


# --------------------------------------------------------------------------------------------------
# Damaged and hostile files


def test_not_a_zip_is_a_clear_value_error() -> None:
    with pytest.raises(ValueError, match="policy.docx: is not a readable Office file"):
        extract_office(b"this is not a zip file at all", "policy.docx")


def test_truncated_file_is_an_extraction_error() -> None:
    data = docx_bytes()
    with pytest.raises(ExtractionError):
        extract_office(data[: len(data) // 2], "cut.docx")


def test_zip_that_is_not_an_office_file() -> None:
    with pytest.raises(ExtractionError, match="not a Word, Excel, PowerPoint or OpenDocument"):
        extract_office(make_zip({"readme.txt": "hello"}), "archive.docx")


def test_malformed_xml() -> None:
    with pytest.raises(ExtractionError, match="word/document.xml is not well-formed XML"):
        extract_office(make_zip({"word/document.xml": "<w:document><unclosed>"}), "bad.docx")


def test_xml_with_a_dtd_is_refused() -> None:
    """Billion-laughs and external-entity documents are refused before parsing."""
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body>'
        "</w:document>"
    )
    with pytest.raises(ExtractionError, match="DTD"):
        extract_office(make_zip({"word/document.xml": bomb}), "lol.docx")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_xml_with_a_dtd_is_refused_in_utf16(codec: str) -> None:
    """A byte search for "<!DOCTYPE" misses UTF-16; the parser itself refuses the DTD."""
    xml = (
        f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w:document [<!ENTITY n "Darren">]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&n;</w:t></w:r></w:p></w:body>'
        "</w:document>"
    )
    with pytest.raises(ExtractionError, match="DTD or entity declaration"):
        extract_office(make_zip({"word/document.xml": xml.encode(codec)}), "lol.docx")


def test_utf16_part_is_read_whatever_its_declaration_says() -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>Moved to B33 8TH</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    extracted = extract_office(make_zip({"word/document.xml": xml.encode("utf-16")}), "u.docx")
    assert extracted.text == "Moved to B33 8TH"


def test_xml_in_an_encoding_expat_cannot_read_is_an_extraction_error() -> None:
    xml = f'<?xml version="1.0" encoding="Shift_JIS"?><w:document xmlns:w="{W}"/>'
    with pytest.raises(ExtractionError, match="not well-formed XML"):
        extract_office(make_zip({"word/document.xml": xml}), "sjis.docx")


def test_zip_bomb_is_refused_at_the_default_cap() -> None:
    body = f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'
    huge = body + " " * (21 * 1024 * 1024) + "</w:t></w:r></w:p></w:body></w:document>"
    data = make_zip({"word/document.xml": huge})
    assert len(data) < 100_000  # small on disk, 21 MB inflated
    with pytest.raises(ExtractionError, match="more than 20 MB"):
        extract_office(data, "bomb.docx")


def test_total_across_members_is_capped() -> None:
    members: dict[str, str | bytes] = {
        "word/document.xml": f'<w:document xmlns:w="{W}"><w:body/></w:document>',
    }
    for n in range(1, 6):
        members[f"word/header{n}.xml"] = f'<w:hdr xmlns:w="{W}">' + " " * 300_000 + "</w:hdr>"
    with pytest.raises(ExtractionError, match="zip bomb"):
        extract_office(make_zip(members), "many.docx", max_bytes=1024 * 1024)


def test_member_count_is_capped() -> None:
    members: dict[str, str | bytes] = {f"word/media/image{n}.png": b"x" for n in range(60)}
    members["word/document.xml"] = f'<w:document xmlns:w="{W}"/>'
    with pytest.raises(ExtractionError, match="more than 50 parts"):
        extract_office(make_zip(members), "parts.docx", max_members=50)


def test_encrypted_member_is_refused() -> None:
    data = bytearray(make_zip({"word/document.xml": f'<w:document xmlns:w="{W}"/>'}))
    # zipfile will not write an encrypted entry: set the flag in both headers by hand.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = data.find(signature) + offset
        data[position] |= 0x1
    with pytest.raises(ExtractionError, match="encrypted"):
        extract_office(bytes(data), "locked.docx")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_documents_raise_only_extraction_errors(data: st.DataObject) -> None:
    original = bytearray(docx_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.integers(0, 255))
    with contextlib.suppress(ExtractionError):
        extract_office(bytes(original), "fuzzed.docx")


@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_extraction_errors(blob: bytes) -> None:
    with contextlib.suppress(ExtractionError):
        extract_office(blob, "x.docx")
    with contextlib.suppress(ExtractionError):
        extract_pdf_metadata(blob)


# --------------------------------------------------------------------------------------------------
# PDF


def pdf(*objects: bytes) -> bytes:
    body = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    for number, obj in enumerate(objects, start=1):
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    return body + b"trailer\n<< /Root 1 0 R /Info 2 0 R >>\n%%EOF\n"


def test_pdf_info_dictionary(tmp_path: Path) -> None:
    info = (
        b"<< /Title (Safety plan \\(blank\\)) /Author (Jane Doe) /Creator (Microsoft\\256 Word)"
        b" /Producer (Acrobat\\\\PDF) /Subject <FEFF004C0053003600200032004100420020> >>"
    )
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf(b"<< /Type /Catalog >>", info))
    extracted = extract_pdf_metadata(path.read_bytes())
    lines = lines_of(extracted)
    assert "Title: Safety plan (blank)" in lines
    assert "Author: Jane Doe" in lines
    assert "Creator: Microsoft® Word" in lines
    assert "Producer: Acrobat\\PDF" in lines
    assert "Subject: LS6 2AB" in lines
    assert extracted.parts == (("metadata", 1),)
    assert [name for name, _ in author_fields(extracted)] == ["Author"]  # Creator is the app


def test_pdf_xmp_metadata_plain_and_compressed() -> None:
    xmp = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmp:CreatorTool="Writer">'
        b"<dc:creator><rdf:Seq><rdf:li>Sam Okafor</rdf:li><rdf:li>Priya &amp; Co</rdf:li></rdf:Seq>"
        b'</dc:creator><dc:title><rdf:Alt><rdf:li xml:lang="x-default">Risk policy</rdf:li>'
        b"</rdf:Alt></dc:title></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    plain = pdf(
        b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp)
        + xmp
        + b"\nendstream"
    )
    packed = zlib.compress(xmp)
    compressed = pdf(
        b"<< /Type /Metadata /Subtype /XML /Filter /FlateDecode /Length %d >>\nstream\n"
        % len(packed)
        + packed
        + b"\nendstream"
    )
    for data in (plain, compressed):
        lines = lines_of(extract_pdf_metadata(data))
        assert "dc:creator: Sam Okafor" in lines
        assert "dc:creator: Priya & Co" in lines
        assert "dc:title: Risk policy" in lines
        assert "xmp:CreatorTool: Writer" in lines


def test_pdf_info_in_a_compressed_object_stream() -> None:
    inner = b"2 0 << /Author (Jane Doe) /Title (Minutes) >>"
    packed = zlib.compress(inner)
    data = pdf(
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
        + packed
        + b"\nendstream"
    )
    extracted = extract_pdf_metadata(data)
    assert "Author: Jane Doe" in lines_of(extracted)


def test_pdf_metadata_bomb_is_refused() -> None:
    packed = zlib.compress(b" " * (2 * 1024 * 1024))
    data = pdf(b"<< /Type /ObjStm /Filter /FlateDecode >>\nstream\n" + packed + b"\nendstream")
    with pytest.raises(ExtractionError, match="decompression bomb"):
        extract_pdf_metadata(data, max_bytes=1024 * 1024)


def test_encrypted_pdf_is_noted_not_misread() -> None:
    data = pdf(b"<< /Author (\x8f\x02garbled) >>") + b"trailer << /Encrypt 5 0 R >>"
    extracted = extract_pdf_metadata(data)
    assert extracted.text == ""
    assert extracted.notes == (
        "the PDF is encrypted, so its Author and Title could not be read: save it without a "
        "password, or check its properties by hand",
    )


def test_not_a_pdf() -> None:
    with pytest.raises(ValueError, match="not a PDF"):
        extract_pdf_metadata(b"PK\x03\x04 a zip")


def test_pdf_without_metadata() -> None:
    extracted = extract_pdf_metadata(pdf(b"<< /Type /Catalog >>"))
    assert extracted == ExtractedText("", (), ())
    assert author_fields(extracted) == []


# --------------------------------------------------------------------------------------------------
# PDF page text (pypdf); the PDFs are written here, a few hundred bytes of PDF syntax each


def test_pdf_page_text_is_read_page_by_page() -> None:
    data = text_pdf("Lone working policy", ["Check-in calls", "She moved to B33 8TH in May"])
    extracted = extract_pdf_text(data)
    assert extracted.parts == (("page 1", 1), ("page 2", 2))
    assert extracted.text.split("\n") == [
        "Lone working policy",
        "Check-in calls",
        "She moved to B33 8TH in May",
    ]
    assert extracted.notes == ()
    assert [m.rule for m in scan_text(extracted.text).matches] == ["postcode"]


def test_pdf_with_a_password_is_refused_but_owner_only_protection_is_read() -> None:
    data = text_pdf("She moved to B33 8TH in May")
    with pytest.raises(ExtractionError, match="protected by a password"):
        extract_pdf_text(encrypted(data, "client-secret"))
    # "Restrict editing" only: no password to open, so the text is there to read
    assert "B33 8TH" in extract_pdf_text(encrypted(data, "")).text


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj\n<< /Author (x) >>\nendobj\ntrailer << /Encrypt 5 0 R >>\n%%EOF\n",
        b"%PDF-1.4\n" + b"\x00\xff" * 300,
        text_pdf("She moved to B33 8TH")[:200],  # cut short
        b"not a pdf at all",
    ],
    ids=["encrypt-without-dictionary", "junk", "truncated", "not-pdf"],
)
def test_unreadable_pdf_raises_extraction_error(data: bytes) -> None:
    with pytest.raises(ExtractionError, match="could not be read"):
        extract_pdf_text(data)


def test_pdf_page_and_text_caps_say_what_was_left_unread() -> None:
    data = text_pdf(*(f"Page {n} of the board pack" for n in range(1, 6)))
    pages = extract_pdf_text(data, max_pages=3)
    assert [name for name, _ in pages.parts] == ["page 1", "page 2", "page 3"]
    assert pages.notes == (
        "only the first 3 of 5 pages were scanned: split the file, or check the rest by hand",
    )
    chars = extract_pdf_text(data, max_chars=40)
    assert [name for name, _ in chars.parts] == ["page 1", "page 2"]
    assert chars.notes[0].startswith("only the first 2 of 5 pages were scanned (the text is longer")
    slow = extract_pdf_text(data, max_seconds=-1.0)
    assert [name for name, _ in slow.parts] == ["page 1"]
    assert "reading took longer than" in slow.notes[0]


def test_pdf_pages_of_pictures_only_are_noted() -> None:
    """A scanned letter has no text layer: the guard says it could not read it."""
    extracted = extract_pdf_text(text_pdf("Cover sheet", image_only=2))
    assert extracted.text == "Cover sheet"
    assert extracted.notes == (
        "page(s) 2, 3 hold pictures but no text (a scan or a screenshot), which the guard cannot "
        "read: check them by eye",
    )


def test_pdf_parser_crash_is_not_scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever pypdf raises on hostile input (here a RecursionError), the PDF is unreadable."""
    import pypdf

    def explode(self: object, *args: object, **kwargs: object) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pypdf.PageObject, "extract_text", explode)
    with pytest.raises(ExtractionError, match="could not be read"):
        extract_pdf_text(text_pdf("Lone working policy"))
