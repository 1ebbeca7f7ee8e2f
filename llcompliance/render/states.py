"""How each readiness state looks: mark, words, terminal colour, badge colour. One table for all."""

from __future__ import annotations

from typing import NamedTuple

from llcompliance.core.states import ATTENTION, GAP, READY


class StateLook(NamedTuple):
    """A state as people see it: never colour alone, always a mark and words too."""

    name: str  # the contract token: ready, attention, gap
    mark: str  # one character, readable without colour
    label: str  # a short label for tiles and pills
    colour: str  # the terminal colour (render.text's ANSI table)
    meaning: str  # one sentence for legends
    reason_heading: str  # heading over the reasons a standard is in this state


LOOKS: dict[str, StateLook] = {
    READY: StateLook(
        READY,
        "✓",
        "Ready",
        "green",
        "Self-assessed as met, with supporting evidence that is valid, in date and found.",
        "Why it is ready",
    ),
    ATTENTION: StateLook(
        ATTENTION,
        "!",
        "Needs attention",
        "yellow",
        "Evidence exists, but something needs care: work in progress, or evidence that is "
        "expired, invalid or due for review soon.",
        "What needs attention",
    ),
    GAP: StateLook(
        GAP, "✕", "Gap", "red", "No valid, in-date supporting evidence yet.", "What is missing"
    ),
}

MARK: dict[str, str] = {name: look.mark for name, look in LOOKS.items()}


def words(state: str | None) -> str:
    """`✓ ready`, or a plain phrase for a state a report does not have."""
    return f"{MARK[state]} {state}" if state in MARK else "not in the report"
