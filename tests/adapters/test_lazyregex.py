"""The hook path's import cost: guard patterns are compiled on first use, not at import."""

from __future__ import annotations

import subprocess
import sys

from llcompliance.adapters.lazyregex import lazy

_PROBE = (
    "from llcompliance.adapters.lazyregex import LazyPattern\n"
    "from llcompliance.guard import detectors, names, roster\n"
    "mods = (detectors, names, roster)\n"
    "lazies = [v for m in mods for v in vars(m).values() if isinstance(v, LazyPattern)]\n"
    "print(len(lazies), sum(v._compiled is not None for v in lazies))\n"
)


def test_importing_the_detectors_compiles_no_pattern() -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True)
    count, compiled = map(int, out.stdout.split())
    assert count > 30
    assert compiled == 0


def test_lazy_pattern_behaves_like_re() -> None:
    pattern = lazy(r"(?P<d>\d+)")
    assert pattern.search("ab 12").group("d") == "12"  # type: ignore[union-attr]
    assert [m.group() for m in pattern.finditer("1 22 333", 2)] == ["22", "333"]
    assert pattern.fullmatch("42") is not None and pattern.match("x1") is None
    assert pattern.sub("#", "a1b22") == "a#b#" and pattern.findall("1 2") == ["1", "2"]
