"""`llcompliance upgrade`: an older evidence repo brought to the current format, and the toolkit's
pins to this version, by editing the text of each file (comments and layout kept, never re-dumped).

What only a person can decide (what kind of evidence a record is, the date it speaks for, who approved
a policy) is never guessed: it becomes a finding naming the file, the line and what to add.
Every edit is checked by parsing the result: the data must be exactly what was there before, plus or
reshaped by the one intended change; otherwise the file is left alone and a finding says so.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llcompliance.adapters import resources, yamlio
from llcompliance.adapters.fsutil import write_atomic
from llcompliance.core import documents
from llcompliance.core.config import CONFIG_NAME, CURRENT_FORMAT
from llcompliance.core.findings import ERROR, NOTE, WARNING, Finding
from llcompliance.errors import ConfigError, DocumentError, UsageError

PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
WORKFLOWS_DIR = ".github/workflows"
TOOLKIT_REPO = "https://github.com/llcompliance/llcompliance"
OWN_ACTION = "llcompliance/llcompliance/.github/actions/readiness"
PLACEHOLDER_SHA = "0" * 40  # the template's pin before a release commit exists

KIND_TO_ADD = "`kind: record` (or data, feedback, template, plan)"
DATE_TO_ADD = "`date: YYYY-MM-DD` (the date it speaks for: the end of the period it covers)"
APPROVED_TO_ADD = "`approved: {date: YYYY-MM-DD, by: Board of trustees}`"

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_VERSION = re.compile(r"(?<![\w.])v?(\d+(?:\.\d+)+)(?![\w.])")
_REV_LINE = re.compile(r"^(?P<head>[\s-]*rev\s*:\s*)(?P<value>[^\s#]+)(?P<tail>\s*(?:#.*)?)$")
_USES_LINE = re.compile(
    r"^(?P<head>.*\buses:\s*)(?P<quote>['\"]?)" + re.escape(OWN_ACTION) + r"@(?P<ref>[^\s'\"#]+)"
    r"(?P=quote)(?P<tail>\s*(?:#.*)?)$"
)
_FORMAT_LINE = re.compile(r"^(?P<head>\s*format\s*:\s*)(?P<value>[^\s#]+)(?P<tail>.*)$")


@dataclass(frozen=True)
class Change:
    """One change to one file, as a person should see it: where, what, the lines before and after."""

    path: str
    line: int
    summary: str
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class FileEdit:
    """A file's bytes before and after the upgrade, and the changes that make the difference."""

    path: str
    old: bytes
    new: bytes
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Pin:
    """How the template pins the toolkit: the reference (tag or commit) and its version."""

    ref: str
    version: tuple[int, ...]
    label: str  # "v0.1.0"
    text: str  # what follows the key: `v0.1.0` or `<sha> # v0.1.0`


@dataclass(frozen=True)
class Plan:
    """What `upgrade` would change, and what only a person can decide."""

    from_format: int
    to_format: int
    edits: tuple[FileEdit, ...]
    findings: tuple[Finding, ...]
    hook_pin: str  # the version the toolkit's hooks and action are brought to, e.g. "v0.1.0"

    @property
    def due(self) -> bool:
        """True when `upgrade` would change a file."""
        return bool(self.edits)


class _Text:
    """A file's text as lines that keep their own line ends (CRLF files stay CRLF) and its BOM."""

    def __init__(self, raw: bytes) -> None:
        self.bom = raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8-sig")
        self.lines: list[str] = re.findall(r"[^\n]*\n|[^\n]+$", text)
        first = self.lines[0] if self.lines else "\n"
        self.newline = "\r\n" if first.endswith("\r\n") else "\n"

    @staticmethod
    def content(line: str) -> str:
        """A line without its line end."""
        return line.rstrip("\r\n")

    def ending(self, line: str) -> str:
        """A line's own line end (a last line without one gets none)."""
        return line[len(self.content(line)) :]

    def encode(self) -> bytes:
        """The bytes, with the BOM the file had."""
        return (b"\xef\xbb\xbf" if self.bom else b"") + "".join(self.lines).encode("utf-8")


def plan(root: Path) -> Plan:
    """Everything `upgrade` would do in the repo at `root`, without changing a file."""
    config_raw = _read(root, CONFIG_NAME)
    if config_raw is None:
        raise ConfigError(f"{root} is not an evidence repo (no readable {CONFIG_NAME})")
    config_edit, from_format = _config_edit(config_raw)
    edits: list[FileEdit] = []
    findings: list[Finding] = []
    source = documents.WorkTree(root)
    for path in documents.discover(source):
        kind = documents.kind_of(path)
        if kind not in ("policy", "evidence") or source.kind(path) != "file":
            continue  # validate reports links, folders and unreadable files
        raw = _read(root, path)
        if raw is None:
            continue
        if kind == "policy":
            edit, found = _policy(path, raw)
            if edit is not None:
                edits.append(edit)
            findings += found
        else:
            findings += _evidence(path, raw)
    hook_pin, action_pin = template_pins()
    for edit_or_finding in (*_pre_commit(root, hook_pin), *_workflows(root, action_pin)):
        if isinstance(edit_or_finding, FileEdit):
            edits.append(edit_or_finding)
        else:
            findings.append(edit_or_finding)
    # llcompliance.yaml last: if anything stops half-way, the repo still says it needs upgrading
    if config_edit is not None:
        edits.append(config_edit)
    return Plan(from_format, CURRENT_FORMAT, tuple(edits), tuple(sorted(findings)), hook_pin.label)


def apply(root: Path, planned: Plan) -> None:
    """Write the planned edits, each atomically and in plan order, keeping each file's mode; refuse
    (exit 2, nothing more written) if a file changed since it was planned."""
    for edit in planned.edits:
        path = root / edit.path
        if _read(root, edit.path) != edit.old:
            raise UsageError(
                f"{edit.path} changed while upgrading: run `llcompliance upgrade` again"
            )
        mode = stat.S_IMODE(os.stat(path).st_mode)
        write_atomic(path, edit.new, mode=mode)


def _read(root: Path, rel: str) -> bytes | None:
    """A regular file's bytes (never through a symbolic link), or None."""
    path = root / rel
    try:
        if path.is_symlink() or not path.is_file():
            return None
        with open(path, "rb") as handle:
            data = handle.read(yamlio.MAX_DOCUMENT_BYTES + 1)
    except OSError:
        return None
    return None if len(data) > yamlio.MAX_DOCUMENT_BYTES else data


def _parse(text: str, *, path: str, first_line: int = 1) -> yamlio.Loaded | None:
    try:
        return yamlio.load(text.replace("\r\n", "\n"), path=path, first_line=first_line)
    except DocumentError:
        return None  # validate says what is wrong with it; upgrade leaves it alone


def _decodable(raw: bytes) -> _Text | None:
    try:
        text = _Text(raw)
    except UnicodeDecodeError:
        return None
    if any("\r" in _Text.content(line) for line in text.lines):
        return None  # old Mac line ends (a lone CR): line numbers would not agree; left alone
    return text


# --- llcompliance.yaml ----------------------------------------------------------------------


def _config_edit(raw: bytes) -> tuple[FileEdit | None, int]:
    """`format: 2` added to (or set in) llcompliance.yaml, as a text edit; and the format it had."""
    text = _decodable(raw)
    loaded = _parse(raw.decode("utf-8-sig", "replace"), path=CONFIG_NAME)
    if text is None or loaded is None or not isinstance(loaded.data, dict):
        raise ConfigError(
            f"{CONFIG_NAME}: cannot be read as settings: run `llcompliance validate` to see why"
        )
    data: dict[str, Any] = loaded.data
    current = data.get("format", 1)
    if not isinstance(current, int) or current >= CURRENT_FORMAT:
        return None, current if isinstance(current, int) else CURRENT_FORMAT
    lines = text.lines
    if "format" in data:
        index = loaded.line_of(("format",)) - 1
        match = _FORMAT_LINE.match(_Text.content(lines[index]))
        if match is None:
            raise ConfigError(
                f"{CONFIG_NAME}:{index + 1}: write `format: {CURRENT_FORMAT}` on this line, then "
                "run `llcompliance upgrade` again"
            )
        before: tuple[str, ...] = (_Text.content(lines[index]),)
        lines[index] = f"{match['head']}{CURRENT_FORMAT}{match['tail']}{text.ending(lines[index])}"
        summary = f"set `format: {CURRENT_FORMAT}` (was {current})"
    else:
        node = loaded.node
        key = node.value[0][0] if node is not None and getattr(node, "value", None) else None
        index = key.start_mark.line if key is not None else len(lines)
        indent = " " * (key.start_mark.column if key is not None else 0)
        if lines and not lines[-1].endswith("\n") and index == len(lines):
            lines[-1] += text.newline
        before = ()
        lines.insert(index, f"{indent}format: {CURRENT_FORMAT}{text.newline}")
        summary = f"added `format: {CURRENT_FORMAT}`: the repo is now in the current format"
    new = text.encode()
    check = _parse(new.decode("utf-8-sig"), path=CONFIG_NAME)
    if check is None or check.data != {**data, "format": CURRENT_FORMAT}:
        raise ConfigError(
            f"{CONFIG_NAME}: could not add `format: {CURRENT_FORMAT}` safely: add it by hand as "
            "the first setting, then run `llcompliance upgrade` again"
        )
    after = (_Text.content(lines[index]),)
    change = Change(CONFIG_NAME, index + 1, summary, before, after)
    return FileEdit(CONFIG_NAME, raw, new, (change,)), current


# --- policies and evidence ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Front:
    """A document's YAML (front matter or whole file): its parse and where it sits in the file."""

    text: _Text
    loaded: yamlio.Loaded
    data: dict[str, Any]
    end_index: int  # index of the line after the YAML (the closing fence, or the end of the file)


def _front(path: str, raw: bytes) -> _Front | None:
    text = _decodable(raw)
    if text is None:
        return None
    whole = "".join(text.lines).replace("\r\n", "\n")
    if path.endswith(".md"):
        try:
            front = yamlio.split_front_matter(whole)
        except DocumentError:
            return None
        if front is None:
            return None
        loaded = _parse(front.yaml_text, path=path, first_line=front.yaml_first_line)
        end_index = front.body_first_line - 2  # the closing fence
    else:
        loaded = _parse(whole, path=path)
        end_index = len(text.lines)
    if loaded is None or not isinstance(loaded.data, dict):
        return None
    return _Front(text, loaded, loaded.data, end_index)


def _key_span(front: _Front, key: str) -> tuple[int, int, int] | None:
    """(first index, last index, key column) of a top-level key and its value, in file lines."""
    node = front.loaded.node
    pairs = list(getattr(node, "value", []))
    for n, (key_node, value_node) in enumerate(pairs):
        if key_node.value == key:
            start = front.loaded.first_line - 1 + key_node.start_mark.line
            if n + 1 < len(pairs):
                nxt = front.loaded.first_line - 1 + pairs[n + 1][0].start_mark.line
            else:
                nxt = front.end_index
            end = front.loaded.first_line - 1 + value_node.end_mark.line
            # a value ending at column 0 ended with the line before (block values do)
            if value_node.end_mark.column == 0:
                end -= 1
            return start, max(start, min(end, nxt - 1)), key_node.start_mark.column
    return None


def _insert_line(front: _Front, after_key: str) -> int:
    """The 1-based file line where a new top-level key goes: after `after_key`'s value."""
    span = _key_span(front, after_key)
    return (span[1] + 2) if span else front.end_index + 1


def _value_text(line: str, column: int, key: str) -> str:
    """What follows `key:` on its line (the value and any comment, as written)."""
    rest = _Text.content(line)[column:]
    return rest.split(":", 1)[1].strip() if rest.startswith(key) and ":" in rest else ""


def _policy(path: str, raw: bytes) -> tuple[FileEdit | None, list[Finding]]:
    """Format 1's `approved: DATE` + `approved_by: ROLE` as `approved: {date, by}`; what is missing,
    as findings."""
    front = _front(path, raw)
    if front is None:
        return None, []
    data = front.data
    approved, by = data.get("approved"), data.get("approved_by")
    approved_span, by_span = _key_span(front, "approved"), _key_span(front, "approved_by")
    if isinstance(approved, dict):
        if by_span is not None:
            return None, [
                Finding(
                    path,
                    by_span[0] + 1,
                    "approval-left-over",
                    WARNING,
                    "`approved_by` is left over from the older format: `approved.by` says who "
                    "approved it now; check they agree, then remove this line",
                )
            ]
        return None, []
    if approved is None and by is None:
        return None, [
            Finding(
                path,
                front.end_index + 1,
                "unapproved",
                WARNING,
                f"is a draft: once it is approved, add {APPROVED_TO_ADD} here (the date and "
                "the role or body that approved it)",
            )
        ]
    date_ok = isinstance(approved, str) and _DATE.match(approved) is not None
    by_ok = isinstance(by, str) and by.strip() != ""
    if not (date_ok and by_ok and approved_span and by_span):
        return None, [_approval_finding(path, approved, by, approved_span, by_span, front)]
    edit = _convert_approval(path, raw, front, approved_span, by_span)
    if edit is None:
        line = approved_span[0] + 1
        return None, [
            Finding(
                path,
                line,
                "upgrade-by-hand",
                ERROR,
                "could not convert `approved` and `approved_by` safely (they span several "
                f"lines): write them as {APPROVED_TO_ADD} with the same date and role",
            )
        ]
    return edit, []


def _approval_finding(
    path: str,
    approved: object,
    by: object,
    approved_span: tuple[int, int, int] | None,
    by_span: tuple[int, int, int] | None,
    front: _Front,
) -> Finding:
    """Half an approval in the older format: say exactly what to write, never fill the gap."""
    if approved is None and by_span is not None:
        return Finding(
            path,
            by_span[0] + 1,
            "approval-date",
            ERROR,
            f"says who approved it (approved_by) but not when: replace this line with "
            f"`approved: {{date: YYYY-MM-DD, by: {by}}}` giving the date it was approved",
        )
    line = approved_span[0] + 1 if approved_span else front.end_index + 1
    if isinstance(approved, str) and _DATE.match(approved) and by is None:
        return Finding(
            path,
            line,
            "approval-by",
            ERROR,
            f"says when it was approved but not by whom: replace this line with "
            f"`approved: {{date: {approved}, by: Board of trustees}}` naming the role or body "
            "that approved it",
        )
    return Finding(
        path,
        line,
        "approval-by",
        ERROR,
        f"`approved` must be a date and `approved_by` a role or body: write them as "
        f"{APPROVED_TO_ADD}",
    )


def _convert_approval(
    path: str,
    raw: bytes,
    front: _Front,
    approved_span: tuple[int, int, int],
    by_span: tuple[int, int, int],
) -> FileEdit | None:
    """The text edit: `approved:` becomes a block with `date:` and `by:`; `approved_by:` goes."""
    (a_start, a_end, column), (b_start, b_end, _) = approved_span, by_span
    if a_start != a_end or b_start != b_end:
        return None  # a value over several lines: not guessed at
    text = _Text(raw)
    lines = text.lines
    a_line, b_line = lines[a_start], lines[b_start]
    date_text = _value_text(a_line, column, "approved")
    by_text = _value_text(b_line, column, "approved_by")
    if not date_text or not by_text:
        return None
    indent, nl = " " * column, text.ending(a_line) or text.newline
    new_block = [
        f"{indent}approved:{nl}",
        f"{indent}  date: {date_text}{nl}",
        f"{indent}  by: {by_text}{text.ending(a_line) or text.newline}",
    ]
    lines[a_start] = "".join(new_block)
    del lines[b_start]
    new = text.encode()
    expected = {k: v for k, v in front.data.items() if k != "approved_by"}
    expected["approved"] = {"date": front.data["approved"], "by": front.data["approved_by"]}
    check = _front(path, new)
    if check is None or check.data != expected:
        return None
    line = a_start + 1 if a_start < b_start else a_start  # after the deletion above it
    change = Change(
        path,
        line,
        "`approved` and `approved_by` became one `approved:` with the same `date` and `by`",
        tuple(
            _Text.content(x) for x in ((a_line, b_line) if a_start < b_start else (b_line, a_line))
        ),
        tuple(_Text.content(x) for x in new_block),
    )
    return FileEdit(path, raw, new, (change,))


def _evidence(path: str, raw: bytes) -> list[Finding]:
    """Evidence without `kind` or `date`: where to add them (only the service knows what they are)."""
    front = _front(path, raw)
    if front is None:
        return []
    data = front.data
    missing = [
        text for key, text in (("kind", KIND_TO_ADD), ("date", DATE_TO_ADD)) if key not in data
    ]
    if not missing:
        return []
    hint = ""
    collected = data.get("collected")
    if "date" not in data and isinstance(collected, str) and _DATE.match(collected):
        hint = f"; `collected: {collected}` says when it was gathered, which may be that date"
    return [
        Finding(
            path,
            _insert_line(front, "title"),
            "evidence-kind" if "kind" not in data else "evidence-date",
            ERROR,
            f"add {' and '.join(missing)} as new lines here{hint}: without them it cannot "
            "count as evidence",
        )
    ]


# --- the toolkit's pins -------------------------------------------------------------------------


def _version(text: str) -> tuple[int, ...] | None:
    match = _VERSION.search(text)
    return tuple(int(p) for p in match.group(1).split(".")) if match else None


def template_pins() -> tuple[Pin, Pin]:
    """How this toolkit's template pins its hooks (pre-commit `rev`) and its action (`uses:`)."""
    base = resources.template_dir()
    hook: Pin | None = None
    for line in (base / PRE_COMMIT_CONFIG).read_text(encoding="utf-8").splitlines():
        match = _REV_LINE.match(line)
        if match:
            value = match["value"].strip("'\"")
            version = _version(value) or _version(match["tail"])
            if version:
                hook = Pin(value, version, _label(version), (match["value"] + match["tail"]))
                break
    action: Pin | None = None
    workflow = base / WORKFLOWS_DIR / "readiness.yml"
    for line in workflow.read_text(encoding="utf-8").splitlines():
        match = _USES_LINE.match(line)
        if match and (version := _version(match["tail"])):
            action = Pin(
                match["ref"], version, _label(version), f"{match['ref']} # {_label(version)}"
            )
            break
    if hook is None or action is None:
        raise ConfigError("llcompliance's template has lost its pins: reinstall llcompliance")
    return hook, action


def _label(version: tuple[int, ...]) -> str:
    return "v" + ".".join(map(str, version))


def _decide(ref: str, version: tuple[int, ...] | None, pin: Pin) -> str:
    """ "move" to the template's pin, "keep", "newer" (ahead of this toolkit) or "unknown"."""
    if version is None:
        return "unknown"
    if version < pin.version:
        return "move"
    if version > pin.version:
        return "newer"
    # the same release: only the placeholder commit gives way to a real one
    return "move" if ref == PLACEHOLDER_SHA and pin.ref != PLACEHOLDER_SHA else "keep"


def _pin_finding(path: str, line: int, decision: str, what: str, pin: Pin) -> Finding | None:
    if decision == "newer":
        return Finding(
            path,
            line,
            "pin-newer",
            NOTE,
            f"{what} is pinned to a newer release than this llcompliance ({pin.label}): left as "
            "it is; upgrade llcompliance itself",
        )
    if decision == "unknown":
        return Finding(
            path,
            line,
            "pin-unknown",
            WARNING,
            f"{what} is not pinned to a release: pin it to {pin.label} as the template does "
            "(`llcompliance upgrade` then keeps it up to date), unless you chose this on purpose",
        )
    return None


def _same_repo(url: object) -> bool:
    return isinstance(url, str) and url.rstrip("/").removesuffix(".git") == TOOLKIT_REPO


def _pre_commit(root: Path, pin: Pin) -> list[FileEdit | Finding]:
    """The toolkit's hooks in .pre-commit-config.yaml, brought to this version's `rev`."""
    raw = _read(root, PRE_COMMIT_CONFIG)
    text = _decodable(raw) if raw is not None else None
    if raw is None or text is None:
        return []
    loaded = _parse(raw.decode("utf-8-sig"), path=PRE_COMMIT_CONFIG)
    repos = loaded.data.get("repos") if loaded and isinstance(loaded.data, dict) else None
    if loaded is None or not isinstance(repos, list):
        return []
    out: list[FileEdit | Finding] = []
    changes = []
    for n, entry in enumerate(repos):
        if not isinstance(entry, dict) or not _same_repo(entry.get("repo")) or "rev" not in entry:
            continue
        index = loaded.line_of(("repos", n, "rev")) - 1
        line = text.lines[index]
        match = _REV_LINE.match(_Text.content(line))
        if match is None:
            continue
        value = match["value"].strip("'\"")
        decision = _decide(value, _version(value) or _version(match["tail"]), pin)
        if decision != "move":
            finding = _pin_finding(PRE_COMMIT_CONFIG, index + 1, decision, "the hooks' rev", pin)
            out += [finding] if finding else []
            continue
        text.lines[index] = f"{match['head']}{pin.text}{text.ending(line)}"
        changes.append(
            Change(
                PRE_COMMIT_CONFIG,
                index + 1,
                f"the llcompliance hooks now run {pin.label}",
                (_Text.content(line),),
                (_Text.content(text.lines[index]),),
            )
        )
    if changes:
        out.append(FileEdit(PRE_COMMIT_CONFIG, raw, text.encode(), tuple(changes)))
    return out


def _workflows(root: Path, pin: Pin) -> list[FileEdit | Finding]:
    """Every `uses:` of the toolkit's action in .github/workflows/, brought to this version's commit."""
    folder = root / WORKFLOWS_DIR
    if folder.is_symlink() or not folder.is_dir():
        return []
    out: list[FileEdit | Finding] = []
    for path in sorted(folder.iterdir()):
        rel = f"{WORKFLOWS_DIR}/{path.name}"
        if path.suffix not in (".yml", ".yaml"):
            continue
        raw = _read(root, rel)
        text = _decodable(raw) if raw is not None else None
        if raw is None or text is None:
            continue
        changes = []
        for index, line in enumerate(text.lines):
            match = _USES_LINE.match(_Text.content(line))
            if match is None:
                continue
            decision = _decide(match["ref"], _version(match["tail"]), pin)
            if decision != "move":
                finding = _pin_finding(rel, index + 1, decision, "the readiness action", pin)
                out += [finding] if finding else []
                continue
            quote = match["quote"]
            text.lines[index] = (
                f"{match['head']}{quote}{OWN_ACTION}@{pin.ref}{quote} # {pin.label}"
                f"{text.ending(line)}"
            )
            changes.append(
                Change(
                    rel,
                    index + 1,
                    f"the readiness action now runs {pin.label}",
                    (_Text.content(line),),
                    (_Text.content(text.lines[index]),),
                )
            )
        if changes:
            out.append(FileEdit(rel, raw, text.encode(), tuple(changes)))
    return out
