"""readiness.xlsx: the evidence matrix in Excel, built from the report dict (openpyxl).

Three sheets: Standards (state in words and reasons), Evidence (one row per item, with the
standards it serves) and Matrix (standards × items, ✓ where an item serves a standard). Every
sheet has a frozen header row, a filter and columns sized to their text; review dates are real
Excel dates; states are words first, colour second.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Any

from llcompliance.core.explain import checklist
from llcompliance.render.explain import not_counting, to_meet
from llcompliance.render.ooxml import (
    AUTHOR,
    as_date,
    core_xml,
    evidence_items,
    item_date,
    kind_of,
    reproducible_zip,
    xml_text,
)
from llcompliance.render.readiness_md import framework_name
from llcompliance.render.states import LOOKS

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

STANDARD_COLUMNS = (
    "Id",
    "Title",
    "Section",
    "State",
    "Self-assessed status",
    "Reasons",
    "Requirements met",
    "Requirements unmet",
    "Evidence items",
)
EVIDENCE_COLUMNS = (
    "Id",
    "Title",
    "Kind",
    "Owner",
    "Date",
    "Review due",
    "State",
    "Where it is",
    "File",
    "Standards",
)
DATE_FORMAT = "yyyy-mm-dd"
TICK = "✓"
_FILLS = {"ready": "C6EFCE", "attention": "FFEB9C", "gap": "FFC7CE"}  # Excel's own good/neutral/bad
_CELL_LIMIT = 32_767  # Excel's longest cell text
_MAX_WIDTH = 60  # columns wider than this wrap instead


def xlsx_bytes(data: dict[str, Any]) -> bytes:
    """readiness.xlsx from the report dict (already masked by build): the same dict and as_of
    give the same bytes."""
    from openpyxl import Workbook

    book = Workbook()
    standards = book.active
    assert standards is not None  # a new workbook always has its first sheet
    standards.title = "Standards"
    _standards_sheet(standards, data)
    items = evidence_items(data)
    _evidence_sheet(book.create_sheet("Evidence"), items)
    _matrix_sheet(book.create_sheet("Matrix"), data, items)
    when = dt.date.fromisoformat(data["as_of"])
    title = f"{data['service']['name']}: evidence matrix on {data['as_of']}"
    props = book.properties
    props.creator = props.lastModifiedBy = AUTHOR
    props.title = xml_text(title)
    props.created = props.modified = dt.datetime(when.year, when.month, when.day)
    out = io.BytesIO()
    book.save(out)
    subject = f"{framework_name(data)} evidence matrix"
    return reproducible_zip(out.getvalue(), when, core_xml(title, subject, when))


def _standards_sheet(sheet: Worksheet, data: dict[str, Any]) -> None:
    from openpyxl.styles import PatternFill

    sections = {s["id"]: s["title"] for s in data["sections"]}
    rows: list[list[object]] = []
    for std in data["standards"]:
        look = LOOKS.get(std["state"])
        items = checklist(std)
        rows.append(
            [
                std["id"],
                std["title"],
                sections.get(std["section"], std["section"]),
                f"{look.mark} {look.label}" if look else std["state"],
                std.get("status") or "",
                "\n".join(str(r) for r in std.get("reasons") or []),  # all: a column to sort on
                "\n".join(f"{i['what']}: met by {', '.join(i['ids'])}" for i in items if i["met"]),
                "\n".join(_unmet_words(i) for i in items if not i["met"]),
                len(std.get("evidence") or []),
            ]
        )
    _fill(sheet, STANDARD_COLUMNS, rows)
    for row_number, std in enumerate(data["standards"], start=2):
        colour = _FILLS.get(std["state"])
        if colour:  # the words say it; the fill only helps the eye
            sheet.cell(row_number, 4).fill = PatternFill("solid", start_color=colour)


def _unmet_words(item: dict[str, Any]) -> str:
    """An unmet requirement group, what would meet it and what is listed but does not count."""
    return ". ".join([f"{item['what']}: not met", to_meet(item), *map(not_counting, item["has"])])


def _evidence_sheet(sheet: Worksheet, items: list[tuple[dict[str, Any], list[str]]]) -> None:
    rows: list[list[object]] = [
        [
            item["id"],
            item.get("title") or "",
            kind_of(item),
            item.get("owner") or "",
            as_date(item_date(item)) or item_date(item),
            as_date(item.get("review_due")) or item.get("review_due") or "",
            item.get("state") or "",
            item.get("location") or "",
            item.get("path") or "",
            ", ".join(served),
        ]
        for item, served in items
    ]
    _fill(sheet, EVIDENCE_COLUMNS, rows)


def _matrix_sheet(
    sheet: Worksheet, data: dict[str, Any], items: list[tuple[dict[str, Any], list[str]]]
) -> None:
    from openpyxl.styles import Alignment

    header = ("Standard", "Title", *(str(item["id"]) for item, _ in items))
    rows: list[list[object]] = [
        [std["id"], std["title"], *(TICK if std["id"] in served else "" for _, served in items)]
        for std in data["standards"]
    ]
    _fill(sheet, header, rows, freeze="C2")
    upwards, centred = (
        Alignment(text_rotation=90, horizontal="center"),
        Alignment(horizontal="center"),
    )
    for column in range(3, len(header) + 1):
        # Item ids read upwards so the grid stays narrow enough to print.
        sheet.cell(1, column).alignment = upwards
        sheet.column_dimensions[_letter(column)].width = 4
        for row in range(2, len(rows) + 2):
            sheet.cell(row, column).alignment = centred
    sheet.row_dimensions[1].height = min(
        max(len(str(item["id"])) for item, _ in items) * 6 + 10 if items else 15, 300
    )


def _fill(
    sheet: Worksheet,
    header: tuple[str, ...],
    rows: list[list[object]],
    *,
    freeze: str = "B2",
) -> None:
    """Header and rows, a frozen header, a filter over all of it and columns sized to fit."""
    from openpyxl.styles import Alignment, Font

    sheet.append(list(header))
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    # one instance of each style: openpyxl files styles by value, so sharing them changes no byte
    # and saves building one per cell
    top, top_wrap = Alignment(vertical="top"), Alignment(wrap_text=True, vertical="top")
    widths = [len(h) for h in header]
    heights: dict[int, int] = {}  # lines of wrapped text per row, set below as row heights
    for row_number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row_number, column)
            wrap = False
            if isinstance(value, dt.date):
                cell.value = value
                cell.number_format = DATE_FORMAT
                length = 10
            elif isinstance(value, int):
                cell.value = value
                length = len(str(value))
            else:
                text = xml_text(value)[:_CELL_LIMIT]
                cell.value = text
                # Text that starts with "=" stays text: a title must never run as a formula.
                cell.data_type = "s"
                length = max((len(line) for line in text.split("\n")), default=0)
                wrap = "\n" in text or length > _MAX_WIDTH
                if wrap:
                    lines = sum(-(-len(line) // _MAX_WIDTH) or 1 for line in text.split("\n"))
                    heights[row_number] = max(heights.get(row_number, 1), lines)
            cell.alignment = top_wrap if wrap else top
            widths[column - 1] = max(widths[column - 1], length)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[_letter(column)].width = min(width + 2, _MAX_WIDTH)
    for row_number, lines in heights.items():
        # Not every spreadsheet grows a row to fit wrapped text when it opens the file.
        sheet.row_dimensions[row_number].height = 15 * lines
    sheet.freeze_panes = freeze
    sheet.auto_filter.ref = f"A1:{_letter(len(header))}{len(rows) + 1}"
    sheet.print_title_rows = "1:1"  # the header row on every printed page
    sheet.print_options.gridLines = True  # a printed grid is readable without the screen's lines
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)
