"""The accreditation timeline and action plan for the HTML report, from the report's
`accreditation` object (DESIGN §9): plain rows the template shows, every state in words too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# How a milestone stands on the report's day: a mark and words, never colour alone.
DONE, TODAY, UPCOMING, OVERDUE = "done", "today", "upcoming", "overdue"
MARKS = {DONE: "✓", TODAY: "●", UPCOMING: "→", OVERDUE: "✕"}
OUTCOME_WORDS = {
    "accredited": "Accredited",
    "deferred": "Decision deferred",
    "not-accredited": "Not accredited",
}


@dataclass(frozen=True)
class Milestone:
    """One dated step of the cycle, or an open action, as the timeline lists it."""

    date: str
    title: str
    detail: str
    status: str  # done, today, upcoming or overdue
    when: str  # "in 7 days", "23 days ago", "overdue by 5 days", "today"
    standard: str | None = None

    @property
    def mark(self) -> str:
        """A character that tells the status without colour."""
        return MARKS[self.status]


def _days(iso: str | None, as_of: str) -> int | None:
    try:
        return (dt.date.fromisoformat(str(iso)) - dt.date.fromisoformat(as_of)).days
    except ValueError:
        return None


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _when(days: int | None, status: str) -> str:
    if days is None:
        return ""
    if days == 0:
        return "today"
    if status == OVERDUE:
        return f"overdue by {_plural(-days, 'day')}"
    return f"in {_plural(days, 'day')}" if days > 0 else f"{_plural(-days, 'day')} ago"


def _step(
    date: str | None, title: str, detail: str, as_of: str, *, late: bool = False
) -> Milestone | None:
    """A milestone on `date`; `late` means a past date is overdue rather than done."""
    if not date:
        return None
    days = _days(date, as_of)
    if days is None or days > 0:
        status = UPCOMING
    elif days == 0:
        status = TODAY
    else:
        status = OVERDUE if late else DONE
    return Milestone(date, title, detail, status, _when(days, status))


def timeline(cycle: Mapping[str, Any], as_of: str) -> list[Milestone]:
    """The cycle's dates and the open actions, in date order, with the report's day among them."""
    steps = [
        _step(
            cycle.get("manager_qualified"),
            "Service Manager qualified",
            "Completed the accredited training: the application must follow within 12 months.",
            as_of,
        ),
    ]
    if cycle.get("applied"):
        steps.append(_step(cycle["applied"], "Applied", "The application was made.", as_of))
    else:
        steps.append(
            _step(
                cycle.get("application_due"),
                "Application window ends",
                "Apply by this date, or the manager's training may need renewing.",
                as_of,
                late=True,
            )
        )
    steps.append(_step(cycle.get("visit"), "Assessment visit", "The assessors visit.", as_of))
    outcome = cycle.get("outcome")
    if outcome:
        words = OUTCOME_WORDS.get(str(outcome), str(outcome))
        steps.append(
            _step(
                cycle.get("awarded") or cycle.get("visit") or as_of,
                f"Outcome: {words}",
                "The accreditation panel's decision.",
                as_of,
            )
        )
    steps.append(
        _step(
            cycle.get("reaccreditation_opens"),
            "Re-accreditation window opens",
            "Start preparing to apply again before accreditation expires.",
            as_of,
        )
    )
    default = " (3 years after the award)" if cycle.get("expires_default") else ""
    steps.append(
        _step(
            cycle.get("expires"),
            "Accreditation expires",
            f"The end of the accreditation{default}.",
            as_of,
            late=True,
        )
    )
    for action in open_actions(cycle):
        step = _step(
            action.get("due"),
            f"Action {action.get('id')} due",
            str(action.get("action") or ""),
            as_of,
            late=True,
        )
        if step is not None:
            steps.append(
                Milestone(
                    step.date,
                    step.title,
                    step.detail,
                    step.status,
                    step.when,
                    standard=action.get("standard"),
                )  # fmt: skip
            )
    shown = [s for s in steps if s is not None]
    if shown:
        shown.append(Milestone(as_of, "This report", "The evidence is judged as of this day.",
                               TODAY, "today"))  # fmt: skip
    order = {DONE: 0, OVERDUE: 1, TODAY: 2, UPCOMING: 3}
    return sorted(shown, key=lambda m: (str(m.date), order[m.status], m.title == "This report"))


def open_actions(cycle: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Actions not yet done, overdue first, then by due date."""
    items = cycle.get("actions", {}).get("items", [])
    chosen = [a for a in items if not a.get("done")]
    return sorted(chosen, key=lambda a: (not a.get("overdue"), str(a.get("due")), str(a.get("id"))))


def action_plan(cycle: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every action for the table: open ones first (overdue first, then by due date), then done."""
    items = cycle.get("actions", {}).get("items", [])
    done = sorted(
        (a for a in items if a.get("done")), key=lambda a: (str(a.get("done")), str(a.get("id")))
    )
    return open_actions(cycle) + done
