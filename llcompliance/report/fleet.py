"""The fleet view's work (DESIGN §11): read fleet.yaml, fetch each service's report branch into a
cache, verify its newest report exactly as `verify` does, and skip services whose ref has not moved.

Verified results only are ever counted; an unverified report keeps nothing but its reason.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from llcompliance import __version__
from llcompliance.adapters import gitrepo, schemas, yamlio
from llcompliance.adapters.fsutil import FileTooLarge, read_capped, write_atomic
from llcompliance.errors import ConfigError, DocumentError, LLCError
from llcompliance.report import build as report
from llcompliance.report import model as readiness
from llcompliance.report.verify import Render, verify_report

DEFAULT_REF = "readiness/report"
CACHE_DIR = ".cache"  # inside --out: one git repo per service, and the state of the last run
STATE_NAME = "state.json"
TIP_REF = "refs/fleet/tip"  # where the service's ref is fetched to in its cache repo
DEFAULT_JOBS = 8
DEFAULT_TIMEOUT = 300.0
MAX_SOURCES_BYTES = 1024 * 1024
MAX_REPORT_FILES = 64  # a report folder holds about a dozen files
REPORT_FOLDER = re.compile(r"^\d{4}-\d{2}-\d{2}(-[0-9A-Za-z._-]+)?$")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^[^/\\:]+@[^/\\:]+:")  # scheme:// or user@host:path


@dataclass(frozen=True)
class Source:
    """One service of fleet.yaml: where its reports are and whose signature to trust."""

    name: str
    repo: str  # as written in fleet.yaml
    location: str  # a URL as given, or the folder resolved against fleet.yaml's folder
    ref: str
    allowed_signers: Path
    principal: str | None
    line: int


@dataclass(frozen=True)
class Section:
    """A section of the catalogue, as a verified report names it, and its standards in order."""

    id: str
    title: str
    standards: tuple[str, ...]


@dataclass(frozen=True)
class ServiceResult:
    """What the fleet learned about one service: counted only when `verified`."""

    name: str
    verified: bool
    reason: str | None = None
    as_of: str | None = None
    commit: str | None = None
    summary: Mapping[str, int] | None = None
    states: Mapping[str, str] = field(default_factory=dict)
    accreditation: Mapping[str, Any] | None = None
    sections: tuple[Section, ...] = ()
    report: str | None = None  # the report folder on the ref, e.g. reports/2026-11-23-1a2b3c4
    signer: str | None = None
    tip: str | None = None  # the ref's commit when it was read
    reused: bool = False  # True: the ref had not moved, so last run's result stands

    def as_dict(self) -> dict[str, Any]:
        """The service's entry of fleet.json."""
        return {
            "name": self.name,
            "verified": self.verified,
            "reason": self.reason,
            "as_of": self.as_of,
            "commit": self.commit,
            "summary": dict(self.summary) if self.summary is not None else None,
            "states": dict(self.states),
            "accreditation": dict(self.accreditation) if self.accreditation else None,
            "report": self.report,
            "signer": self.signer,
            "sections": [
                {"id": s.id, "title": s.title, "standards": list(s.standards)}
                for s in self.sections
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, tip: str | None, reused: bool) -> ServiceResult:
        """A result as as_dict wrote it (the state file of the last run)."""
        return cls(
            name=str(data["name"]),
            verified=bool(data["verified"]),
            reason=data.get("reason"),
            as_of=data.get("as_of"),
            commit=data.get("commit"),
            summary=data.get("summary"),
            states=dict(data.get("states") or {}),
            accreditation=data.get("accreditation"),
            sections=tuple(
                Section(str(s["id"]), str(s["title"]), tuple(s["standards"]))
                for s in data.get("sections") or []
            ),
            report=data.get("report"),
            signer=data.get("signer"),
            tip=tip,
            reused=reused,
        )


@dataclass(frozen=True)
class Fleet:
    """One run over every service of fleet.yaml, in fleet.yaml's order."""

    generated: str  # ISO 8601 UTC, when the run started
    services: tuple[ServiceResult, ...]

    @property
    def failed(self) -> tuple[ServiceResult, ...]:
        """The services whose report did not verify (or could not be read)."""
        return tuple(s for s in self.services if not s.verified)

    def as_dict(self) -> dict[str, Any]:
        """fleet.json (DESIGN §11)."""
        return {"generated": self.generated, "services": [s.as_dict() for s in self.services]}


# --- fleet.yaml ---------------------------------------------------------------------------------


def load_sources(path: Path) -> tuple[Source, ...]:
    """Read and validate fleet.yaml; a ConfigError names the file and line of the first problem."""
    try:
        raw = read_capped(path, MAX_SOURCES_BYTES, what="far too large for a list of services")
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such file; write a fleet.yaml listing `services` (see README, Fleet)"
        ) from None
    except (OSError, UnicodeDecodeError, FileTooLarge) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc}); save it as UTF-8 text") from None
    try:
        loaded = yamlio.load(text, path=str(path))
    except DocumentError as exc:
        raise ConfigError(f"{path}:{exc.line}: {exc}") from None
    data = loaded.data
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: must be a set of keys, starting with `services:`")
    problems = [
        (loaded.line_of(where), message) for where, message in schemas.problems("fleet", data)
    ]
    if problems:
        lines = [f"{path}:{line}: {message}" for line, message in problems[:10]]
        more = f"\n… and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise ConfigError("fleet.yaml has problems:\n" + "\n".join(lines) + more)
    base = path.resolve().parent
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(data["services"]):
        line = loaded.line_of(("services", index))
        name = entry["name"].strip()
        if name.casefold() in seen:
            raise ConfigError(
                f"{path}:{line}: service '{name}' is listed twice (first on line "
                f"{seen[name.casefold()]}): give each service one entry"
            )
        seen[name.casefold()] = line
        repo = entry["repo"]
        location = repo if _URL.match(repo) else str((base / repo).resolve())
        sources.append(
            Source(
                name=name,
                repo=repo,
                location=location,
                ref=entry.get("ref", DEFAULT_REF),
                allowed_signers=base / entry["allowed_signers"],
                principal=entry.get("principal"),
                line=line,
            )
        )
    return tuple(sources)


# --- one run ------------------------------------------------------------------------------------


def gather(
    sources: Sequence[Source],
    out: Path,
    *,
    render: Render,
    rebuild: bool = False,
    jobs: int = DEFAULT_JOBS,
    timeout: float = DEFAULT_TIMEOUT,
    now: dt.datetime | None = None,
    progress: Callable[[ServiceResult], None] | None = None,
) -> Fleet:
    """Fetch and verify every service in parallel; one failure never stops the others."""
    started = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    cache = out / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    state = _read_state(cache / STATE_NAME)
    # Verification builds and renders with the toolkit's per-process caches, which are not
    # made for threads; it is CPU-bound under the GIL anyway. Fetching, the slow part, is parallel.
    lock = threading.Lock()

    def one(source: Source) -> ServiceResult:
        try:
            result = _service(source, cache, state.get(source.name), render, rebuild, timeout, lock)
        except LLCError as exc:
            result = ServiceResult(source.name, False, str(exc))
        except Exception as exc:  # noqa: BLE001 - one service's surprise must not stop the rest
            result = ServiceResult(
                source.name, False, f"unexpected error: {type(exc).__name__}: {exc}"
            )
        if progress is not None:
            progress(result)
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="fleet") as pool:
        results = tuple(pool.map(one, sources))
    _write_state(cache / STATE_NAME, sources, results, rebuild)
    return Fleet(started.isoformat().replace("+00:00", "Z"), results)


def _key(source: Source, rebuild: bool) -> dict[str, Any]:
    """What a result depends on besides the ref's commit: change any, and it is verified again."""
    try:
        signers = hashlib.sha256(source.allowed_signers.read_bytes()).hexdigest()
    except OSError:
        signers = None
    return {
        "location": source.location,
        "ref": source.ref,
        "allowed_signers": signers,
        "principal": source.principal,
        "rebuild": rebuild,
        "tool": __version__,
    }


def _read_state(path: Path) -> dict[str, Any]:
    """The last run's results by service name; an unreadable state only costs a full run."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    services = data.get("services") if isinstance(data, dict) else None
    return services if isinstance(services, dict) else {}


def _write_state(
    path: Path, sources: Sequence[Source], results: Sequence[ServiceResult], rebuild: bool
) -> None:
    # Only results that depend on the ref's content alone are kept: a fetch that failed or timed
    # out (no `tip` known, or no report read) is tried again next time.
    kept = {
        source.name: {"key": _key(source, rebuild), "tip": r.tip, "result": r.as_dict()}
        for source, r in zip(sources, results, strict=True)
        if r.tip is not None and (r.verified or r.report is not None)
    }
    data = {"tool": __version__, "services": kept}
    write_atomic(path, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"))


def _candidates(ref: str) -> list[str]:
    """Full ref names `ref` may mean, in the order git itself would try them."""
    return [ref] if ref.startswith("refs/") else [f"refs/heads/{ref}", f"refs/tags/{ref}"]


def cache_name(name: str) -> str:
    """A folder name for a service's cache repo: readable, and distinct for distinct names."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")[:40] or "service"
    return f"{slug}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


def _service(
    source: Source,
    cache: Path,
    previous: Any,
    render: Render,
    rebuild: bool,
    timeout: float,
    lock: threading.Lock,
) -> ServiceResult:
    """Fetch one service's ref (unless unchanged since last run) and verify its newest report."""
    if not source.allowed_signers.is_file():
        return ServiceResult(
            source.name,
            False,
            f"allowed_signers file {source.allowed_signers} not found: ask the service for its "
            "readiness key and save it there (never trust the copy inside its repo)",
        )
    repo = cache / "repos" / cache_name(source.name)
    gitrepo.init_cache(repo)
    try:
        tips = gitrepo.remote_refs(repo, source.location, _candidates(source.ref), timeout)
    except LLCError as exc:
        return ServiceResult(
            source.name, False, f"cannot read the repo {source.repo}: {exc}; check `repo`"
        )
    found = [ref for ref in _candidates(source.ref) if ref in tips]
    if not found:
        return ServiceResult(
            source.name,
            False,
            f"{source.repo} has no branch or tag '{source.ref}': the service has not published a "
            "signed report there yet (its Readiness workflow's 'Run workflow' does)",
        )
    tip = tips[found[0]]
    if (
        isinstance(previous, dict)
        and previous.get("tip") == tip
        and previous.get("key") == _key(source, rebuild)
        and isinstance(previous.get("result"), dict)
    ):
        return ServiceResult.from_dict(previous["result"], tip=tip, reused=True)
    commit = gitrepo.fetch_ref(repo, source.location, found[0], TIP_REF, timeout)
    gitrepo.detach_head(repo, commit)  # the rebuild reads HEAD's history
    entries = gitrepo.ls_tree(repo, commit)
    folders = sorted(
        {
            parts[1]
            for parts in (p.split("/") for p in entries)
            if len(parts) >= 3 and parts[0] == "reports" and REPORT_FOLDER.match(parts[1])
        }
    )
    if not folders:
        return ServiceResult(
            source.name,
            False,
            f"no report under reports/ on {source.ref} (commit {commit[:12]})",
            tip=commit,
        )
    folder = f"reports/{folders[-1]}"  # named YYYY-MM-DD-commit: the last sorts newest
    with tempfile.TemporaryDirectory(prefix="llcompliance-fleet-") as tmp:
        report_dir = Path(tmp) / folders[-1]
        problem = _extract(repo, entries, folder, report_dir)
        if problem is not None:
            return ServiceResult(source.name, False, problem, report=folder, tip=commit)
        try:
            with lock:
                checked = verify_report(
                    report_dir,
                    source.allowed_signers,
                    repo,
                    principal=source.principal,
                    rebuild=rebuild,
                    ref=TIP_REF,  # the reported commit must be on the service's ref
                    render=render,
                )
        except LLCError as exc:  # e.g. a folder without readiness.json
            return ServiceResult(
                source.name, False, f"{folder} did not verify: {exc}", report=folder, tip=commit
            )
        if not checked.ok:
            reason = "; ".join(f"{c.name}: {c.detail}" for c in checked.checks if not c.ok)
            return ServiceResult(
                source.name,
                False,
                f"{folder} did not verify: {reason}",
                as_of=None,
                report=folder,
                tip=commit,
            )
        # The bytes just verified: read again from the folder that passed.
        data = readiness.decode((report_dir / report.JSON_NAME).read_bytes(), report.JSON_NAME)
    return replace(
        _verified(source.name, data), report=folder, signer=checked.principal, tip=commit
    )


def _extract(
    repo: Path, entries: Mapping[str, gitrepo.TreeEntry], folder: str, dest: Path
) -> str | None:
    """Write the report folder's files from the commit into `dest`, as `verify` expects a folder;
    a nested folder becomes an empty folder of that name, which verify refuses. None when done."""
    prefix = folder + "/"
    inside = {p[len(prefix) :]: e for p, e in entries.items() if p.startswith(prefix)}
    if len(inside) > MAX_REPORT_FILES:
        return f"{folder} holds {len(inside)} files: a report folder holds about a dozen"
    dest.mkdir()
    files = {rel: e for rel, e in inside.items() if "/" not in rel}
    for rel in inside:
        top = rel.split("/")[0]
        if top in ("", ".", ".."):
            return f"{folder} has a file name git should never hold ({rel!r})"
        if "/" in rel:
            (dest / top).mkdir(exist_ok=True)
    blobs = gitrepo.read_blobs(repo, {e.blob for e in files.values()})
    for rel, entry in files.items():
        (dest / rel).write_bytes(blobs.get(entry.blob, b""))
    return None


def _verified(name: str, data: Mapping[str, Any]) -> ServiceResult:
    """The counted facts of a verified report."""
    standards = [s for s in data.get("standards", []) if isinstance(s, dict)]
    sections = tuple(
        Section(
            str(sec.get("id")),
            str(sec.get("title") or sec.get("id")),
            tuple(str(s["id"]) for s in standards if s.get("section") == sec.get("id")),
        )
        for sec in data.get("sections", [])
        if isinstance(sec, dict)
    )
    summary = data.get("summary", {})
    return ServiceResult(
        name=name,
        verified=True,
        as_of=str(data["as_of"]),
        commit=str(data["source"]["commit"]),
        summary={k: int(summary.get(k, 0)) for k in ("total", "ready", "attention", "gap")},
        states={str(s["id"]): str(s["state"]) for s in standards},
        accreditation=_accreditation(data.get("accreditation")),
        sections=sections,
    )


def _accreditation(value: Any) -> dict[str, str] | None:
    """The accreditation facts a commissioner weighs, when the report carries them (DESIGN §9)."""
    if not isinstance(value, dict):
        return None
    kept = {
        key: str(value[key])
        for key in ("outcome", "awarded", "expires", "visit", "applied")
        if isinstance(value.get(key), str)
    }
    return kept or None


# --- what the page shows across services ---------------------------------------------------------


@dataclass(frozen=True)
class WeakSpot:
    """A section where verified services fall short: how many, and the standards most often gaps."""

    section: str
    title: str
    services: int  # verified services reporting on this section
    with_gap: int
    with_attention: int  # services with attention but no gap in this section
    gaps: tuple[tuple[str, int], ...]  # (standard, services with it as a gap), most first


def standard_ids(fleet: Fleet) -> tuple[str, ...]:
    """Every standard of the verified reports, in report order (first seen first)."""
    seen: dict[str, None] = {}
    for service in fleet.services:
        if service.verified:
            for section in service.sections:
                seen.update(dict.fromkeys(section.standards))
            seen.update(dict.fromkeys(service.states))
    return tuple(seen)


def weak_spots(fleet: Fleet) -> tuple[WeakSpot, ...]:
    """Sections across verified services, the weakest first (most services with gaps)."""
    titles: dict[str, str] = {}
    members: dict[str, list[tuple[str, ...]]] = {}
    for service in fleet.services:
        if not service.verified:
            continue  # never counted
        for section in service.sections:
            titles.setdefault(section.id, section.title)
            members.setdefault(section.id, []).append(
                tuple(service.states.get(std, "") for std in section.standards)
            )
    gap_counts: dict[str, dict[str, int]] = {}
    for service in fleet.services:
        if service.verified:
            for section in service.sections:
                counts = gap_counts.setdefault(section.id, {})
                for std in section.standards:
                    if service.states.get(std) == "gap":
                        counts[std] = counts.get(std, 0) + 1
    spots = []
    for section_id, rows in members.items():
        with_gap = sum(1 for states in rows if "gap" in states)
        attention = sum(1 for states in rows if "gap" not in states and "attention" in states)
        gaps = sorted(gap_counts.get(section_id, {}).items(), key=lambda kv: (-kv[1], kv[0]))
        spots.append(
            WeakSpot(section_id, titles[section_id], len(rows), with_gap, attention, tuple(gaps))
        )
    order = {sid: i for i, sid in enumerate(titles)}
    return tuple(sorted(spots, key=lambda w: (-w.with_gap, -w.with_attention, order[w.section])))


def age_days(as_of: str | None, generated: str) -> int | None:
    """Days between a report's `as_of` and the run's date."""
    if not as_of:
        return None
    with contextlib.suppress(ValueError):
        return (dt.date.fromisoformat(generated[:10]) - dt.date.fromisoformat(as_of)).days
    return None
