"""Every rendered file of a report folder, from the report dict: bytes only, no signing, no I/O."""

from __future__ import annotations

import json
from typing import Any

from llcompliance.render import badge
from llcompliance.render.html import render_html
from llcompliance.render.readiness_md import framework_name, render_markdown
from llcompliance.report.build import BADGE_JSON, BADGE_SVG, HTML_NAME, MD_NAME


def report_files(data: dict[str, Any], base: str) -> dict[str, bytes]:
    """readiness.md, readiness.html, badge.json and badge.svg by file name; links start with `base`.

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
    }
