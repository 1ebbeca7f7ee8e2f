"""The accreditation timeline, the trend chart and the PR body's open actions (DESIGN §9)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from conftest import DATA

from llcompliance.render import timeline
from llcompliance.render.pr_body import pr_body
from llcompliance.render.trend_svg import month_ticks, trend_chart, value_ticks
from llcompliance.report import model

SAMPLE = DATA / "readiness-sample.json"
AS_OF = "2026-11-23"


def _sample() -> dict[str, Any]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _cycle(**given: Any) -> dict[str, Any]:
    items = given.pop("items", [])
    return {
        "present": True,
        "valid": True,
        "actions": {"total": len(items), "done": 0, "open": 0, "overdue": 0, "items": items},
        "due": [],
        **given,
    }


def test_an_awarded_cycle_shows_outcome_reaccreditation_and_expiry() -> None:
    cycle = _cycle(
        applied="2024-01-10",
        visit="2024-03-05",
        outcome="accredited",
        awarded="2024-04-01",
        expires="2027-04-01",
        expires_default=True,
        reaccreditation_opens="2026-10-01",
    )
    steps = timeline.timeline(cycle, AS_OF)
    assert [(s.title, s.status, s.when) for s in steps] == [
        ("Applied", "done", "1048 days ago"),
        ("Assessment visit", "done", "993 days ago"),
        ("Outcome: Accredited", "done", "966 days ago"),
        ("Re-accreditation window opens", "done", "53 days ago"),
        ("This report", "today", "today"),
        ("Accreditation expires", "upcoming", "in 129 days"),
    ]
    assert "3 years after the award" in steps[-1].detail
    assert [s.mark for s in steps][-2:] == ["●", "→"]


def test_a_missed_application_window_and_late_actions_are_overdue() -> None:
    cycle = _cycle(
        manager_qualified="2025-10-01",
        application_due="2026-10-01",
        items=[
            {"id": "A2", "standard": "SP4", "action": "Later", "due": "2027-01-05",
             "done": None, "overdue": False},
            {"id": "A1", "standard": "HR2", "action": "Late", "due": "2026-11-22",
             "done": None, "overdue": True},
            {"id": "A0", "standard": None, "action": "Finished", "due": "2026-01-01",
             "done": "2025-12-20", "overdue": False},
        ],
    )  # fmt: skip
    steps = timeline.timeline(cycle, AS_OF)
    window = next(s for s in steps if s.title == "Application window ends")
    assert (window.status, window.when, window.mark) == ("overdue", "overdue by 53 days", "✕")
    late = next(s for s in steps if s.title == "Action A1 due")
    assert (late.status, late.when, late.standard) == ("overdue", "overdue by 1 day", "HR2")
    assert not any("A0" in s.title for s in steps)  # done actions are in the plan, not the line
    assert [a["id"] for a in timeline.action_plan(cycle)] == ["A1", "A2", "A0"]


def test_no_dates_no_timeline() -> None:
    assert timeline.timeline(_cycle(), AS_OF) == []


def test_ticks() -> None:
    assert value_ticks(23) == [0, 5, 10, 15, 20, 25]
    assert value_ticks(3) == [0, 1, 2, 3]
    assert value_ticks(7) == [0, 2, 4, 6, 8]
    ticks = month_ticks(dt.date(2024, 1, 15), dt.date(2026, 11, 23))
    assert len(ticks) <= 8 and all(t.day == 1 for t in ticks)
    assert month_ticks(dt.date(2026, 11, 2), dt.date(2026, 11, 20)) == []


def _points(*days: tuple[str, int]) -> list[dict[str, Any]]:
    return [
        {"date": d, "commit": "a" * 40, "ready": r, "attention": 1, "gap": 9 - r, "total": 10}
        for d, r in days
    ]


def test_chart_of_one_point_and_of_none() -> None:
    assert str(trend_chart([])) == ""
    one = str(trend_chart(_points(("2026-11-23", 4))))
    assert "On 23 November 2026, 4 of 10 standards were ready" in one
    assert ">23 Nov 2026</text>" in one  # a short history names its day, not months


def test_chart_skips_a_point_it_cannot_place_and_escapes() -> None:
    """A hand-edited report's odd date is left off the chart (the table still shows it)."""
    points = _points(("2026-10-01", 2), ("<b>soon</b>", 3), ("2026-11-23", 5))
    chart = str(trend_chart(points))
    assert "<b>" not in chart and chart.count("<circle") == 2
    assert "from 2 of 10 on 1 October 2026 to 5 of 10 on 23 November 2026" in chart


def test_chart_bytes_are_stable() -> None:
    points = _points(("2026-01-05", 0), ("2026-06-30", 4), ("2026-11-23", 7))
    assert str(trend_chart(points)) == str(trend_chart(list(reversed(points))))


def test_model_reads_the_cycle_and_the_trend() -> None:
    report = model.parse(_sample())
    assert report.accreditation is not None and report.accreditation.present
    assert [a.id for a in report.accreditation.open_actions()] == ["A1", "A2"]
    assert [a.id for a in report.accreditation.open_actions("SP4")] == ["A2"]
    assert report.trend[-1].ready == 15 and report.trend[-1].date == AS_OF
    old = _sample()
    del old["accreditation"], old["trend"]
    assert model.parse(old).accreditation is None and model.parse(old).trend == ()


def test_pr_body_lists_open_actions_under_their_standards() -> None:
    body = pr_body(model.parse(_sample()), base_url="")
    hr2 = body[body.index("### HR2") :]
    hr2 = hr2[: hr2.index("- [ ] HR2 reviewed")]
    assert (
        "**Open actions:** **A1** Board to re-approve the lone working policy "
        "(Chief Executive), **overdue** since 2026-10-31." in hr2
    )
    gv7 = body[body.index("### GV7") :]
    assert "Open actions" not in gv7[: gv7.index("- [ ] GV7 reviewed")]  # its action is done
    assert "## Action plan\n\n2 open actions, **1 overdue**" in body


def test_pr_body_without_a_cycle_has_no_actions() -> None:
    old = _sample()
    del old["accreditation"]
    body = pr_body(model.parse(old), base_url="")
    assert "Open actions" not in body and "## Action plan" not in body
