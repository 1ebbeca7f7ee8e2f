"""Peer comparison: the labelled personal-data corpus through scrubadub and through llcompliance.

Prints precision and recall per rule side by side. scrubadub is not a dependency: install it
(`pip install scrubadub`) in the venv that runs this script; without it only our figures print.
Its name detectors need TextBlob corpora or a spaCy model downloaded at run time, so names are
compared with nothing (our figures only). `make bench` can call `python bench/peer.py`.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from llcompliance.guard.detectors import Allowlist, ScanRules, scan_text  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "personal-data"
# scrubadub filth type -> our rule id, for the identifiers both look for.
PEER_RULES = {
    "email": "email",
    "phone": "phone",
    "postalcode": "postcode",
    "national_insurance_number": "ni-number",
    "date_of_birth": "date-of-birth",
}
RULES = ("postcode", "phone", "email", "ni-number", "date-of-birth", "person-name")


def load(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((CORPUS / name).read_text(encoding="utf-8")) or []


def corpus_rules() -> ScanRules:
    config = yaml.safe_load((CORPUS / "config.yaml").read_text(encoding="utf-8"))
    allow = config["allow"]
    return ScanRules(
        allowlist=Allowlist(
            phones=frozenset(allow["phones"]),
            emails=frozenset(allow["emails"]),
            email_domains=frozenset(allow["email_domains"]),
            postcodes=frozenset(allow["postcodes"]),
        ),
        case_reference_patterns=tuple(config["case_reference_patterns"]),
    )


def peer() -> tuple[str, Callable[[str], set[str]]] | None:
    """scrubadub's detector, mapped to our rule ids, or None when it is not installed."""
    try:
        import scrubadub  # type: ignore[import-not-found]
    except ImportError:
        return None
    scrubber = scrubadub.Scrubber(locale="en_GB")
    with contextlib.suppress(Exception):  # an optional detector (it needs dateparser)
        scrubber.add_detector(scrubadub.detectors.DateOfBirthDetector)

    def find(text: str) -> set[str]:
        return {PEER_RULES[f.type] for f in scrubber.iter_filth(text) if f.type in PEER_RULES}

    return f"scrubadub {scrubadub.__version__}", find


def ours(rules: ScanRules) -> Callable[[str], set[str]]:
    return lambda text: {m.rule for m in scan_text(text, rules).matches}


def score(
    entries: list[dict[str, Any]], find: Callable[[str], set[str]], compared: set[str]
) -> tuple[dict[str, tuple[float, float, int]], float]:
    """(precision, recall, labelled) per compared rule, and seconds taken."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    start = time.perf_counter()
    for entry in entries:
        expected = set(entry.get("rules") or []) & compared
        found = find(entry["text"]) & compared
        tp.update(found & expected)
        fp.update(found - expected)
        fn.update(expected - found)
    seconds = time.perf_counter() - start
    out = {}
    for rule in compared:
        flagged, labelled = tp[rule] + fp[rule], tp[rule] + fn[rule]
        out[rule] = (
            tp[rule] / flagged if flagged else 1.0,
            tp[rule] / labelled if labelled else 1.0,
            labelled,
        )
    return out, seconds


def main() -> int:
    entries = load("positives.yaml") + load("negatives.yaml") + load("blind-names.yaml")
    mine, my_time = score(entries, ours(corpus_rules()), set(RULES))
    other = peer()
    theirs: dict[str, tuple[float, float, int]] = {}
    name = "scrubadub (not installed: pip install scrubadub)"
    their_time = 0.0
    if other is not None:
        name, find = other
        theirs, their_time = score(entries, find, set(PEER_RULES.values()))
    print(f"{len(entries)} labelled texts (corpus + blind names set); peer: {name}")
    print(
        f"{'rule':15} {'labelled':>8} | {'ours P':>7} {'ours R':>7} | {'peer P':>7} {'peer R':>7}"
    )
    for rule in RULES:
        p, r, n = mine[rule]
        if rule in theirs:
            pp, pr, _ = theirs[rule]
            peer_cols = f"{pp:7.3f} {pr:7.3f}"
        else:
            peer_cols = f"{'n/a':>7} {'n/a':>7}"
        print(f"{rule:15} {n:8} | {p:7.3f} {r:7.3f} | {peer_cols}")
    print(f"time: ours {my_time * 1000:.0f} ms, peer {their_time * 1000:.0f} ms")
    if "person-name" not in theirs:
        print(
            "person-name: no peer figures; scrubadub's name detectors need TextBlob corpora or a "
            "spaCy model fetched at run time, which this toolkit does not do"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
