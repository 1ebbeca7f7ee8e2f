"""The client roster: keyed hashes of the service's own client names, kept outside any repo (§7).

No regex finds a bare name; a list of the names that matter does, with near-perfect precision. The
roster holds only HMAC-SHA256 digests (the first 8 bytes) of each name's normalised form under a
random 32-byte key kept in the same file, so the file says nothing to someone without a guess list
and nothing at all in a repo's history, because it is never allowed into one.

How names are compared (the same on both sides, at import and at scan time):
- a name is a sequence of words: runs of letters, joined through an apostrophe ("O'Brien"); any
  other character separates words, so "Smith-Jones" is two words and "Roe, Jane" is "Roe Jane";
- each word is compared without accents, case-folded, apostrophes and a possessive "'s" removed;
- word order does not matter: the words are sorted before hashing, so an entry "Jane Roe" finds
  "Jane Roe", "ROE, Jane" and "Roe Jane" (never "Jane" or "Roe" alone);
- an entry of three or more words also finds its first and last word together ("Jane Mary Roe"
  finds "Jane Roe"); up to 4 words are compared, and an entry of a single word finds that word.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from llcompliance.adapters import gitrepo
from llcompliance.adapters.fsutil import read_capped, write_atomic
from llcompliance.adapters.lazyregex import lazy
from llcompliance.errors import ConfigError, LLCError, UsageError

ENV_VAR = "LLCOMPLIANCE_ROSTER"
FORMAT = "llcompliance-roster"
VERSION = 1
MAX_WORDS = 4
DIGEST_BYTES = 8  # 64 bits: no chance collision in any real scan, and a small file (a CI secret)
MAX_EXPORT_BYTES = 64 * 1024 * 1024
MAX_ROSTER_BYTES = 64 * 1024 * 1024
GITHUB_SECRET_BYTES = 48 * 1024  # GitHub's limit on one secret's value

# Letters (with combining accents), joined through an apostrophe: "O'Brien", "D’Souza", "Zoë".
_WORD = lazy(r"(?:[^\W\d_]|[\u0300-\u036f])+(?:['’](?:[^\W\d_]|[\u0300-\u036f])+)*")
_APOSTROPHES = str.maketrans("", "", "'’")
_POSSESSIVE = lazy(r"['’]s$", re.I)
# A first cell like these in a .csv export is its header row, not a name.
_HEADER_WORDS = frozenset(
    {"name", "names", "client", "clients", "surname", "forename", "forenames", "fullname"}
    | {"full", "person", "user", "service", "survivor", "first", "last", "given", "family"}
)


class Roster(NamedTuple):
    """A loaded roster: the key, the digests, and which word counts they cover."""

    key: bytes
    digests: frozenset[bytes]
    sizes: tuple[int, ...]  # word counts present, longest first
    entries: int
    imported: str
    path: Path | None = None


class NameHit(NamedTuple):
    """A roster name in a text: its span and a masked form ("J*** R**")."""

    start: int
    end: int
    masked: str


# --------------------------------------------------------------------------------------------------
# Normalising and hashing


@lru_cache(maxsize=65_536)
def normalise_word(word: str) -> str:
    """A word as compared: no possessive 's, no apostrophes or accents, case-folded."""
    word = _POSSESSIVE.sub("", word)
    decomposed = unicodedata.normalize("NFKD", word)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.casefold().translate(_APOSTROPHES)


def words(text: str) -> list[str]:
    """The normalised words of a text, in order."""
    found = (normalise_word(m.group(0)) for m in _WORD.finditer(text))
    return [w for w in found if w]


def _phrase(tokens: Iterable[str]) -> bytes:
    # Sorted: the same words in any order are the same name ("Roe, Jane" and "Jane Roe").
    return " ".join(sorted(tokens)).encode("utf-8")


def _hasher(key: bytes) -> hmac.HMAC:
    return hmac.new(key, digestmod=hashlib.sha256)


def _digest(base: hmac.HMAC, tokens: Iterable[str]) -> bytes:
    mac = base.copy()  # the keyed inner and outer state, computed once per roster
    mac.update(_phrase(tokens))
    return mac.digest()[:DIGEST_BYTES]


def name_forms(name: str) -> list[list[str]]:
    """The word sequences one roster entry stands for (see the module's docstring)."""
    # "Roe, Jane" is a surname first: the first and last word of a name are its first and surname.
    head, comma, tail = name.partition(",")
    ordered = f"{tail} {head}" if comma and tail.strip() else name
    groups = [words(part) for part in ordered.split()]
    groups = [g for g in groups if g]
    forms: list[list[str]] = []
    full = [w for g in groups for w in g]
    if len(full) == 1 and len(full[0]) < 2:
        return []  # an initial alone would match every such letter
    if 0 < len(full) <= MAX_WORDS:
        forms.append(full)
    if len(groups) >= 3:
        short = groups[0] + groups[-1]
        if len(short) <= MAX_WORDS:
            forms.append(short)
    return forms


def build(
    names: Iterable[str], *, key: bytes | None = None, now: dt.datetime | None = None
) -> tuple[Roster, list[int]]:
    """A roster from names; also the (1-based) positions of names that gave no usable form."""
    import secrets  # here, not at the top: the hook path only loads a roster

    key = key if key is not None else secrets.token_bytes(32)
    base = _hasher(key)
    digests: set[bytes] = set()
    sizes: set[int] = set()
    skipped: list[int] = []
    count = 0
    for index, name in enumerate(names, 1):
        forms = name_forms(name)
        if not forms:
            skipped.append(index)
            continue
        count += 1
        for form in forms:
            digests.add(_digest(base, form))
            sizes.add(len(form))
    when = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    roster = Roster(key, frozenset(digests), tuple(sorted(sizes, reverse=True)), count, when)
    return roster, skipped


# --------------------------------------------------------------------------------------------------
# Finding roster names in text


_MATCH_CACHE: dict[tuple[bytes, str], bool] = {}
_MATCH_CACHE_SIZE = 200_000


def find(text: str, roster: Roster) -> list[NameHit]:
    """Every word sequence of the text that is a roster name, longest first where they overlap.

    Each candidate (1 to 4 words, only the word counts the roster has) is hashed once and looked up
    in a set; candidates seen before (other versions of a file, other files) are remembered."""
    spans = [(m.start(), m.end(), normalise_word(m.group(0))) for m in _WORD.finditer(text)]
    spans = [s for s in spans if s[2]]
    if not spans or not roster.digests:
        return []
    base = _hasher(roster.key)
    hits: list[NameHit] = []
    i = 0
    while i < len(spans):
        taken = 0
        for size in roster.sizes:
            if i + size > len(spans):
                continue
            tokens = [s[2] for s in spans[i : i + size]]
            cache_key = (roster.key, " ".join(sorted(tokens)))
            found = _MATCH_CACHE.get(cache_key)
            if found is None:
                found = _digest(base, tokens) in roster.digests
                if len(_MATCH_CACHE) >= _MATCH_CACHE_SIZE:
                    _MATCH_CACHE.clear()
                _MATCH_CACHE[cache_key] = found
            if found:
                taken = size
                break
        if taken:
            chosen = spans[i : i + taken]
            hits.append(NameHit(chosen[0][0], chosen[-1][1], _mask(text, chosen)))
            i += taken
        else:
            i += 1
    return hits


def _mask(text: str, chosen: list[tuple[int, int, str]]) -> str:
    """ "Jane Roe" as "J*** R**": each word's first letter, a star for each other letter."""
    parts = []
    for start, end, _ in chosen:
        word = text[start:end]
        parts.append(word[0] + "*" * (len(word) - 1))
    return " ".join(parts)


# --------------------------------------------------------------------------------------------------
# Reading a case-system export


def read_export(path: Path) -> list[str]:
    """Names from a case-system export: the first column of a .csv/.tsv (a header row detected and
    skipped), otherwise one name per line (blank lines and lines starting with # skipped)."""
    if not path.is_file():
        raise UsageError(
            f"{path}: no such file: give the export of client names from your case system"
        )
    text = _decode(read_capped(path, MAX_EXPORT_BYTES, what="the export"))
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return _csv_names(text, "\t" if suffix == ".tsv" else None, path)
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _decode(data: bytes) -> str:
    # Exports from Windows tools are often UTF-16 (with a byte-order mark) or Windows-1252.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_names(text: str, delimiter: str | None, path: Path) -> list[str]:
    import csv  # only `roster import` reads a spreadsheet export

    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=first.count)
    try:
        rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row]
    except csv.Error as exc:
        raise UsageError(
            f"{path}: is not a CSV file that can be read ({exc}): export it again as CSV, or as a "
            "text file with one name per line"
        ) from None
    if rows and set(words(rows[0][0])) & _HEADER_WORDS:
        rows = rows[1:]
    return [row[0].strip() for row in rows if row[0].strip()]


# --------------------------------------------------------------------------------------------------
# The roster file


def default_path(env: dict[str, str] | None = None) -> Path:
    """$LLCOMPLIANCE_ROSTER, or roster.json in the user's config folder (as platformdirs would
    choose it: %APPDATA%, ~/Library/Application Support, or $XDG_CONFIG_HOME or ~/.config)."""
    env = dict(os.environ) if env is None else env
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]).expanduser()
    home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    if os.name == "nt" and env.get("APPDATA"):
        base = Path(env["APPDATA"])
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
    return base / "llcompliance" / "roster.json"


def inside_git_work_tree(path: Path) -> Path | None:
    """The git work tree (or git folder) that holds `path` or would hold it once written, if any."""
    target = path.expanduser().absolute()
    existing = target
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    folder = existing if existing.is_dir() else existing.parent
    for parent in (folder, *folder.parents):
        # `.git` as a folder or a file (linked worktrees, submodules), or a bare repo's own folder
        if (parent / ".git").exists() or (
            parent.name.endswith(".git") and (parent / "HEAD").is_file()
        ):
            return parent
    try:  # git also finds repos a walk misses ($GIT_DIR, $GIT_WORK_TREE)
        return gitrepo.toplevel(folder)
    except (OSError, LLCError):  # no git: the walk above has looked
        return None


def dumps(roster: Roster) -> bytes:
    """The roster file's bytes: JSON with the key and the digests (sorted), never a name."""
    import base64

    packed = b"".join(sorted(roster.digests))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "imported": roster.imported,
        "entries": roster.entries,
        "sizes": list(roster.sizes),
        "key": base64.b64encode(roster.key).decode("ascii"),
        "digests": base64.b64encode(packed).decode("ascii"),
    }
    return (json.dumps(document, indent=1, sort_keys=True) + "\n").encode("ascii")


def save(roster: Roster, path: Path) -> None:
    """Write the roster atomically with mode 0600; refused (exit 2) inside any git work tree."""
    repo = inside_git_work_tree(path)
    if repo is not None:
        raise UsageError(
            f"{path} is inside the git repo at {repo}: a roster must never be committed. Keep it "
            f"in your config folder (unset {ENV_VAR}) or another folder outside every repo"
        )
    if path.is_dir():
        raise UsageError(
            f"{path} is a folder: point {ENV_VAR} at a file, e.g. {path / 'roster.json'}"
        )
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True)
    write_atomic(path, dumps(roster), mode=0o600)


def load(path: Path) -> Roster:
    """A roster file, checked; a bad one is a configuration error (exit 2) naming the file."""
    import base64  # only when a service has a roster: most hook runs have none
    import binascii

    def bad(why: str) -> ConfigError:
        return ConfigError(
            f"{path}: is not a roster file ({why}): run `llcompliance roster import FILE` again"
        )

    try:
        raw = read_capped(path, MAX_ROSTER_BYTES, what="the roster")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the roster ({exc.strerror})") from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise bad("not JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise bad(f'no "format": "{FORMAT}"')
    if doc.get("version") != VERSION:
        raise bad(f"version {doc.get('version')!r}, this llcompliance reads version {VERSION}")
    try:
        key = base64.b64decode(str(doc["key"]), validate=True)
        packed = base64.b64decode(str(doc["digests"]), validate=True)
        sizes = tuple(sorted({int(s) for s in doc["sizes"]}, reverse=True))
        entries = int(doc["entries"])
        imported = str(doc["imported"])
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise bad("a field is missing or damaged") from None
    if len(key) != 32 or len(packed) % DIGEST_BYTES or not all(1 <= s <= MAX_WORDS for s in sizes):
        raise bad("a field is missing or damaged")
    digests = frozenset(packed[i : i + DIGEST_BYTES] for i in range(0, len(packed), DIGEST_BYTES))
    return Roster(key, digests, sizes, entries, imported, path)


def load_default(env: dict[str, str] | None = None) -> Roster | None:
    """The roster at $LLCOMPLIANCE_ROSTER or in the config folder, or None when there is none.

    $LLCOMPLIANCE_ROSTER naming a file that does not exist is an error, not "no roster": in CI it
    means the secret was not written, and a scan must not pass as if names had been checked."""
    env = dict(os.environ) if env is None else env
    path = default_path(env)
    if not path.exists():
        if env.get(ENV_VAR):
            raise ConfigError(
                f"{ENV_VAR} names {path}, which does not exist: write the roster there (in CI, "
                f"from its secret) or unset {ENV_VAR}"
            )
        return None
    repo = inside_git_work_tree(path)
    if repo is not None:
        raise ConfigError(
            f"the roster {path} is inside the git repo at {repo}: move it out of every repo (and "
            "out of its history) before scanning, then point $LLCOMPLIANCE_ROSTER at it"
        )
    return load(path)
