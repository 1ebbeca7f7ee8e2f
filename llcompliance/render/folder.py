"""Every rendered file of a report folder, from the report dict: bytes only, no signing, no I/O."""

from __future__ import annotations

import json
from typing import Any

from llcompliance.render import badge
from llcompliance.render.docx import docx_bytes
from llcompliance.render.html import render_html
from llcompliance.render.readiness_md import framework_name, render_markdown
from llcompliance.render.xlsx import xlsx_bytes
from llcompliance.report.build import (
    BADGE_JSON,
    BADGE_SVG,
    DOCX_NAME,
    HTML_NAME,
    MD_NAME,
    XLSX_NAME,
)


def report_files(data: dict[str, Any], base: str) -> dict[str, bytes]:
    """readiness.md, readiness.html, the badges, and the Word dossier and Excel matrix, by file name;
    links start with `base`. Every one is reproducible from the data, so verify can render it again.

    readiness.json, its signature and the in-toto statement are not rendered: publish adds them.
    """
    summary = data["summary"]
    badge_data = badge.badge_json(
        summary["ready"], summary["total"], label=badge.label(framework_name(data))
    )
    return {
        MD_NAME: render_markdown(data, base).encode("utf-8"),
        HTML_NAME: render_html(data).encode("utf-8"),
        BADGE_JSON: (json.dumps(badge_data, sort_keys=True, indent=2) + "\n").encode("utf-8"),
        BADGE_SVG: badge.badge_svg(
            str(badge_data["label"]), str(badge_data["message"]), str(badge_data["color"])
        ).encode("utf-8"),
        DOCX_NAME: docx_bytes(data),
        XLSX_NAME: xlsx_bytes(data),
    }
