"""An evidence repo loaded as a whole: config, catalogues, documents, typed items and cross-checks."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable, Collection
from pathlib import Path, PureWindowsPath
from typing import Any, NamedTuple

from llcompliance.adapters.printable import printable
from llcompliance.core import catalogue as catalogue_mod
from llcompliance.core import config as config_mod
from llcompliance.core.catalogue import EVIDENCE_KINDS, POLICY_KIND, Catalogue, Standard
from llcompliance.core.doccache import DocCache, DocIndex, folder_stamps, index_entry
from llcompliance.core.documents import (
    FOLDERS,
    CommitTree,
    Document,
    Source,
    WorkTree,
    discover,
    kind_of,
    name_finding,
    own_text,
    shown_path,
    word_count,
)
from llcompliance.core.findings import ERROR, WARNING, Finding
from llcompliance.errors import ConfigError


class StandardRef(NamedTuple):
    """A document's claim to support a standard, with an optional sentence on how."""

    id: str
    how: str | None


class EvidenceItem(NamedTuple):
    """A policy or evidence record that supports standards."""

    id: str
    title: str
    kind: str  # "policy" | "evidence"
    path: str
    owner: str | None
    standards: tuple[StandardRef, ...]
    review_due: str | None
    location_path: str | None
    location_reference: str | None
    valid: bool
    resolves: bool
    sha256: str = ""
    # What a requirement group can ask for: "policy" for a policy, else the record's `kind`
    # (record, data, feedback, template, plan), or None when an evidence record has none (yet).
    evidence_kind: str | None = None
    date: str | None = None  # evidence: the date it speaks for (the end of the period it covers)
    approved_date: str | None = None  # policy: when it was approved (None: a draft)
    approved_by: str | None = None
    words: int = 0  # policy: words of its own text (headings and template prompts excluded)

    @property
    def location(self) -> str:
        """Where the evidence is: a repo path or the external reference."""
        if self.kind == "policy":
            return self.path
        return self.location_path or self.location_reference or ""


class SelfAssessment(NamedTuple):
    """The service's own assessment of one standard."""

    standard: str
    status: str
    path: str
    narrative: str
    valid: bool
    narrative_words: int = 0  # the service's own words: no headings, quotes or template prompts
    cited: tuple[tuple[str, int], ...] = ()  # item ids the file names, and the file line of each
    narrative_cites: tuple[str, ...] = ()  # the ids among them named in "How we meet it"


class Outcome(NamedTuple):
    """An assessor's finding on one standard."""

    standard: str
    outcome: str
    comment: str | None
    date: str | None
    assessor: str | None
    path: str


class Workspace(NamedTuple):
    """Everything the checks, coverage and the report need, from one source."""

    root: Path
    config: config_mod.Config
    catalogues: tuple[Catalogue, ...]
    source_label: str
    documents: tuple[Document, ...]
    items: tuple[EvidenceItem, ...]
    self_assessments: dict[str, SelfAssessment]
    outcomes: dict[str, Outcome]
    findings: tuple[Finding, ...]

    @property
    def framework(self) -> Catalogue:
        """The catalogue readiness is reported against (the first configured)."""
        return self.catalogues[0]

    def standard(self, standard_id: str) -> Standard | None:
        """A standard from any loaded catalogue."""
        for cat in self.catalogues:
            found = cat.standard(standard_id)
            if found is not None:
                return found
        return None


def load(
    root: Path,
    *,
    commit: str | None = None,
    today: dt.date | None = None,
    focus: Callable[[str], bool] | None = None,
    source: Source | None = None,
) -> Workspace:
    """Load the evidence repo at `root`, from the working tree or from `commit`.

    With `focus` (what `validate PATHS` and the hook ask for), only focused documents are read
    and checked; of the others only the ids are needed (to find duplicates), which the cache
    gives without reading the files.
    """
    if source is None:  # a caller replaying history passes a tree it already knows
        source = CommitTree(root, commit) if commit else WorkTree(root)
    if isinstance(source, CommitTree):
        # A report of a commit depends on nothing outside it: settings and catalogues included.
        committed = source.read_file(config_mod.CONFIG_NAME)
        if committed is None:
            raise ConfigError(f"commit {source.commit[:12]} has no {config_mod.CONFIG_NAME}")
        config = config_mod.load(root, committed)
        catalogues = tuple(
            catalogue_mod.load(spec, root, source.read_file) for spec in config.catalogues
        )
    else:
        config = config_mod.load(root)
        catalogues = tuple(catalogue_mod.load(spec, root) for spec in config.catalogues)
    cache = DocCache.for_repo(root)
    if focus is not None and isinstance(source, WorkTree) and cache.enabled:
        return _load_focused(root, source, config, catalogues, cache, focus, today)
    paths = discover(source)
    if isinstance(source, CommitTree) and cache.enabled:
        source.prefetch(
            [p for p in paths if cache.get(kind_of(p) or "", source.known_blob(p) or "", p) is None]
        )
    owners: dict[str, str] = {}  # document id -> the first path (in path order) that uses it
    if focus is not None:
        chosen = [p for p in paths if focus(p) or focus(shown_path(p))]
        wanted = set(chosen)
        for path in paths:
            if path in wanted:
                doc_id = None
            else:
                doc_id = cache.peek_id(source, path) if cache.enabled else None
                if doc_id is None:
                    doc = cache.read(source, path)
                    doc_id = (
                        _text(doc.data or {}, "id") if doc.kind in ("policy", "evidence") else ""
                    )
            if doc_id:
                owners.setdefault(doc_id, path)
        paths = chosen
    documents = tuple(cache.read(source, path) for path in paths)
    if focus is not None:
        # a focused document earlier in path order owns its id, as in a full run
        for doc in documents:
            doc_id = _text(doc.data or {}, "id") if doc.kind in ("policy", "evidence") else None
            if doc_id and paths_before(owners.get(doc_id), doc.path):
                owners[doc_id] = doc.path
    cache.save(prune=focus is None)
    return _assemble(root, config, catalogues, source, documents, owners, today)


class Others(NamedTuple):
    """What the documents not read (validate PATHS) contribute to the checks, from the index."""

    by_id: dict[
        str, tuple[str, Collection[str]]
    ]  # item id -> (path, standards), last in path order
    claims: dict[
        str, list[tuple[bool, int, str]]
    ]  # standard -> (misfiled?, position, path) of claimants
    name_findings: list[Finding]

    def speaks_before(self, standard: str, path: str) -> bool:
        """True when another self-assessment speaks for `standard` before the one at `path`."""
        mine = (_stem(path) != standard, path)
        return any((misfiled, other) < mine for misfiled, _, other in self.claims.get(standard, ()))


def _load_focused(
    root: Path,
    source: WorkTree,
    config: config_mod.Config,
    catalogues: tuple[Catalogue, ...],
    cache: DocCache,
    focus: Callable[[str], bool],
    today: dt.date | None,
) -> Workspace:
    """`validate PATHS` on the working tree: read the focused documents; the others only by the
    index (their stat signatures), read again through the cache when they may have changed."""
    index = DocIndex.for_repo(root)
    listed = index.listing(root)
    if listed is None:
        stamps = folder_stamps(root, FOLDERS)  # before listing: a change during it shows next time
        files = source.files()
        paths = sorted(p for p in files if kind_of(p) is not None)
        other_files = [p for p in files if kind_of(p) is None]
        index.relist(root, paths, other_files, stamps)
    else:
        paths, other_files = listed
    chosen = [p for p in paths if _focused(focus, p)]
    wanted = set(chosen)
    signatures = {p: source.stat_key(p) for p in chosen}  # before reading: later edits show
    for path in index.stale(source.prefix, paths, wanted):  # changed or new since indexed
        signature = source.stat_key(path)
        index.put(path, signature, index_entry(cache.read(source, path)))  # through the cache
    documents = tuple(cache.read(source, path) for path in chosen)
    mine = {doc.path: index_entry(doc) for doc in documents}
    for path, entry in mine.items():
        if path in signatures:
            index.put(path, signatures[path], entry)
    cache.save()
    index.save()
    owners: dict[str, str] = {}
    by_id: dict[str, tuple[str, Collection[str]]] = {}
    claims: dict[str, list[tuple[bool, int, str]]] = {}
    rows = index.docs  # every one fresh and well-formed now (DocIndex.stale, put)
    # every document of the repo: rows are read as they are stored, nothing built per document
    for position, path in enumerate(paths):
        if path in wanted:
            focused = mine.get(path)
            if focused is not None and focused.raw_id:
                owners.setdefault(focused.raw_id, path)
            continue
        _, _, _, _, raw_id, item_id, standards, claimed = rows[path]
        if raw_id:
            owners.setdefault(raw_id, path)
        if item_id is not None:
            by_id[item_id] = (path, standards)
        if claimed is not None:
            claims.setdefault(claimed, []).append((_stem(path) != claimed, position, path))
    names = [f for p in other_files if _focused(focus, p) for f in [name_finding(p)] if f]
    others = Others(by_id, claims, names)
    return _assemble(root, config, catalogues, source, documents, owners, today, others)


def _focused(focus: Callable[[str], bool], path: str) -> bool:
    """Whether `path` is asked for, by its name or as findings show it (escaped)."""
    # printable ASCII is shown as it is: no need to escape it (2,500 calls add up in a hook)
    plain = path.isascii() and path.isprintable()
    return focus(path) or (not plain and focus(shown_path(path)))


def paths_before(owner: str | None, path: str) -> bool:
    """True when `path` comes before `owner` in path order (or nothing owns the id yet)."""
    return owner is None or path < owner


def _assemble(
    root: Path,
    config: config_mod.Config,
    catalogues: tuple[Catalogue, ...],
    source: Source,
    documents: tuple[Document, ...],
    owners: dict[str, str],
    today: dt.date | None,
    others: Others | None = None,
) -> Workspace:
    """Items, assessments and findings of the documents read (with `others`: checked against the
    indexed rest of the repo too)."""
    known = {s.id for cat in catalogues for s in cat.standards}
    items = _mark_duplicates(
        tuple(_item(d, source) for d in documents if d.kind in ("policy", "evidence") and d.data)
    )
    ids = {item.id for item in items} | set(owners)
    if others is not None:
        ids |= set(others.by_id)
    assessments = _self_assessments(documents, ids)
    if others is not None:
        assessments = {
            std: sa for std, sa in assessments.items() if not others.speaks_before(std, sa.path)
        }
    outcomes = _outcomes(documents)
    findings = [f for d in documents for f in d.findings]
    findings += _check_folders(source)
    findings += _check_names(source) if others is None else others.name_findings
    findings += _cross_checks(documents, source, known, today or dt.date.today(), owners)
    findings += _check_format(config, documents, today or dt.date.today())
    findings += _check_citations(assessments, items, others.by_id if others else None)
    return Workspace(
        root=root,
        config=config,
        catalogues=catalogues,
        source_label=source.label,
        documents=documents,
        items=items,
        self_assessments=assessments,
        outcomes=outcomes,
        findings=tuple(sorted(set(findings))),
    )


def _mark_duplicates(items: tuple[EvidenceItem, ...]) -> tuple[EvidenceItem, ...]:
    """Items sharing an id cannot both be evidence: neither counts until one is renamed."""
    from collections import Counter

    counts = Counter(item.id for item in items)
    return tuple(item._replace(valid=False) if counts[item.id] > 1 else item for item in items)


def standard_refs(data: dict[str, Any]) -> tuple[StandardRef, ...]:
    """The `standards:` list read leniently (invalid documents still show what they claim)."""
    refs = []
    raw = data.get("standards")
    for entry in raw if isinstance(raw, list) else []:
        if isinstance(entry, str):
            refs.append(StandardRef(printable(entry), None))
        elif isinstance(entry, dict) and isinstance(entry.get("id"), str):
            how = entry.get("how")
            how = how if isinstance(how, str) else None
            refs.append(StandardRef(printable(entry["id"]), _safe(how, multiline=True)))
    return tuple(refs)


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) else None


def _shown(value: object, limit: int = 80) -> str:
    """A value from a document as a message quotes it: escapes for control characters, cut short."""
    text = printable(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _safe(value: str | None, *, multiline: bool = False) -> str | None:
    # Invalid documents can carry terminal escapes or bidi overrides into explain and coverage.
    return None if value is None else printable(value, multiline=multiline)


# What `llcompliance new` writes until someone fills it in: a draft supports nothing yet.
PLACEHOLDER_HOW = "Say in one sentence how this supports the standard."


def draft_problem(doc: Document) -> tuple[int, str] | None:
    """Where and why a policy or evidence record is still an unfilled draft, or None."""
    data = doc.data or {}
    raw = data.get("standards")
    for entry in raw if isinstance(raw, list) else []:
        if (
            isinstance(entry, dict)
            and isinstance(entry.get("how"), str)
            and entry["how"].strip() == PLACEHOLDER_HOW
        ):
            return (
                _line(doc, "standards"),
                f"still says '{PLACEHOLDER_HOW}': write how it supports {entry.get('id')}",
            )
    if doc.kind == "policy" and doc.path.endswith(".md") and not doc.has_text:
        # headings and the template's <!-- prompt --> alone: mapped to standards, but says nothing
        return (
            doc.body_first_line,
            "has no policy text yet, only headings or template prompts: write the policy "
            "below the front matter",
        )
    return None


def _item(doc: Document, source: Source) -> EvidenceItem:
    data = doc.data or {}
    location = data.get("location") if doc.kind == "evidence" else None
    loc_path = _text(location, "path") if isinstance(location, dict) else None
    loc_ref = _text(location, "reference") if isinstance(location, dict) else None
    if doc.kind == "policy":
        resolves = True
    elif loc_path is not None:
        resolves = resolve_location(loc_path, source) is None
    else:
        resolves = bool(loc_ref and loc_ref.strip())
    approved = data.get("approved") if doc.kind == "policy" else None
    approved = approved if isinstance(approved, dict) else {}
    kind = _text(data, "kind") if doc.kind == "evidence" else POLICY_KIND
    return EvidenceItem(
        id=_safe(_text(data, "id")) or doc.path,
        title=_safe(_text(data, "title")) or doc.path,
        kind=doc.kind,
        path=doc.path,
        owner=_safe(_text(data, "owner")),
        standards=standard_refs(data),
        review_due=_safe(_text(data, "review_due")),
        location_path=_safe(loc_path),
        location_reference=_safe(loc_ref),
        valid=doc.valid and draft_problem(doc) is None,
        resolves=resolves,
        sha256=doc.sha256,
        evidence_kind=kind if kind in (POLICY_KIND, *EVIDENCE_KINDS) else None,
        date=_safe(_text(data, "date")) if doc.kind == "evidence" else None,
        approved_date=_safe(_text(approved, "date")),
        approved_by=_safe(_text(approved, "by")),
        words=doc.words,
    )


_COMMENT_RE = re.compile(r"<!--.*?(-->|\Z)", re.S)
_NARRATIVE_HEADING_RE = re.compile(r"^(#{1,6})\s*how we meet it\s*$", re.I | re.M)


def narrative(body: str) -> str:
    """The 'How we meet it' text of a self-assessment, without template prompts (HTML comments)."""
    match = _NARRATIVE_HEADING_RE.search(body)
    if match:
        rest = body[match.end() :]
        # the section runs to the next heading of the same or a higher level: subheadings belong to it
        level = len(match.group(1))
        following = re.search(rf"^#{{1,{level}}}\s", rest, re.M)
        section = rest[: following.start()] if following else rest
    else:
        section = "\n".join(line for line in body.splitlines() if not line.startswith(("#", ">")))
    return _COMMENT_RE.sub("", section).strip()


_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def citations(text: str, ids: set[str]) -> list[tuple[str, int]]:
    """The known item ids that `text` names, each with its (1-based) line in `text`."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for token in _TOKEN.findall(line):
            token = token.rstrip("._-")  # "…as POL-lone-working." ends a sentence
            if token in ids:
                found.append((token, number))
    return found


def narrative_words(text: str) -> int:
    """Words of a narrative in the service's own words: no headings, quotes or template prompts."""
    return word_count(
        "\n".join(line for line in own_text(text).splitlines() if not line.lstrip().startswith(">"))
    )


def _self_assessments(
    documents: tuple[Document, ...], ids: set[str] | None = None
) -> dict[str, SelfAssessment]:
    found: dict[str, SelfAssessment] = {}
    # standards/SP1.md speaks for SP1 before any misfiled file that also claims SP1
    ordered = sorted(documents, key=lambda d: _text(d.data or {}, "standard") != _stem(d.path))
    for doc in ordered:
        if doc.kind != "self-assessment" or not doc.data:
            continue
        standard = _text(doc.data, "standard")
        if standard is None or standard in found:
            continue
        status = _text(doc.data, "status") or "not-started"
        told = narrative(doc.body)
        cited = citations(_COMMENT_RE.sub(_blank_lines, doc.body), ids or set())
        found[standard] = SelfAssessment(
            standard,
            status,
            doc.path,
            told,
            doc.valid,
            narrative_words=narrative_words(told),
            cited=tuple((i, doc.body_first_line + line - 1) for i, line in cited),
            narrative_cites=tuple(dict.fromkeys(i for i, _ in citations(told, ids or set()))),
        )
    return found


def _blank_lines(match: re.Match[str]) -> str:
    """A template comment replaced by its line breaks only, so later lines keep their numbers."""
    return "\n" * match.group(0).count("\n")


def _stem(path: str) -> str:
    return posixpath.splitext(posixpath.basename(path))[0]


def _outcomes(documents: tuple[Document, ...]) -> dict[str, Outcome]:
    found: dict[str, Outcome] = {}
    for doc in sorted(documents, key=lambda d: (_text(d.data or {}, "date") or "", d.path)):
        if doc.kind != "assessment" or not doc.valid or not doc.data:
            continue
        for entry in doc.data.get("findings", []):
            found[entry["standard"]] = Outcome(
                standard=entry["standard"],
                outcome=entry["outcome"],
                comment=entry.get("comment"),
                date=entry.get("date") or _text(doc.data, "date"),
                assessor=entry.get("assessor") or _text(doc.data, "assessor"),
                path=doc.path,
            )
    return found


FOLDER_PROBLEM = "is a folder: name the file itself"


def resolve_location(path: str, source: Source) -> str | None:
    """None when `path` names a file inside the repo; otherwise why it does not."""
    if not path.strip():
        return "is empty"
    if path.startswith(("/", "\\")) or PureWindowsPath(path).drive:
        return "is an absolute path: write it relative to the repo root, e.g. evidence/files/x.pdf"
    normal = posixpath.normpath(path.replace("\\", "/"))
    if normal == ".." or normal.startswith("../"):
        return "points outside the repo ('..'): evidence must be inside the repo or be a reference"
    if normal == ".git" or normal.startswith(".git/"):
        return "points into git's own folder: name a file of the repo"
    # Walk each component so a symlinked folder cannot lead outside the repo either.
    parts = normal.split("/")
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        kind = source.kind(prefix)
        if kind == "symlink":
            return (
                "goes through a symbolic link: links can lead outside the repo, so put the "
                "real file in the repo instead"
            )
        if kind == "missing":
            return "does not exist: check the spelling, or add the file"
    if source.kind(normal) == "dir":
        return FOLDER_PROBLEM
    if source.kind(normal) == "other":
        return "is not a regular file (a pipe, socket or device): name a real file"
    return None


_LINK_SCHEMES = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_LOCAL_LINK = re.compile(r"^([a-zA-Z]:|file:)", re.I)  # C:\x, file:///x: a file on someone's PC


def _check_folders(source: Source) -> list[Finding]:
    """A document folder that is a symbolic link would be skipped silently: say so instead."""
    return [
        Finding(
            top,
            1,
            "symlink",
            ERROR,
            f"the {top} folder is a symbolic link, so nothing in it is checked: "
            "replace the link with a real folder inside the repo",
        )
        for top in FOLDERS
        if source.kind(top) == "symlink"
    ]


def _check_names(source: Source) -> list[Finding]:
    """Attachments and other files with disguising or non-UTF-8 names (documents say it themselves):
    a report cannot list a name that is not UTF-8."""
    found = []
    for path in source.files():
        finding = name_finding(path) if kind_of(path) is None else None
        if finding is not None:
            found.append(finding)
    return found


def _cross_checks(
    documents: tuple[Document, ...],
    source: Source,
    known: set[str],
    today: dt.date,
    owners: dict[str, str] | None = None,
) -> list[Finding]:
    findings: list[Finding] = []
    # The first path using an id owns it; `owners` comes pre-filled when only some were read.
    ids: dict[str, str] = dict(owners or {})
    for doc in documents:
        if not doc.data:
            continue
        data = doc.data
        doc_id = _text(data, "id")
        if doc_id and doc.kind in ("policy", "evidence"):
            owner = ids.setdefault(doc_id, doc.path)
            if owner != doc.path:
                findings.append(
                    Finding(
                        doc.path,
                        _line(doc, "id"),
                        "duplicate-id",
                        ERROR,
                        f"id '{_shown(doc_id)}' is already used by {owner}: "
                        "give this document a different id",
                    )
                )
        refs = standard_refs(data) if doc.kind in ("policy", "evidence") else ()
        for ref in refs:
            if ref.id not in known:
                findings.append(
                    Finding(
                        doc.path,
                        _line(doc, "standards"),
                        "unknown-standard",
                        ERROR,
                        f"standard '{_shown(ref.id)}' is not in the catalogue: "
                        f"use an id such as {_sample(known)}",
                    )
                )
        if doc.kind == "self-assessment":
            findings += _check_self_assessment(doc, known)
        if doc.kind == "assessment":
            for entry in data.get("findings", []) if isinstance(data.get("findings"), list) else []:
                if isinstance(entry, dict) and entry.get("standard") not in known:
                    findings.append(
                        Finding(
                            doc.path,
                            _line(doc, "findings"),
                            "unknown-standard",
                            ERROR,
                            f"standard '{_shown(entry.get('standard'))}' is not in the catalogue",
                        )
                    )
        if doc.kind == "evidence":
            location = data.get("location")
            if isinstance(location, dict) and isinstance(location.get("path"), str):
                problem = resolve_location(location["path"], source)
                if problem:
                    findings.append(
                        Finding(
                            doc.path,
                            _line(doc, "location"),
                            "location",
                            ERROR,
                            f"location.path '{_shown(location['path'])}' {problem}",
                        )
                    )
        if doc.kind in ("policy", "evidence"):
            draft = draft_problem(doc)
            if draft:
                findings.append(Finding(doc.path, draft[0], "draft", ERROR, draft[1]))
        findings += _check_review(doc, today)
        if doc.links:
            findings += _check_links(doc, source)
    return findings


def _sample(known: set[str]) -> str:
    return ", ".join(sorted(known)[:3]) + "…" if known else "SP1"


def _check_self_assessment(doc: Document, known: set[str]) -> list[Finding]:
    data = doc.data or {}
    standard = _text(data, "standard")
    stem = posixpath.splitext(posixpath.basename(doc.path))[0]
    out = []
    if standard and standard not in known:
        out.append(
            Finding(
                doc.path,
                _line(doc, "standard"),
                "unknown-standard",
                ERROR,
                f"standard '{_shown(standard)}' is not in the catalogue",
            )
        )
    elif standard and standard != stem:
        out.append(
            Finding(
                doc.path,
                _line(doc, "standard"),
                "misfiled",
                ERROR,
                f"this file is {stem}.md but says standard: {_shown(standard)}: "
                f"rename the file to {_shown(standard)}.md or fix the key",
            )
        )
    if _text(data, "status") == "met" and not narrative(doc.body):
        out.append(
            Finding(
                doc.path,
                doc.body_first_line,
                "empty-narrative",
                WARNING,
                "status is met but 'How we meet it' is empty: describe how you meet "
                "the standard (template prompts in <!-- --> do not count)",
            )
        )
    return out


def _check_review(doc: Document, today: dt.date) -> list[Finding]:
    due = _text(doc.data or {}, "review_due")
    if not due or doc.kind not in ("policy", "evidence"):
        return []
    try:
        when = dt.date.fromisoformat(due)
    except ValueError:
        return []  # the schema already reported the bad date
    if when < today:
        return [
            Finding(
                doc.path,
                _line(doc, "review_due"),
                "expired",
                WARNING,
                f"review was due {due}; review it, then update review_due "
                "(and approved, once re-approved)",
            )
        ]
    return []


def _check_links(doc: Document, source: Source) -> list[Finding]:
    out = []
    for target, line in doc.links:  # targets come percent-decoded
        target = target.strip()
        if not target or target.startswith("#"):
            continue
        problem: str | None
        if _LOCAL_LINK.match(target):
            file_part = target
            problem = (
                "is a file on someone's own computer: put the file in the repo and link "
                "to it relative to this document"
            )
        elif _LINK_SCHEMES.match(target):
            continue
        else:
            file_part = target.split("#", 1)[0].split("?", 1)[0]
            if not file_part:
                continue
            if file_part.startswith("/") and not file_part.startswith("//"):
                file_part_in_repo = file_part.lstrip("/")  # GitHub resolves /x from the repo root
            elif not file_part.startswith(("/", "\\")):
                file_part_in_repo = posixpath.join(posixpath.dirname(doc.path), file_part)
            else:
                file_part_in_repo = file_part  # a network path: resolve_location says so
            problem = resolve_location(file_part_in_repo, source)
            if problem == FOLDER_PROBLEM:
                problem = None  # a link to a folder is fine: GitHub shows its listing
        if problem:
            out.append(
                Finding(
                    doc.path,
                    doc.body_first_line + line - 1,
                    "broken-link",
                    ERROR,
                    f"link to '{_shown(file_part)}' is broken: it {problem}",
                )
            )
    return out


def _line(doc: Document, key: str) -> int:
    """The file line of a top-level key of the document."""
    return doc.key_lines.get(key, 1)


KIND_LINE = "`kind: record` (or data, feedback, template, plan)"
DATE_LINE = "`date: YYYY-MM-DD` (the date the evidence speaks for: the end of the period it covers)"
APPROVED_LINE = (
    "`approved: {date: YYYY-MM-DD, by: Board of trustees}` (the date and the role or body)"
)


def _check_format(
    config: config_mod.Config, documents: tuple[Document, ...], today: dt.date
) -> list[Finding]:
    """An older repo is told to upgrade (once); a current one, what each record or policy lacks."""
    if config.format < config_mod.CURRENT_FORMAT:
        return [
            Finding(
                config_mod.CONFIG_NAME,
                1,
                "format",
                ERROR,
                f"this evidence repo is in an older format (no `format: {config_mod.CURRENT_FORMAT}`): "
                "run `llcompliance upgrade` to bring it up to date, then review and commit the changes",
            )
        ]
    findings = []
    for doc in documents:
        data = doc.data
        if not data or not doc.valid or draft_problem(doc) is not None:
            continue  # the schema or `draft` finding comes first: one thing to fix at a time
        if doc.kind == "evidence":
            missing = [
                line for key, line in (("kind", KIND_LINE), ("date", DATE_LINE)) if key not in data
            ]
            if missing:
                rule = "evidence-kind" if "kind" not in data else "evidence-date"
                findings.append(
                    Finding(
                        doc.path,
                        _line(doc, "review_due"),
                        rule,
                        ERROR,
                        f"add {' and '.join(missing)}: without them it cannot count as evidence",
                    )
                )
        elif doc.kind == "policy":
            if doc.has_text and doc.words < config.min_policy_words:
                findings.append(
                    Finding(
                        doc.path,
                        doc.body_first_line,
                        "short-policy",
                        WARNING,
                        f"has {doc.words} words of its own text; a policy needs at least "
                        f"{config.min_policy_words} to count as evidence (headings and template "
                        "prompts do not count): write the policy in full",
                    )
                )
            approved = data.get("approved")
            if not isinstance(approved, dict):
                findings.append(
                    Finding(
                        doc.path,
                        _line(doc, "review_due"),
                        "unapproved",
                        WARNING,
                        "is a draft: it counts as evidence once approved; then add "
                        f"{APPROVED_LINE}",
                    )
                )
            elif str(approved.get("date", "")) > today.isoformat():
                findings.append(
                    Finding(
                        doc.path,
                        _line(doc, "approved"),
                        "unapproved",
                        WARNING,
                        f"approved.date {approved.get('date')} is after today: it is a draft "
                        "until then; correct the date if it was approved already",
                    )
                )
    return findings


def _check_citations(
    assessments: dict[str, SelfAssessment],
    items: tuple[EvidenceItem, ...],
    others: dict[str, tuple[str, Collection[str]]] | None = None,
) -> list[Finding]:
    """A self-assessment that names an item which does not list the standard back.

    `others` (validate PATHS) holds the items not read, from the index; as in a full run, the
    last item in path order with an id is the one judged.
    """
    if not any(assessment.cited for assessment in assessments.values()):
        return []  # the usual hook: no self-assessment among the changed files
    listed: list[tuple[str, str, Collection[str]]] = [
        (item.path, item.id, frozenset(ref.id for ref in item.standards)) for item in items
    ]
    listed += [(path, item_id, standards) for item_id, (path, standards) in (others or {}).items()]
    listed.sort(key=lambda entry: entry[:2])  # each path once: its order decides
    by_id = {item_id: (path, standards) for path, item_id, standards in listed}
    findings = []
    for assessment in assessments.values():
        for cited, line in assessment.cited:
            item = by_id.get(cited)
            if item is None:
                continue
            if assessment.standard not in item[1]:
                findings.append(
                    Finding(
                        assessment.path,
                        line,
                        "one-sided-link",
                        WARNING,
                        one_sided_message(cited, item[0], assessment.standard),
                    )
                )
    return findings


def one_sided_message(item_id: str, item_path: str, standard: str) -> str:
    """What to do about a citation the cited item does not return."""
    return (
        f"cites {item_id}, but {item_path} does not list {standard} in its standards: add "
        f"{standard} there (with how it supports it), or remove the citation"
    )
