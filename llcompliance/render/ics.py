"""`status --format ics`: an RFC 5545 calendar (through the icalendar library) whose events keep
their UIDs from run to run, so a subscribed calendar updates them instead of adding duplicates."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from llcompliance.core.accreditation import Due, Status
from llcompliance.render.status import summary_line, what_to_do

PRODID = "-//llcompliance//accreditation status//EN"


def uid(identity: str, due: Due) -> str:
    """A UID from the repo's identity, the event's kind and its id: never from a date, so a
    moved date updates the same event."""
    digest = hashlib.sha256(f"{identity}\0{due.kind}\0{due.id}".encode()).hexdigest()[:32]
    return f"{digest}@llcompliance"


def calendar(
    status: Status, identity: str, service: str, *, mask: Callable[[str], str] = str
) -> str:
    """The calendar as text: one all-day VEVENT per date, sorted, stamped with `as_of` (the
    same inputs give the same bytes)."""
    import icalendar  # lazy: only this format needs it

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{mask(service)}: accreditation and reviews")
    stamp = dt.datetime.combine(status.as_of, dt.time(0, 0), tzinfo=dt.timezone.utc)
    events = sorted(status.due, key=lambda d: (d.date, uid(identity, d)))
    for due in events:
        event = icalendar.Event()
        event.add("uid", uid(identity, due))
        event.add("dtstamp", stamp)
        event.add("dtstart", due.date)
        event.add("dtend", due.date + dt.timedelta(days=1))
        event.add("summary", summary_line(due, mask))
        event.add("description", f"{due.path}:{due.line}: {what_to_do(due, status)}")
        event.add("categories", [due.kind])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    text: str = cal.to_ical().decode("utf-8")
    return text
