"""`explain`: a standard, its section's spirit, guidance, and this repo's evidence with states."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from llcompliance.core import workspace
from llcompliance.core.coverage import compute, standard_dict
from llcompliance.errors import UsageError


def explain(root: Path, standard_id: str, as_of: dt.date) -> dict[str, Any]:
    """Everything known about one standard, as a JSON-ready dict."""
    ws = workspace.load(root, today=as_of)
    for cat in ws.catalogues:
        standard = cat.standard(standard_id)
        if standard is None:
            continue
        section = cat.section(standard.section)
        result = next(r for r in compute(ws, as_of, cat).standards if r.id == standard_id)
        assessment = ws.self_assessments.get(standard_id)
        return {
            "framework": {
                "id": cat.id,
                "title": cat.title,
                "source": cat.source,
                "attribution": cat.attribution,
            },
            "id": standard.id,
            "title": standard.title,
            "statement": standard.statement,
            "section": {"id": section.id, "title": section.title, "spirit": section.spirit},
            "guidance": list(standard.guidance),
            "self_assessment": assessment.path if assessment else None,
            "as_of": as_of.isoformat(),
            **{
                k: v
                for k, v in standard_dict(result).items()
                if k not in ("id", "section", "title")
            },
        }
    known = ", ".join(s.id for s in ws.framework.standards)
    shown = re.sub(r"[^\w.-]", "?", standard_id[:40]) + ("…" if len(standard_id) > 40 else "")
    raise UsageError(f"no standard '{shown}': choose one of {known}")
