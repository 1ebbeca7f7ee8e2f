"""The fleet's memory across runs: each run's verified results in one SQLite file in --out, so
the page can show each service's readiness over time (unverified results are never recorded)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from llcompliance.errors import UsageError
from llcompliance.report.fleet import Fleet

HISTORY_NAME = "fleet-history.sqlite"
POINTS = 24  # runs shown per service

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    generated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS results (
    run INTEGER NOT NULL REFERENCES runs(id),
    service TEXT NOT NULL,
    commit_id TEXT NOT NULL,
    as_of TEXT NOT NULL,
    total INTEGER NOT NULL,
    ready INTEGER NOT NULL,
    attention INTEGER NOT NULL,
    gap INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS results_service ON results(service, run);
"""


@dataclass(frozen=True)
class Point:
    """One service's verified result in one run."""

    generated: str
    as_of: str
    total: int
    ready: int
    attention: int
    gap: int


def record(out: Path, fleet: Fleet) -> dict[str, tuple[Point, ...]]:
    """Append this run's verified results; return each service's last POINTS runs, oldest first."""
    path = out / HISTORY_NAME
    try:
        with contextlib.closing(sqlite3.connect(path)) as db, db:
            db.executescript(_SCHEMA)
            run = db.execute("INSERT INTO runs (generated) VALUES (?)", (fleet.generated,))
            db.executemany(
                "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run.lastrowid,
                        s.name,
                        s.commit,
                        s.as_of,
                        s.summary["total"],
                        s.summary["ready"],
                        s.summary["attention"],
                        s.summary["gap"],
                    )
                    for s in fleet.services
                    if s.verified and s.summary is not None
                ],
            )
            return _points(db, [s.name for s in fleet.services])
    except sqlite3.Error as exc:
        raise UsageError(
            f"{path}: cannot keep the fleet's history ({exc}); move the file away to start afresh"
        ) from None


def _points(db: sqlite3.Connection, names: Sequence[str]) -> dict[str, tuple[Point, ...]]:
    found: dict[str, tuple[Point, ...]] = {}
    for name in names:
        rows = db.execute(
            "SELECT runs.generated, as_of, total, ready, attention, gap FROM results "
            "JOIN runs ON runs.id = results.run WHERE service = ? ORDER BY run DESC LIMIT ?",
            (name, POINTS),
        ).fetchall()
        found[name] = tuple(Point(*row) for row in reversed(rows))
    return found
