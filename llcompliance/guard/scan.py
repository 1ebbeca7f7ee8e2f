"""The personal-data guard: which files to read, how to read each kind, and findings without values."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from llcompliance.adapters import gitrepo
from llcompliance.adapters.printable import printable
from llcompliance.core.findings import ERROR, NOTE, WARNING, Finding
from llcompliance.errors import UsageError
from llcompliance.guard import detectors

if TYPE_CHECKING:  # the guard needs only the scan settings, never the catalogue
    import pathspec

    from llcompliance.core.config import ScanSettings
    from llcompliance.guard.extract import ExtractedText
    from llcompliance.guard.roster import Roster

# Exports, dumps and screenshots are the usual leak (reference/personal-data.md).
BLOCKED_SUFFIXES = (
    ".csv",
    ".tsv",
    ".xlsx",
    ".xlsm",
    ".xls",
    ".ods",
    ".sql",
    ".db",
    ".sqlite",
    ".sqlite3",
    ".bak",
    ".msg",
    ".eml",
    ".pst",
    ".mbox",
    ".vcf",
    # archives and old binary Office formats hide their contents from the guard
    ".zip",
    ".7z",
    ".rar",
    ".gz",
    ".tgz",
    ".tar",
    ".bz2",
    ".xz",
    ".doc",
    ".xls",
    ".ppt",
    ".pps",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".bmp",
    ".tif",
    ".tiff",
    ".heic",
    ".heif",
    ".webp",
)
OFFICE_SUFFIXES = (".docx", ".docm", ".odt", ".pptx", ".odp", ".xlsx", ".xlsm", ".ods")
PDF_SUFFIX = ".pdf"
MAX_SCAN_BYTES = 20 * 1024 * 1024
SKIP_DIRS = (".git/",)
SIGNER_FILES = (".llcompliance/allowed_signers",)
_TEXT_SAMPLE = 8192  # bytes read to tell text from binary, as git does
PURGE_ADVICE = """Personal data is in this repo's history. Removing it from the latest files is not enough:
  1. Tell your data protection lead now: treat the data as exposed (anyone with a clone has it).
  2. Rewrite history without it, e.g.  git filter-repo --invert-paths --path FILE
     (or --replace-text for a line), in a fresh clone.
  3. Force-push every branch and tag:  git push --force --all && git push --force --tags
  4. Ask everyone to delete and re-clone; ask GitHub support to purge cached views and pull requests.
  5. Add the file type or pattern to the guard so it cannot happen again."""


ROSTER_RULE = "roster-name"
ROSTER_NAME_MESSAGE = (
    "in the file or folder name is the name of someone on the service's client roster: rename it "
    "(git mv OLD NEW) so that the name says what the document is, not who it is about"
)
ROSTER_MESSAGE = (
    "is the name of someone on the service's client roster: remove it; evidence must never name "
    "a client (describe the work without the name)"
)


class ScanReport(NamedTuple):
    """What the guard found, what markers allowed, and what it could not read."""

    findings: tuple[Finding, ...]
    files: int
    allowed: int
    commits: Mapping[tuple[str, int, str], tuple[str, ...]] = MappingProxyType({})

    @property
    def failed(self) -> bool:
        """True when any error-level finding is present."""
        return any(f.severity == ERROR for f in self.findings)

    @property
    def unread(self) -> int:
        """Files the guard could not read (binaries, PDF text, damaged documents)."""
        return len({f.path for f in self.findings if f.rule == "not-scanned"})


def rules_from(settings: ScanSettings) -> detectors.ScanRules:
    """The detectors' rules from the service's llcompliance.yaml."""
    allow = detectors.Allowlist(
        phones=frozenset(detectors.normalise_phone(p) for p in settings.phones),
        emails=frozenset(e.strip().lower() for e in settings.emails),
        email_domains=frozenset(d.strip().lower().lstrip("@") for d in settings.email_domains),
        postcodes=frozenset(detectors.normalise_postcode(p) for p in settings.postcodes),
    )
    return detectors.ScanRules(
        allowlist=allow,
        case_reference_patterns=tuple(settings.case_reference_patterns),
        disabled_rules=frozenset(settings.disabled_rules),
    )


def path_allowed(path: str, settings: ScanSettings) -> bool:
    """True when llcompliance.yaml's scan.allow_paths lets this file type through."""
    return bool(settings.allow_paths) and _allow_spec(settings.allow_paths).match_file(path)


@lru_cache(maxsize=8)
def _allow_spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    # .gitignore semantics, as people who write these patterns expect: `*` stays inside one folder,
    # `**/` crosses folders, and a pattern without a slash matches at any depth.
    import pathspec  # only a repo with scan.allow_paths needs it

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def scan_content(
    path: str,
    data: bytes,
    settings: ScanSettings,
    rules: detectors.ScanRules,
    roster: Roster | None = None,
) -> tuple[list[Finding], int]:
    """Findings for one file's bytes (any type), and how many matches inline markers allowed;
    with a roster, also each client name on it (`roster-name`)."""
    lower = path.lower()
    roster = None if ROSTER_RULE in rules.disabled_rules else roster
    if path in SIGNER_FILES:
        rules = _with_signers(data, rules)
    blocked = lower.endswith(BLOCKED_SUFFIXES) and not _report_matrix(path)
    if blocked and not path_allowed(path, settings):
        return [_blocked(path)], 0
    if lower.endswith(OFFICE_SUFFIXES):
        return _scan_office(path, data, rules, roster)
    if lower.endswith(PDF_SUFFIX):
        return _scan_pdf(path, data, rules, roster)
    wide = _utf16_or_32(data)
    if wide is not None:
        result = detectors.scan_text(wide, rules)
        found = _findings(path, result.matches) + _roster_findings(path, wide, roster)
        return sorted(found, key=_by_line), len(result.allowed)
    if b"\0" in data[:_TEXT_SAMPLE] and not _text_with_nuls(data[:_TEXT_SAMPLE]):
        return [
            Finding(
                path,
                1,
                "not-scanned",
                NOTE,
                "binary file not read by the guard: check by hand that it holds no personal data",
            )
        ], 0
    notes = []
    if len(data) > MAX_SCAN_BYTES:
        notes.append(
            Finding(
                path,
                1,
                "not-scanned",
                WARNING,
                f"only the first {MAX_SCAN_BYTES // 1024 // 1024} MB were scanned: split the file",
            )
        )
        data = data[:MAX_SCAN_BYTES]
    text = data.decode("utf-8", errors="replace")
    if "\0" in text:
        # A NUL between two parts of a number must not hide it; a space keeps lines and columns.
        text = _NULS.sub(" ", text)
    result = detectors.scan_text(text, rules)
    found = _findings(path, result.matches) + _roster_findings(path, text, roster)
    return notes + sorted(found, key=_by_line), len(result.allowed)


def _by_line(finding: Finding) -> int:
    return finding.line


def _roster_findings(path: str, text: str, roster: Roster | None) -> list[Finding]:
    """An error for each word sequence of the text that is a name on the roster (masked)."""
    if roster is None:
        return []
    from llcompliance.guard import roster as roster_mod

    hits = roster_mod.find(text, roster)
    if not hits:
        return []
    return [
        Finding(
            path,
            text.count("\n", 0, hit.start) + 1,  # names are rare: no line index is worth building
            ROSTER_RULE,
            ERROR,
            f"{hit.masked} {ROSTER_MESSAGE}",
        )
        for hit in hits
    ]


_NULS = re.compile("\0+")
# Control characters that text files do not hold (tab, line ends, form feed and escape they may).
_BINARY_CONTROLS = re.compile("[\x01-\x08\x0e-\x1a\x1c-\x1f\ufffd]")


def _text_with_nuls(head: bytes) -> bool:
    """Whether the start of a file that holds NUL bytes is still text: one NUL (at the start, or a
    stray one from an export) must not turn a text file into a "binary" the guard skips.

    Like `file`, look at what is left: text without its NULs decodes as UTF-8 with almost no other
    control character; executables, images, databases and zips are full of both.
    """
    rest = head.replace(b"\0", b"").decode("utf-8", errors="replace")
    if rest.endswith("\ufffd"):
        rest = rest.rstrip("\ufffd")  # a character cut in two at the end of the sample
    return len(_BINARY_CONTROLS.findall(rest)) <= len(rest) // 100


def _utf16_or_32(data: bytes) -> str | None:
    """The text of a UTF-32 or UTF-16 file (Notepad's "Unicode"), with or without a byte-order
    mark, or None when the file is neither."""
    # UTF-32's little-endian mark starts with UTF-16's: test it first, or the text is misread.
    if data.startswith((b"\xff\xfe\0\0", b"\0\0\xfe\xff")):
        return data.decode("utf-32", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    head = data[:4096]
    head = head[: len(head) - len(head) % 4]
    if len(head) >= 8:
        # ASCII text saved as UTF-32 has three NULs in every four bytes
        lanes = [head[i::4].count(0) / len(head[i::4]) for i in range(4)]
        if lanes[0] < 0.1 and min(lanes[1:]) > 0.9:
            return data.decode("utf-32-le", errors="replace")
        if lanes[3] < 0.1 and min(lanes[:3]) > 0.9:
            return data.decode("utf-32-be", errors="replace")
    return _utf16(data)


def _utf16(data: bytes) -> str | None:
    """The text of a UTF-16 file without a byte-order mark, or None."""
    head = data[:4096]
    # ASCII text saved as UTF-16 has a NUL in every other byte
    if (
        len(head) >= 8
        and head[1::2].count(0) > 0.9 * len(head[1::2])
        and head[0::2].count(0) < 0.1 * len(head[0::2])
    ):
        return data.decode("utf-16-le", errors="replace")
    if (
        len(head) >= 8
        and head[0::2].count(0) > 0.9 * len(head[0::2])
        and head[1::2].count(0) < 0.1 * len(head[1::2])
    ):
        return data.decode("utf-16-be", errors="replace")
    return None


def _with_signers(data: bytes, rules: detectors.ScanRules) -> detectors.ScanRules:
    """Rules for `.llcompliance/allowed_signers`: its principals are allowed e-mail addresses there.

    Each line names who may sign readiness reports; the assessor verifies the report against it, so
    those addresses are the service's published signing identities, not personal data. Only the
    principals are allowed and only in this file: anything else in it (a phone number in a key
    comment, a client's address) is still a finding, and the same address elsewhere needs
    scan.allow.emails in llcompliance.yaml.
    """
    principals: set[str] = set()
    for line in data.decode("utf-8", errors="replace").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        # the principals come first: "a@x.org,b@x.org" (quoted when they hold a space)
        first = line[1:].partition('"')[0] if line.startswith('"') else line.split(None, 1)[0]
        principals.update(p.strip().lower() for p in first.split(",") if "@" in p)
    if not principals:
        return rules
    allow = rules.allowlist._replace(emails=rules.allowlist.emails | principals)
    return rules._replace(allowlist=allow)


def _report_matrix(path: str) -> bool:
    """The evidence matrix a report folder holds (reports/<folder>/readiness.xlsx): the toolkit's
    own output, so its text is scanned like any Office file instead of being refused as an export."""
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "reports" and parts[2] == "readiness.xlsx"


def _blocked(path: str) -> Finding:
    kind = posixpath.splitext(path)[1].lower()
    return Finding(
        path,
        1,
        "blocked-file-type",
        ERROR,
        f"{kind} files are usually exports, e-mails or screenshots that hold client data: keep it in the "
        "case system and reference it from an evidence record (unstage it: git rm --cached FILE). If it is "
        "truly anonymised, add its path to scan.allow_paths in llcompliance.yaml",
    )


def _findings(path: str, matches: tuple[detectors.Match, ...]) -> list[Finding]:
    return [Finding(path, m.line, m.rule, m.severity, f"{m.masked} {m.message}") for m in matches]


def _scan_office(
    path: str, data: bytes, rules: detectors.ScanRules, roster: Roster | None
) -> tuple[list[Finding], int]:
    from llcompliance.guard import extract

    try:
        extracted = extract.extract_office(data, path)
    except ValueError as exc:
        return [
            Finding(
                path,
                1,
                "not-scanned",
                WARNING,
                f"could not read this document ({exc}): check it by hand",
            )
        ], 0
    findings = _unread_parts(path, extracted.notes)
    in_text, allowed = _document_text(path, extracted, rules, roster)
    findings += in_text
    findings += _author_findings(
        path,
        extract.author_fields(extracted),
        "remove personal names from document properties (File > Info > Inspect Document)",
    )
    return findings, allowed


def _document_text(
    path: str, extracted: ExtractedText, rules: detectors.ScanRules, roster: Roster | None
) -> tuple[list[Finding], int]:
    """Findings in a document's extracted text, at line 1 of the file and naming the part (a page,
    a header, the comments) they are in; and how many matches inline markers allowed."""
    result = detectors.scan_text(extracted.text, rules)
    found = [(m.line, m.rule, m.severity, f"{m.masked} {m.message}") for m in result.matches]
    found += [
        (f.line, f.rule, f.severity, f.message)
        for f in _roster_findings(path, extracted.text, roster)
    ]
    findings = [
        Finding(path, 1, rule, severity, f"in {_part_at(extracted.parts, line)}: {message}")
        for line, rule, severity, message in sorted(found, key=lambda item: item[0])
    ]
    return findings, len(result.allowed)


def _scan_pdf(
    path: str, data: bytes, rules: detectors.ScanRules, roster: Roster | None
) -> tuple[list[Finding], int]:
    """The text of a PDF's pages and its author metadata; a PDF that cannot be read (encrypted,
    damaged, hostile) is a not-scanned warning, never clean."""
    from llcompliance.guard import extract

    findings: list[Finding] = []
    allowed = 0
    try:
        pages = extract.extract_pdf_text(data)
    except ValueError as exc:
        findings.append(Finding(path, 1, "not-scanned", WARNING, f"{exc}"))
    else:
        findings += _unread_parts(path, pages.notes)
        in_text, allowed = _document_text(path, pages, rules, roster)
        findings += in_text
    try:
        extracted = extract.extract_pdf_metadata(data)
    except ValueError:
        return findings, allowed
    if not any(f.rule == "not-scanned" for f in findings):
        findings += _unread_parts(path, extracted.notes)
    findings += _author_findings(
        path, extract.author_fields(extracted), "remove it before committing"
    )
    return findings, allowed


def _unread_parts(path: str, notes: tuple[str, ...]) -> list[Finding]:
    """A not-scanned warning for each part extraction had to skip (embedded images, an encrypted
    PDF): a document full of screenshots must never pass as clean."""
    return [Finding(path, 1, "not-scanned", WARNING, note) for note in notes]


def _author_findings(path: str, fields: list[tuple[str, int]], advice: str) -> list[Finding]:
    """A warning for each document property (creator, last modified by, author) naming a person."""
    return [
        Finding(
            path,
            1,
            "document-author",
            WARNING,
            f"the document's properties name a person ({name}): {advice}",
        )
        for name, _line in fields
    ]


def _part_at(parts: tuple[tuple[str, int], ...], line: int) -> str:
    current = parts[0][0] if parts else "the document"
    for name, first in parts:
        if first <= line:
            current = name
    return current


def worktree_files(root: Path) -> list[str]:
    """Files git would commit: tracked plus untracked-but-not-ignored (or every file outside git)."""
    if gitrepo.toplevel(root) is not None:
        return sorted(gitrepo.listed_files(root))
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        rel = Path(dirpath).relative_to(root).as_posix()
        found += [name if rel == "." else f"{rel}/{name}" for name in filenames]
    return sorted(found)


def expand(root: Path, paths: Iterable[str]) -> list[str]:
    """Repo-relative files named on the command line, folders expanded to the files in them that
    git would commit; a path that does not exist is a usage error (exit 2)."""
    listed: list[str] | None = None  # listing every file costs a git call: only for folders
    chosen: list[str] = []
    for path in paths:
        full = root / path
        if path in ("", ".") or (full.is_dir() and not full.is_symlink()):
            listed = worktree_files(root) if listed is None else listed
            prefix = "" if path in ("", ".") else path.rstrip("/") + "/"
            chosen.extend(p for p in listed if p.startswith(prefix))
        elif full.exists() or full.is_symlink():
            chosen.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder in the repo")
    return sorted(dict.fromkeys(chosen))


def scan_paths(
    root: Path,
    paths: Iterable[str],
    settings: ScanSettings,
    *,
    read: Callable[[str], bytes | None] | None = None,
    roster: Roster | None = None,
) -> ScanReport:
    """Scan files by repo-relative path, from disk or through `read` (e.g. the git index); with a
    roster, client names on it are findings too."""
    rules = rules_from(settings)
    roster = None if ROSTER_RULE in rules.disabled_rules else roster
    findings: list[Finding] = []
    masked: dict[str, str] = {}
    allowed = 0
    count = 0
    for path in paths:
        if path.startswith(SKIP_DIRS):
            continue
        findings += _name_findings(path, rules, masked, roster)
        data = read(path) if read else _read_disk(root, path)
        if data is None:
            continue
        count += 1
        found, marked = scan_content(path, data, settings, rules, roster)
        findings += found
        allowed += marked
    return ScanReport(_shown(findings, masked), count, allowed)


def _name_findings(
    path: str, rules: detectors.ScanRules, masked: dict[str, str], roster: Roster | None = None
) -> list[Finding]:
    """Findings in a path's names (line 0: the file as a whole); a path that holds personal data
    is remembered in `masked`, so that no finding prints it in full."""
    found = detectors.scan_name(path, rules)
    shown = found.masked_path
    findings = _findings(path, found.matches)
    if roster is not None:
        from llcompliance.guard import roster as roster_mod

        # Looked for in the path as masked so far: masks keep their shape, and a masked number
        # holds no letters a name could be made of.
        hits = roster_mod.find(shown, roster)
        for hit in reversed(hits):
            shown = shown[: hit.start] + hit.masked + shown[hit.end :]
        findings += [
            Finding(path, 0, ROSTER_RULE, ERROR, f"{hit.masked} {ROSTER_NAME_MESSAGE}")
            for hit in hits
        ]
    if shown != path:
        masked[path] = shown
    return findings


def _read_disk(root: Path, path: str) -> bytes | None:
    full = root / path
    if full.is_symlink() or not full.is_file():
        return None
    with open(full, "rb") as handle:
        return handle.read(MAX_SCAN_BYTES + 1)


_GITLINK = "160000"  # a submodule's commit, not a file


def staged_contents(root: Path) -> dict[str, bytes]:
    """What the next commit adds or changes under `root`: index (staged) contents by path relative
    to `root`, correct when `root` is a folder of a larger git repo (a monorepo)."""
    # `git diff --cached --name-only` names paths from the top of the whole repo; `ls-files` and
    # `ls-tree` run in `root` name them from `root` and list only what is under it, so compare those.
    head = gitrepo.ls_tree(root, "HEAD") if gitrepo.has_commits(root) else {}
    changed = {
        path: entry.blob
        for path, entry in gitrepo.index_entries(root).items()
        if entry.mode != _GITLINK
        and (path not in head or (head[path].mode, head[path].blob) != (entry.mode, entry.blob))
    }
    blobs = gitrepo.read_blobs(root, changed.values(), limit=MAX_SCAN_BYTES + 1)
    return {path: blobs[blob] for path, blob in sorted(changed.items()) if blob in blobs}


def scan_staged(root: Path, settings: ScanSettings, *, roster: Roster | None = None) -> ScanReport:
    """Scan what is staged for the next commit under `root` (the git index, not the disk)."""
    contents = staged_contents(root)
    return scan_paths(root, list(contents), settings, read=contents.get, roster=roster)


def scan_history(
    root: Path,
    settings: ScanSettings,
    *,
    rev: str = "HEAD",
    progress: Callable[[int, int], None] | None = None,
    roster: Roster | None = None,
) -> ScanReport:
    """Scan every distinct blob reachable from `rev` once, and name the commits that added findings."""
    rules = rules_from(settings)
    roster = None if ROSTER_RULE in rules.disabled_rules else roster
    blobs = gitrepo.reachable_blobs(root, rev)
    findings: list[Finding] = []
    allowed = 0
    by_blob: dict[str, list[Finding]] = {}
    batch = 500
    for start in range(0, len(blobs), batch):
        chunk = blobs[start : start + batch]
        contents = gitrepo.read_blobs(root, [b.blob for b in chunk], limit=MAX_SCAN_BYTES + 1)
        for item in chunk:
            found, marked = scan_content(
                item.path, contents.get(item.blob, b""), settings, rules, roster
            )
            allowed += marked
            if found:
                by_blob[item.blob] = found
        if progress:
            progress(min(start + batch, len(blobs)), len(blobs))
    # Every name a file ever had is checked, not only the one each blob is listed under.
    introduced = gitrepo.introducing_commits(root, rev)
    commits: dict[tuple[str, int, str], tuple[str, ...]] = {}
    masked: dict[str, str] = {}
    named: dict[str, list[str]] = {}
    for pairs in introduced.values():
        for commit, path in pairs:
            named.setdefault(path, []).append(commit)
    for path, added in named.items():
        for finding in _name_findings(path, rules, masked, roster):
            findings.append(finding)
            key = (path, finding.line, finding.rule)
            commits[key] = tuple(dict.fromkeys(commits.get(key, ()) + tuple(added)))
    for blob, found in by_blob.items():
        pairs = introduced.get(blob, [])
        for finding in found:
            paths = sorted({p for _, p in pairs}) or [finding.path]
            for path in paths:
                moved = Finding(path, finding.line, finding.rule, finding.severity, finding.message)
                findings.append(moved)
                commits[(path, finding.line, finding.rule)] = tuple(
                    c for c, p in pairs if p == path
                )
    shown = {(_shown_path(p, masked), line, rule): ids for (p, line, rule), ids in commits.items()}
    return ScanReport(_shown(set(findings), masked), len(blobs), allowed, shown)


def _shown_path(path: str, masked: dict[str, str]) -> str:
    """A path safe to print: personal data in its names masked, a name that is not UTF-8 escaped."""
    return printable(masked.get(path, path))


def _shown(findings: Iterable[Finding], masked: dict[str, str]) -> tuple[Finding, ...]:
    """Findings with paths safe to print: personal data in a name masked (every finding of that
    file, not only the name's), a name that is not UTF-8 shown escaped rather than a crash."""
    return tuple(sorted(f._replace(path=_shown_path(f.path, masked)) for f in findings))
