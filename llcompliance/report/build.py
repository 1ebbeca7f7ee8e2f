"""The readiness report: canonical, reproducible JSON from a commit, plus Markdown, HTML, badge, in-toto."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llcompliance import __version__
from llcompliance.adapters import canonical, gitrepo
from llcompliance.adapters.fsutil import write_atomic
from llcompliance.core import workspace
from llcompliance.core.catalogue import Catalogue
from llcompliance.core.coverage import STATE_RANK, Coverage, compute
from llcompliance.core.documents import shown_path
from llcompliance.core.states import READY
from llcompliance.errors import UsageError
from llcompliance.render import badge
from llcompliance.render import verify_hint as hint
from llcompliance.render.markup import md_code, md_link, md_text
from llcompliance.render.states import MARK, words

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
STATE_MARK = MARK  # assessor.py reads it here until it imports render.states itself


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
    shaped = cov.as_dict()
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
        "service": {"name": ws.config.service, "organisation": ws.config.organisation},
        "source": {"commit": resolved, "tree": gitrepo.tree_of(root, resolved)},
        "as_of": as_of.isoformat(),
        "summary": cov.counts(),
        "sections": shaped["sections"],
        "standards": shaped["standards"],
        "files": files,
    }
    return Built(data, cov, tuple(warnings))


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


def _name(data: dict[str, Any]) -> str:
    framework = data.get("framework", {})
    return str(framework.get("short_name") or framework.get("title") or "Readiness")


def render_markdown(data: dict[str, Any], base: str, *, verify_hint: bool = True) -> str:
    """readiness.md: one heading per standard so an assessor can comment on each.

    Every value from the repo is escaped (md_text) and every link target encoded (md_link), so a
    title with Markdown or HTML in it shows as written and a path with a space still links.
    """
    s = data["summary"]
    framework = data["framework"]
    lines = [
        f"# {md_text(data['service']['name'])}: self-assessed {md_text(_name(data))} readiness "
        f"on {md_text(data['as_of'])}",
        "",
        f"**{s['ready']} of {s['total']} standards ready** · {s['attention']} need attention · "
        f"{s['gap']} gap{'s' * (s['gap'] != 1)}",
        "",
        f"Framework: {md_text(framework['title'])} "
        f"({md_text(framework['id'])} {md_text(framework['version'])}). "
        f"Evidence at commit {md_code(data['source']['commit'][:12])}. "
        f"Made by llcompliance {md_text(data['tool']['version'])}.",
        "",
        "| Section | Ready | Attention | Gap |",
        "|---|---|---|---|",
    ]
    for section in data["sections"]:
        lines.append(
            f"| {md_text(section['title'])} | {section['ready']}/{section['total']} | "
            f"{section['attention']} | {section['gap']} |"
        )
    for section in data["sections"]:
        lines += ["", f"## {md_text(section['title'])}", ""]
        for std in (x for x in data["standards"] if x["section"] == section["id"]):
            lines += _standard_md(std, base)
    lines += ["", "---", ""]
    if framework.get("attribution"):
        lines += [f"_{md_text(framework['attribution'])}_", ""]
    if verify_hint:
        lines += _verify_md(data)
    return "\n".join(lines)


def _verify_md(data: dict[str, Any]) -> list[str]:
    """How to check the report: with a key file obtained from the service, never from the PR."""
    return [
        "To check this report is genuine and matches the repo, first get the service's "
        f"{md_code('allowed_signers')} line **from the service itself** (by phone, e-mail or in "
        "person), never from the pull request being assessed, and save it as "
        f"{md_code(hint.TRUSTED_SIGNERS)}. {md_code(hint.PRINCIPAL)} is the name at the start of "
        f"that line; {md_code(hint.REPORT_FOLDER)} is the folder holding this report (usually "
        f"{md_code(hint.usual_folder(data))}). In a clone of the repo:",
        "",
        "```",
        hint.toolkit_command(),
        "```",
        "",
        f"Or with OpenSSH alone, inside {md_code(hint.REPORT_FOLDER)} (checks the signature only):",
        "",
        "```",
        hint.openssh_command(),
        "```",
        "",
    ]


def _standard_md(std: dict[str, Any], base: str) -> list[str]:
    lines = [
        f"### {md_text(std['id'])} — {md_text(std['title'])}: {words(std['state'])}",
        "",
        f"> {md_text(std['statement'])}",
        "",
        f"Self-assessment: **{md_text(std['status'])}**"
        + (
            f" ({md_link(std['self_assessment'], base, std['self_assessment'])})"
            if std.get("self_assessment")
            else ""
        ),
        "",
    ]
    if std["state"] != READY or len(std["reasons"]) > 1:
        lines += [f"- {md_text(r)}" for r in std["reasons"]] + [""]
    if std["evidence"]:
        lines += [
            "| Evidence | State | Review due | Last changed | Where |",
            "|---|---|---|---|---|",
        ]
        for e in std["evidence"]:
            where = md_link(e["path"], base, e["path"])
            if e["kind"] == "evidence" and e["location"] != e["path"]:
                where += f" → {md_text(e['location'])}"
            lines.append(
                f"| {md_text(e['id'])}: {md_text(e['title'])} | {md_text(e['state'])} | "
                f"{md_text(e['review_due'] or '')} | {md_text(e.get('last_changed') or '')} | "
                f"{where} |"
            )
        lines.append("")
    if std.get("findings"):
        lines += [
            f"- {md_code(str(f['path']) + ':' + str(f['line']))} {md_text(f['rule'])}: "
            f"{md_text(f['message'])}"
            for f in std["findings"]
        ] + [""]
    if std.get("assessment"):
        a = std["assessment"]
        lines += [
            f"Assessor: **{md_text(a['outcome'])}**"
            + (f" — {md_text(a['comment'])}" if a.get("comment") else ""),
            "",
        ]
    return lines


def intoto_statement(subjects: dict[str, bytes], data: dict[str, Any]) -> dict[str, Any]:
    """An in-toto Statement over the report files and the commit, for keyless attestations."""
    return {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [
            {"name": name, "digest": {"sha256": canonical.sha256_hex(content)}}
            for name, content in sorted(subjects.items())
        ]
        + [
            {
                "name": "repo",
                "digest": {
                    "gitCommit": data["source"]["commit"],
                    "gitTree": data["source"]["tree"],
                },
            }
        ],
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "service": data["service"],
            "framework": data["framework"],
            "as_of": data["as_of"],
            "summary": data["summary"],
            "tool": data["tool"],
        },
    }


@dataclass(frozen=True)
class Written:
    """Where the report went and what it says."""

    out: Path
    files: tuple[str, ...]
    signed: bool
    summary: dict[str, int]
    warnings: tuple[str, ...]


def write(built: Built, out: Path, base: str, signer: Any | None = None) -> Written:
    """Write every report file atomically into `out`, signing readiness.json when given a key."""
    from llcompliance.render import html as htmlreport
    from llcompliance.report import signing

    data = built.data
    json_bytes = built.json_bytes
    summary = data["summary"]
    badge_data = badge.badge_json(
        summary["ready"], summary["total"], label=badge.label(_name(data))
    )
    outputs: dict[str, bytes] = {
        JSON_NAME: json_bytes,
        MD_NAME: render_markdown(data, base).encode("utf-8"),
        HTML_NAME: htmlreport.render_html(data).encode("utf-8"),
        BADGE_JSON: (json.dumps(badge_data, sort_keys=True, indent=2) + "\n").encode("utf-8"),
        BADGE_SVG: badge.badge_svg(
            str(badge_data["label"]), str(badge_data["message"]), str(badge_data["color"])
        ).encode("utf-8"),
    }
    outputs[INTOTO_NAME] = canonical.dumps(intoto_statement(dict(outputs), data))
    if signer is not None:
        outputs[SIG_NAME] = signing.sign(json_bytes, signer).encode("ascii")
    _publish(out, outputs)
    return Written(out, tuple(outputs), signer is not None, summary, built.warnings)


REPORT_FILES = frozenset(
    {JSON_NAME, SIG_NAME, MD_NAME, HTML_NAME, BADGE_SVG, BADGE_JSON, INTOTO_NAME}
)


def _publish(out: Path, outputs: dict[str, bytes]) -> None:
    """Put the report files in `out` all at once: a reader (or an interruption) never sees a new
    readiness.json beside an old signature. A folder holding only report files is swapped whole;
    a folder with other files in it gets each file replaced atomically, the signature last."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise UsageError(f"--out {out} is not a folder: choose a folder for the report")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot make its folder ({exc.strerror or exc})") from None
    existing = {p.name for p in out.iterdir()} if out.is_dir() else set()
    if existing <= REPORT_FILES:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        try:
            for name, content in outputs.items():
                write_atomic(staging / name, content)
            if out.exists():
                trash = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
                out.rename(trash / "report")
                staging.rename(out)
                shutil.rmtree(trash, ignore_errors=True)
            else:
                staging.rename(out)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        return
    stale_sig = out / SIG_NAME
    if stale_sig.exists():
        stale_sig.unlink()  # never leave an old signature beside a half-replaced report
    for name, content in sorted(outputs.items(), key=lambda kv: kv[0] == SIG_NAME):
        write_atomic(out / name, content)


def worst_first(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Standards ordered gap, attention, ready (for summaries)."""
    return sorted(data["standards"], key=lambda s: STATE_RANK[s["state"]])
