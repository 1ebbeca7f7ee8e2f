"""What Word and Excel exports share: reproducible zip bytes, fixed core properties, plain text
that XML can hold, and the report's values in words (dates, kinds, requirement groups)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any
from xml.sax.saxutils import escape

AUTHOR = "llcompliance"
CORE_XML = "docProps/core.xml"
# Parts a reader looks for first; the rest follow in name order so the bytes never depend on
# the order a library happened to write them in.
_FIRST = ("[Content_Types].xml", "_rels/.rels")
# XML 1.0 cannot hold these; python-docx and openpyxl raise on them rather than drop them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def xml_text(value: object) -> str:
    """`value` as text an Office file can hold (control characters dropped)."""
    return _NOT_XML.sub("", "" if value is None else str(value))


def as_date(value: object) -> dt.date | None:
    """An ISO date string from the report as a date, or None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def long_date(value: str) -> str:
    """`23 November 2026` (month names in English whatever the machine's locale)."""
    day = as_date(value)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}" if day else value


def kind_of(item: dict[str, Any]) -> str:
    """An item's kind as people know it: the evidence kind (record, data…) or `policy`."""
    return str(item.get("evidence_kind") or item.get("kind") or "")


def item_date(item: dict[str, Any]) -> str:
    """The date an item speaks for: evidence's `date`, or the date a policy was approved."""
    if item.get("date"):
        return str(item["date"])
    approved = item.get("approved")
    if isinstance(approved, dict) and approved.get("date"):
        return str(approved["date"])
    return ""


def evidence_items(data: dict[str, Any]) -> list[tuple[dict[str, Any], list[str]]]:
    """Every evidence item once, with the ids of the standards it serves, in first-seen order."""
    items: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for std in data["standards"]:
        for item in std.get("evidence") or []:
            entry = items.setdefault(str(item["id"]), (item, []))
            if std["id"] not in entry[1]:
                entry[1].append(std["id"])
    return list(items.values())


def core_xml(title: str, subject: str, when: dt.date) -> bytes:
    """docProps/core.xml with a fixed author and both dates at the start of `when` (UTC)."""
    stamp = f"{when.isoformat()}T00:00:00Z"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(xml_text(title))}</dc:title>"
        f"<dc:subject>{escape(xml_text(subject))}</dc:subject>"
        f"<dc:creator>{AUTHOR}</dc:creator>"
        f"<cp:lastModifiedBy>{AUTHOR}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


def reproducible_zip(package: bytes, when: dt.date, core: bytes) -> bytes:
    """The package rewritten with fixed entry order, dates and attributes, and `core` as its
    core properties (openpyxl stamps the time of saving there, whatever it was told).

    Entries are stored, not deflated: deflate's bytes differ between zlib builds, and an assessor
    rebuilding the report on another machine must get the same bytes.
    """
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(package)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts[CORE_XML] = core
    order = [n for n in _FIRST if n in parts] + sorted(n for n in parts if n not in _FIRST)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 0  # the same bytes whichever system wrote them
            info.external_attr = 0
            target.writestr(info, parts[name], compress_type=zipfile.ZIP_STORED)
    return out.getvalue()
