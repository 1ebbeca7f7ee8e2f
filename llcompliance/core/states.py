"""The three readiness states and their order: the one definition every layer uses."""

from __future__ import annotations

from typing import Final

READY: Final = "ready"
ATTENTION: Final = "attention"
GAP: Final = "gap"
STATES: Final = (READY, ATTENTION, GAP)  # the order reports list them in
STATE_RANK: Final = {GAP: 0, ATTENTION: 1, READY: 2}  # higher is better: a drop is a regression
