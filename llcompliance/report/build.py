"""The readiness report: canonical, reproducible JSON from a commit; the report folder's names."""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from llcompliance import __version__
from llcompliance.adapters import canonical, gitrepo
from llcompliance.core import accreditation, workspace
from llcompliance.core.catalogue import Catalogue
from llcompliance.core.coverage import Coverage, compute
from llcompliance.core.documents import MAX_FILE_BYTES, SYMLINK_MODE, shown_path
from llcompliance.core.findings import ERROR, Finding
from llcompliance.core.trend import trend_points
from llcompliance.errors import UsageError
from llcompliance.guard.mask import mask_tree
from llcompliance.guard.scan import rules_from
from llcompliance.report.assessments import SIG_SUFFIX, TRUSTED_ASSESSORS, mark_signers

SCHEMA_VERSION = 1
JSON_NAME = "readiness.json"
SIG_NAME = "readiness.json.sig"
MD_NAME = "readiness.md"
HTML_NAME = "readiness.html"
BADGE_SVG = "badge.svg"
BADGE_JSON = "badge.json"
INTOTO_NAME = "readiness.intoto.json"
PREDICATE_TYPE = "urn:llcompliance:predicate:readiness:v1"
REPORTS_DIR = "reports/"
# Every file a report folder may hold: publish swaps a folder of only these whole.
DOCX_NAME = "readiness.docx"  # the self-assessment dossier (DESIGN §10)
XLSX_NAME = "readiness.xlsx"  # the evidence matrix
REPORT_FILES = frozenset(
    {
        JSON_NAME,
        SIG_NAME,
        MD_NAME,
        HTML_NAME,
        BADGE_SVG,
        BADGE_JSON,
        INTOTO_NAME,
        DOCX_NAME,
        XLSX_NAME,
    }
)


@dataclass(frozen=True)
class Built:
    """A report built from a commit: the canonical dict and what else is worth saying."""

    data: dict[str, Any]
    coverage: Coverage
    warnings: tuple[str, ...]

    @property
    def json_bytes(self) -> bytes:
        """The canonical readiness.json bytes."""
        return canonical.dumps(self.data)


def included(path: str) -> bool:
    """Files whose digests a report records: everything in the commit but earlier reports and
    names that are not UTF-8 (JSON cannot hold them; the commit's tree id still covers them)."""
    return not path.startswith(REPORTS_DIR) and gitrepo.is_utf8(path)


def build(
    root: Path, as_of: dt.date, *, commit: str = "HEAD", framework: str | None = None
) -> Built:
    """Build the report from the tree of `commit` (never from uncommitted files)."""
    if gitrepo.toplevel(root) is None or not gitrepo.has_commits(root):
        raise UsageError(
            f"{root} has no commits: commit your evidence first (the report names a commit)"
        )
    resolved = gitrepo.resolve(root, commit)
    if resolved is None:
        raise UsageError(f"{commit} is not a commit in {root}")
    committed = gitrepo.commit_date(root, resolved)
    if as_of < earliest_as_of(committed):
        raise UsageError(
            f"--as-of {as_of.isoformat()} is before the date of commit {resolved[:12]} "
            f"({committed[:10]}): a report cannot judge evidence on a day before it was "
            f"committed; use --as-of {committed[:10]} or later"
        )
    warnings = []
    if commit == "HEAD" and gitrepo.is_dirty(root):
        warnings.append(
            f"uncommitted changes are not in the report: it describes commit {resolved[:12]}"
        )
    if gitrepo.is_shallow(root):
        warnings.append(
            "this is a shallow clone: fetch full history (fetch-depth: 0) for last-change dates"
        )
    ws = workspace.load(root, commit=resolved, today=as_of)
    chosen = _framework(ws, framework)
    changed = gitrepo.last_changed(root, resolved)  # one `git log` pass for every file
    cov = compute(ws, as_of, chosen, changed)
    entries = gitrepo.ls_tree(root, resolved)
    unlisted = sorted(shown_path(p) for p in entries if not gitrepo.is_utf8(p))
    if unlisted:
        warnings.append(
            f"{len(unlisted)} file name(s) are not UTF-8, so the report cannot list them: "
            f"{', '.join(unlisted[:5])}; rename them using letters, digits and '-'"
        )
    digests = gitrepo.blob_sha256(root, [e.blob for p, e in entries.items() if included(p)])
    files = {
        path: "sha256:" + digests.get(entry.blob, canonical.sha256_hex(b""))
        for path, entry in sorted(entries.items())
        if included(path)
    }
    # Values from the service's documents are shown masked if they look like personal data.
    allow = rules_from(ws.config.scan).allowlist
    shaped = mask_tree(cov.as_dict(), allow)
    found = _accreditation_file(root, entries)
    cycle = accreditation.accreditation_summary(ws, as_of, found=found)
    data = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "llcompliance", "version": __version__},
        "framework": {
            "id": chosen.id,
            "version": chosen.version,
            "digest": chosen.digest,
            "title": chosen.title,
            "short_name": chosen.name,
            "attribution": chosen.attribution,
        },
        "service": mask_tree({"name": ws.config.service, "organisation": ws.config.organisation}),
        "source": {"commit": resolved, "tree": gitrepo.tree_of(root, resolved)},
        "as_of": as_of.isoformat(),
        "summary": cov.counts(),
        "sections": shaped["sections"],
        "standards": shaped["standards"],
        "files": files,
        # DESIGN §9: always an object; `present: false` when the commit has no accreditation.yaml
        "accreditation": mask_tree(cycle, allow),
        "trend": readiness_trend(root, resolved, chosen.id, as_of, cov.counts()),
    }
    mark_signers(data["standards"], _reader(root, entries, _outcome_files(data["standards"])))
    return Built(data, cov, tuple(warnings))


def _accreditation_file(
    root: Path, entries: Mapping[str, gitrepo.TreeEntry]
) -> accreditation.AccreditationFile:
    """accreditation.yaml as the reported commit has it (never the working tree's)."""
    entry = entries.get(accreditation.ACCREDITATION_NAME)
    if entry is None:
        return accreditation.NO_FILE
    if entry.mode == SYMLINK_MODE:  # the working-tree reader refuses a link: so does the report
        problem = "is a symbolic link, not a file: replace it with the file itself"
        return accreditation.AccreditationFile(
            None, (Finding(accreditation.ACCREDITATION_NAME, 1, "not-a-file", ERROR, problem),)
        )
    raw = gitrepo.read_blobs(root, [entry.blob], limit=MAX_FILE_BYTES + 1).get(entry.blob, b"")
    return accreditation.parse(raw)


def readiness_trend(
    root: Path, commit: str, framework: str, as_of: dt.date, counts: Mapping[str, int]
) -> list[dict[str, object]]:
    """Ready / attention / gap on each day the repo changed, from history up to `commit` only (so
    a rebuild gives the same points), ending with the report's own counts on `as_of`."""
    points = [p.as_dict() for p in trend_points(root, rev=commit, framework=framework)]
    # a day's point is judged as of that day; the report's day is judged as the report judges it
    points = [p for p in points if str(p["date"]) < as_of.isoformat()]
    points.append({"date": as_of.isoformat(), "commit": commit, **counts})
    return points


def _outcome_files(standards: list[dict[str, Any]]) -> list[str]:
    """The files whose signatures decide whose word an outcome is: each outcome file, its `.sig`,
    and the trusted assessors' keys."""
    paths = {s["assessment"]["path"] for s in standards if (s.get("assessment") or {}).get("path")}
    wanted = [name for path in sorted(paths) for name in (path, path + SIG_SUFFIX)]
    return [*wanted, TRUSTED_ASSESSORS] if wanted else []


def _reader(
    root: Path, entries: Mapping[str, gitrepo.TreeEntry], paths: list[str]
) -> Callable[[str], bytes | None]:
    """Read small files of the reported commit by path, all fetched in one `git cat-file` call."""
    blobs = {p: entries[p].blob for p in paths if p in entries}
    contents = gitrepo.read_blobs(root, list(blobs.values()), limit=2 * 1024 * 1024)

    def read(path: str) -> bytes | None:
        blob = blobs.get(path)
        return None if blob is None else contents.get(blob)

    return read


def earliest_as_of(committed: str) -> dt.date:
    """The earliest `as_of` a commit dated `committed` (ISO 8601) allows: its date anywhere on
    Earth (UTC-12), so a report made right after a commit never fails for a time zone."""
    moment = dt.datetime.fromisoformat(committed).astimezone(dt.timezone.utc)
    return (moment - dt.timedelta(hours=12)).date()


def with_links(built: Built, base: str) -> Built:
    """`built` recording the prefix its rendered files link with (`links.base`), so `verify`
    can render them again byte for byte from the signed readiness.json."""
    return replace(built, data={**built.data, "links": {"base": base}})


def _framework(ws: workspace.Workspace, framework: str | None) -> Catalogue:
    if framework is None:
        return ws.framework
    for cat in ws.catalogues:
        if cat.id == framework:
            return cat
    raise UsageError(f"--framework {framework}: not in llcompliance.yaml's catalogues")


def link_base(
    out: Path, root: Path, commit: str, server: str | None, repository: str | None
) -> str:
    """Prefix for links to repo files: the forge's blob URL at the commit, or a relative path."""
    if server and repository:
        return f"{server.rstrip('/')}/{repository}/blob/{commit}/"
    try:
        rel = Path(posixpath.relpath(root.resolve(), out.resolve()))
    except ValueError:
        return ""
    return rel.as_posix().rstrip("/") + "/"
