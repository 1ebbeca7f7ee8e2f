"""`explain`: a standard, its section's spirit, guidance, and this repo's evidence with states."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from llcompliance.core import workspace
from llcompliance.core.config import DEFAULT_MAX_EVIDENCE_AGE_MONTHS, Config
from llcompliance.core.coverage import KIND_NOUNS, compute, requirement_reason, standard_dict
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
        entry = standard_dict(result)
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
            **{k: v for k, v in entry.items() if k not in ("id", "section", "title")},
            "checklist": checklist(entry, ws.config),
        }
    known = ", ".join(s.id for s in ws.framework.standards)
    shown = re.sub(r"[^\w.-]", "?", standard_id[:40]) + ("…" if len(standard_id) > 40 else "")
    raise UsageError(f"no standard '{shown}': choose one of {known}")


# Why a listed item does not count, in a manager's words (core.coverage's states and problems).
NOT_COUNTING = {
    "expired": "past its review date",
    "invalid": "has errors",
    "unresolved": "its location cannot be found",
    "draft": "a draft, not yet approved",
    "approved-later": "approved after the as-of date",
    "short": "too short to count",
    "no-kind": "does not say its kind",
    "undated": "has no date",
    "stale": "too old to count",
    "future": "dated after the as-of date",
}
_ANY_MONTHS = 987_654_321  # stands for "any number of months" when matching a reason's text


def kinds_words(kinds: Sequence[str]) -> str:
    """A requirement group's kinds as words: 'an approved policy or a plan'."""
    nouns = [KIND_NOUNS.get(k, k) for k in kinds]
    return nouns[0] if len(nouns) == 1 else ", ".join(nouns[:-1]) + " or " + nouns[-1]


def needs_text(
    standard_id: str, kinds: Sequence[str], reasons: Sequence[str], config: Config | None = None
) -> str:
    """What would meet a requirement group: core's reason text for it.

    With the repo's `config` it is worked out exactly; from a report (no config) it is the
    matching entry of the standard's `reasons`, or the text with the default evidence age.
    """
    if config is not None:
        return requirement_reason(standard_id, tuple(kinds), config)
    probe = requirement_reason(standard_id, tuple(kinds), _config(_ANY_MONTHS))
    pattern = re.compile(re.escape(probe).replace(str(_ANY_MONTHS), r"\d+"))
    found = next((r for r in reasons if pattern.fullmatch(r)), None)
    return found or requirement_reason(
        standard_id, tuple(kinds), _config(DEFAULT_MAX_EVIDENCE_AGE_MONTHS)
    )


def _config(months: int) -> Config:
    return Config(
        service="",
        organisation=None,
        catalogues=(),
        due_soon_days=0,
        max_evidence_age_months=months,
    )


def checklist(standard: Mapping[str, Any], config: Config | None = None) -> list[dict[str, Any]]:
    """A standard's requirement groups as a checklist a manager can act on.

    `standard` is shaped as in readiness.json. Each entry: `kinds`, `met`, `ids` (the items that
    meet it), `what` (the kinds in words), `needs` (what would meet it, for an unmet group) and
    `has` (items of those kinds that list the standard but do not count, each with `why`).
    """
    entries = []
    for req in standard.get("requirements") or ():
        kinds = list(req["kinds"])
        has = [
            {"id": e["id"], "why": _why(e)}
            for e in standard.get("evidence") or ()
            if e.get("evidence_kind") in kinds and not e.get("counts")
        ]
        entries.append(
            {
                "kinds": kinds,
                "met": bool(req["met"]),
                "ids": list(req["ids"]),
                "what": kinds_words(kinds),
                "needs": None
                if req["met"]
                else needs_text(standard["id"], kinds, standard.get("reasons") or (), config),
                "has": has,
            }
        )
    return entries


def _why(entry: Mapping[str, Any]) -> str:
    causes = [entry.get("state"), *(entry.get("problems") or ())]
    words = [NOT_COUNTING[c] for c in causes if c in NOT_COUNTING]
    if "stale" in causes and entry.get("date"):  # the date tells a manager how far behind it is
        words = [f"dated {entry['date']}, {w}" if w == NOT_COUNTING["stale"] else w for w in words]
    return "; ".join(dict.fromkeys(words)) or "does not count"


def other_reasons(standard: Mapping[str, Any], items: Sequence[Mapping[str, Any]]) -> list[str]:
    """The standard's reasons less those a checklist already shows as `needs`."""
    shown = {i["needs"] for i in items if i["needs"]}
    return [r for r in standard.get("reasons") or () if r not in shown]
