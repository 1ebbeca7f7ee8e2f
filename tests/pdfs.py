"""PDFs for the guard's tests, written here: a few hundred bytes of PDF syntax each."""

from __future__ import annotations

import io


def _pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("latin-1") + b")"


def text_pdf(*pages: str | list[str], image_only: int = 0, info: bytes = b"") -> bytes:
    """A valid PDF whose pages hold these lines of text (Helvetica), plus `image_only` pages that
    hold nothing but a 1x1 picture, as a scanned letter does."""
    objects: list[bytes] = []

    def add(obj: bytes) -> int:
        objects.append(obj)
        return len(objects)

    catalog = add(b"")  # filled in once the page tree's number is known
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream"
    )
    kids: list[int] = []
    tree = len(objects) + 1 + 2 * (len(pages) + image_only)  # after every page and its content
    contents = [[page] if isinstance(page, str) else page for page in pages]
    for lines in contents + [[]] * image_only:
        if lines:
            ops = b"BT /F1 11 Tf 14 TL 72 720 Td " + b" ".join(
                _pdf_string(line) + b" Tj T*" for line in lines
            )
            resources = b"<< /Font << /F1 %d 0 R >> >>" % font
        else:
            ops = b"q 100 0 0 100 72 600 cm /Im1 Do Q"
            resources = b"<< /XObject << /Im1 %d 0 R >> >>" % image
        stream = add(b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                b"/Resources %s >>" % (tree, stream, resources)
            )
        )
    assert (
        add(
            b"<< /Type /Pages /Kids [%s] /Count %d >>"
            % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
        )
        == tree
    )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    trailer_info = b""
    if info:
        trailer_info = b" /Info %d 0 R" % add(info)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        trailer_info,
        xref,
    )
    return bytes(out)


def encrypted(data: bytes, user_password: str) -> bytes:
    """The PDF encrypted by pypdf (AES-256), opening with `user_password` ("" = no password)."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password, owner_password="owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
