"""`status` and `coverage --trend` for people: what falls due next, and readiness over time."""

from __future__ import annotations

from collections.abc import Callable

from llcompliance.core import accreditation as acc_mod
from llcompliance.core.accreditation import Due, Status
from llcompliance.core.trend import TrendPoint

_TITLES = {
    acc_mod.APPLICATION: "Application window ends",
    acc_mod.VISIT: "Assessment visit",
    acc_mod.ACTION: "Action",
    acc_mod.REACCREDITATION: "Re-accreditation window opens",
    acc_mod.EXPIRY: "Accreditation expires",
    acc_mod.REVIEW: "Review due",
    acc_mod.STALE: "Evidence goes out of date",
}


def summary_line(due: Due, mask: Callable[[str], str] = str) -> str:
    """One line saying what falls due (also a calendar event's summary)."""
    title = _TITLES[due.kind]
    if due.kind == acc_mod.ACTION:
        standard = f" ({due.standard})" if due.standard else ""
        return f"{title} {due.id}{standard}: {mask(due.subject)}"
    if due.kind in (acc_mod.REVIEW, acc_mod.STALE):
        return f"{title}: {mask(due.subject)} ({due.id})"
    return title


def what_to_do(due: Due, status: Status) -> str:
    """What a person should do about it, in plain words."""
    prog = status.programme
    if due.kind == acc_mod.APPLICATION:
        return (
            f"apply within {prog.application_window_months} months of the Service Manager's "
            f"training ({due.since}); then record `applied:` in accreditation.yaml"
        )
    if due.kind == acc_mod.VISIT:
        return "prepare staff interviews and case files; record `outcome:` after the decision"
    if due.kind == acc_mod.ACTION:
        return "when it is done, add `done: DATE` to the action in accreditation.yaml"
    if due.kind == acc_mod.REACCREDITATION:
        return f"start re-accreditation now: accreditation ends {due.since}"
    if due.kind == acc_mod.EXPIRY:
        return "re-accreditation must be complete by then"
    if due.kind == acc_mod.REVIEW:
        return "review it, then update review_due (and approved, once re-approved)"
    return f"dated {due.since}: add newer evidence for the period since"


def status_text(
    status: Status, service: str, *, mask: Callable[[str], str] = str, verbose: bool = True
) -> str:
    """The status as people read it: overdue first, then soonest; then eligibility."""
    horizon = status.as_of.toordinal() + status.within
    lines = [f"{mask(service)}: what falls due (as of {status.as_of}, next {status.within} days)"]
    if not status.present:
        lines.append(
            "No accreditation.yaml: add one (see the commented template) to track the "
            "application, the visit, the action plan and expiry."
        )
    overdue = [d for d in status.due if d.overdue]
    upcoming = [d for d in status.due if not d.overdue]
    for heading, entries in (("Overdue", overdue), ("Coming up", upcoming)):
        if not entries:
            continue
        lines += ["", f"{heading}:"]
        for due in entries:
            days = due.date.toordinal() - status.as_of.toordinal()
            when = (
                f"{-days} days ago" if days < 0 else ("today" if days == 0 else f"in {days} days")
            )
            owner = f" — {mask(due.owner)}" if due.owner else ""
            lines.append(f"  {due.date}  {summary_line(due, mask)}{owner} ({when})")
            if verbose:
                lines.append(f"              {due.path}:{due.line}: {what_to_do(due, status)}")
    if not status.due:
        lines += ["", f"Nothing falls due by {status.as_of.fromordinal(horizon)}."]
    acc = status.accreditation
    if acc is not None and acc.applied is None and status.eligibility:
        shown = sum(1 for row in status.eligibility if row["shown"])
        lines += [
            "",
            f"Before applying: {shown} of {len(status.eligibility)} eligibility checks "
            "answered yes with evidence.",
        ]
        for row in status.eligibility:
            if not row["shown"]:
                answer = {True: "yes, but no evidence found", False: "no", None: "not answered"}
                lines.append(f"  - {row['question']} ({row['id']}: {answer[row['answer']]})")
    return "\n".join(lines)


def trend_text(points: list[TrendPoint]) -> str:
    """Ready standards on each day the repo changed, with a bar each."""
    if not points:
        return "No history to show yet: commit your evidence first."
    total = max(p.total for p in points)
    lines = [f"Ready standards on each day the repo changed ({len(points)} days):"]
    for point in points:
        lines.append(f"  {point.date}  {point.ready:>3}/{point.total:<3} {'#' * point.ready}")
    first, last = points[0], points[-1]
    lines.append(f"From {first.ready} to {last.ready} of {total} ready.")
    return "\n".join(lines)
