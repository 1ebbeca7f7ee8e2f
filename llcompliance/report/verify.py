"""Offline verification of a readiness report: signature, signer, framework, every file of the
folder, every digest against the repo, and the report's date against its commit (DESIGN.md §6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from llcompliance import __version__
from llcompliance.adapters import canonical, gitrepo
from llcompliance.adapters.fsutil import FileTooLarge, read_capped
from llcompliance.core import catalogue
from llcompliance.errors import ConfigError, SignatureError, UsageError
from llcompliance.report import build as report
from llcompliance.report import model as readiness
from llcompliance.report import signing
from llcompliance.report.publish import intoto_statement

# What renders a report folder's files from readiness.json and `links.base` (render.folder's
# report_files): passed in, since the report layer may not import render/.
Render = Callable[[dict[str, Any], str], dict[str, bytes]]


@dataclass(frozen=True)
class Check:
    """One verification step and its outcome in plain words."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class Verification:
    """All checks run on a report; it is genuine only when every one passed."""

    checks: tuple[Check, ...]
    principal: str | None
    fingerprint: str | None = None
    as_of: str | None = None  # what the signed report claims, once the signature is good
    commit: str | None = None
    commit_date: str | None = None  # ISO 8601, when the commit is in the repo

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return all(c.ok for c in self.checks)


def verify_report(
    report_dir: Path,
    allowed_signers: Path,
    repo: Path,
    *,
    principal: str | None = None,
    rebuild: bool = False,
    at: dt.datetime | None = None,
    ref: str | None = None,
    max_age: int | None = None,
    today: dt.date | None = None,
    render: Render | None = None,
) -> Verification:
    """Check the signature first; only a genuine report's claims are compared with the repo.

    With `render`, every file of the folder must be the signed readiness.json, its signature, or
    byte-identical to what the toolkit renders from it. `ref` requires the commit to be reachable
    from it; `max_age` fails a report whose `as_of` is more than that many days before `today`.
    """
    json_path = report_dir / report.JSON_NAME
    sig_path = report_dir / report.SIG_NAME
    if not json_path.is_file():
        raise UsageError(f"{report_dir} has no {report.JSON_NAME}: point at the report folder")
    checks: list[Check] = []
    try:  # each read is capped: a report folder is what someone handed us
        message = read_capped(
            json_path,
            readiness.MAX_BYTES,
            what="far beyond any readiness report, so not one llcompliance made",
        )
    except FileTooLarge as exc:
        return Verification((Check("report", False, str(exc)),), None)
    if not sig_path.is_file():
        checks.append(Check("signature", False, f"no {report.SIG_NAME}: the report is not signed"))
        return Verification(tuple(checks), None)
    try:
        signers = signing.read_allowed_signers(allowed_signers)
        signature = read_capped(
            sig_path,
            signing.MAX_SIGNATURE_BYTES,
            what="far beyond any SSH signature, so the report is not genuine",
        ).decode("utf-8", errors="replace")
        verified = signing.verify_signature(message, signature, signers, principal=principal, at=at)
    except (SignatureError, FileTooLarge) as exc:
        checks.append(Check("signature", False, str(exc)))
        return Verification(tuple(checks), None)
    checks.append(
        Check("signature", True, f"good signature by {verified.principal} ({verified.fingerprint})")
    )
    signer = {"principal": verified.principal, "fingerprint": verified.fingerprint}
    try:
        # Signed is not the same as well-formed: a genuine key can sign a hostile file.
        data = readiness.check(readiness.decode(message, report.JSON_NAME), report.JSON_NAME)
    except UsageError as exc:
        checks.append(Check("report", False, str(exc)))
        return Verification(tuple(checks), **signer)
    claimed = readiness.parse(data)
    commit, tree = claimed.source.commit, claimed.source.tree
    checks.append(_canonical_check(data, message))
    checks.append(_framework_check(claimed.framework, claimed.tool.version))
    if render is not None:
        checks.append(_folder_check(report_dir, message, data, claimed, render))
    checks += _repo_checks(repo, commit, tree, claimed)
    committed = None
    if all(c.ok for c in checks if c.name == "commit"):
        committed = gitrepo.commit_date(repo, commit)
        checks.append(_as_of_check(claimed.as_of, commit, committed))
        if ref is not None:
            checks.append(_ref_check(repo, commit, ref))
    if max_age is not None:
        checks.append(_age_check(claimed.as_of, max_age, today or dt.date.today()))
    if rebuild and all(c.ok for c in checks):
        as_of = dt.date.fromisoformat(claimed.as_of)
        checks.append(_rebuild(repo, commit, as_of, data, message, claimed.link_base))
    return Verification(
        tuple(checks), **signer, as_of=claimed.as_of, commit=commit, commit_date=committed
    )


def _framework_check(framework: readiness.Framework, made_by: str) -> Check:
    """A report naming a built-in catalogue must carry that catalogue's digest: a repo catalogue
    cannot borrow the built-in id and title (issue 12)."""
    if framework.id not in catalogue.builtin_names():
        return Check(
            "framework",
            True,
            f"the service's own catalogue '{framework.id}' (its file is checked with the others)",
        )
    try:
        expected = catalogue.load(framework.id).digest
    except ConfigError as exc:
        return Check("framework", False, str(exc))
    if framework.digest == expected:
        return Check("framework", True, f"built-in catalogue '{framework.id}', digest matches")
    return Check(
        "framework",
        False,
        f"the report names the built-in catalogue '{framework.id}' but its digest is not that "
        f"catalogue's: it was judged against other standards (made by llcompliance {made_by}; "
        f"this is {__version__})",
    )


def _folder_check(
    report_dir: Path,
    message: bytes,
    data: Mapping[str, Any],
    claimed: readiness.Report,
    render: Render,
) -> Check:
    """Every file a reader can open must be the signed JSON, its signature, or what the toolkit
    renders from that JSON: an edited readiness.html cannot ride on a good signature."""
    expected: dict[str, bytes] = {}
    base = claimed.link_base
    if base is not None:
        absolute = urlsplit(base)
        if (absolute.scheme or absolute.netloc) and claimed.source.commit not in base:
            return Check(
                "folder",
                False,
                f"links start with {base}, which does not name commit "
                f"{claimed.source.commit[:12]}: a reader following them sees other files",
            )
        rendered = render(dict(data), base)
        # As publish writes them: the in-toto statement covers readiness.json and rendered files.
        expected = {report.JSON_NAME: message, **rendered}
        expected[report.INTOTO_NAME] = canonical.dumps(intoto_statement(dict(expected), dict(data)))
    problems = []
    checked = 0
    for entry in sorted(report_dir.iterdir()):
        name = entry.name
        if name in (report.JSON_NAME, report.SIG_NAME):
            continue
        if entry.is_dir():
            problems.append(f"{name}/ is a folder the toolkit does not make")
            continue
        want = expected.get(name)
        if want is None:
            if base is None and name in report.REPORT_FILES:
                problems.append(
                    f"{name} cannot be checked: readiness.json records no links.base "
                    "(made by an older llcompliance); remake the report"
                )
            else:
                problems.append(f"{name} is not a file the toolkit makes")
            continue
        if _read_capped(entry, len(want)) != want:
            problems.append(f"{name} differs from what readiness.json renders (it was edited)")
            continue
        checked += 1
    if problems:
        return Check("folder", False, "; ".join(problems))
    return Check("folder", True, f"{checked} other file(s) are exactly what readiness.json renders")


def _read_capped(path: Path, size: int) -> bytes | None:
    """At most `size` + 1 bytes of `path` (enough to tell it differs), or None if unreadable."""
    try:
        with path.open("rb") as handle:
            return handle.read(size + 1)
    except OSError:
        return None


def _as_of_check(as_of: str, commit: str, committed: str) -> Check:
    """A report may not judge a commit on a day before the commit existed: an old `as_of` makes
    expired evidence look current (issue 12)."""
    if dt.date.fromisoformat(as_of) < report.earliest_as_of(committed):
        return Check(
            "as_of",
            False,
            f"the report is as of {as_of}, before commit {commit[:12]} was made "
            f"({committed[:10]}): it was back-dated, so expired evidence may show as current",
        )
    return Check("as_of", True, f"as of {as_of}; commit {commit[:12]} dated {committed[:10]}")


def _ref_check(repo: Path, commit: str, ref: str) -> Check:
    on_ref = gitrepo.is_ancestor(repo, commit, ref)
    if on_ref is None:
        return Check(
            "ref", False, f"{ref} is not a branch or commit in this repo (git fetch first?)"
        )
    if not on_ref:
        return Check("ref", False, f"commit {commit[:12]} is not on {ref}")
    return Check("ref", True, f"commit {commit[:12]} is on {ref}")


def _age_check(as_of: str, max_age: int, today: dt.date) -> Check:
    age = (today - dt.date.fromisoformat(as_of)).days
    if age > max_age:
        return Check(
            "age",
            False,
            f"the report is as of {as_of}, {age} days before {today.isoformat()}: older than "
            f"--max-age {max_age}; ask the service for a current report",
        )
    return Check("age", True, f"as of {as_of}: {age} day(s) old, within --max-age {max_age}")


def _canonical_check(data: Mapping[str, Any], message: bytes) -> Check:
    if canonical.dumps(data) == message:
        return Check("canonical", True, "readiness.json is in canonical form")
    return Check(
        "canonical", False, "readiness.json is not in canonical form (it was re-saved or edited)"
    )


def _repo_checks(repo: Path, commit: str, tree: str, claimed: readiness.Report) -> list[Check]:
    if gitrepo.toplevel(repo) is None:
        return [
            Check(
                "commit",
                False,
                f"{repo} is not a git repo: run verify inside a clone of the evidence repo",
            )
        ]
    resolved = gitrepo.resolve(repo, commit)
    if resolved is None or resolved != commit:
        return [
            Check(
                "commit",
                False,
                f"commit {commit[:12]} is not in this repo: is this the right repo? "
                "(git fetch first if the commit is new)",
            )
        ]
    checks = [Check("commit", True, f"commit {commit[:12]} is in this repo")]
    actual_tree = gitrepo.tree_of(repo, commit)
    if actual_tree != tree:
        checks.append(
            Check(
                "tree",
                False,
                f"the report says tree {tree[:12]} but commit {commit[:12]} has "
                f"{actual_tree[:12]}: the report lies about the commit",
            )
        )
        return checks
    checks.append(Check("tree", True, "tree matches the commit"))
    files = claimed.files
    entries = gitrepo.ls_tree(repo, commit)
    wanted = {p: e for p, e in entries.items() if report.included(p)}
    digests = gitrepo.blob_sha256(repo, [e.blob for e in wanted.values()])
    empty = canonical.sha256_hex(b"")
    changed = [
        p
        for p, e in wanted.items()
        if p in files and files[p] != "sha256:" + digests.get(e.blob, empty)
    ]
    missing = sorted(set(files) - set(wanted))
    unlisted = sorted(set(wanted) - set(files))
    problems = []
    if changed:
        problems.append(
            f"{len(changed)} file digest(s) differ from the commit: {', '.join(sorted(changed)[:5])}"
        )
    if missing:
        problems.append(f"the report lists files not in the commit: {', '.join(missing[:5])}")
    if unlisted:
        problems.append(
            f"files in the commit are missing from the report: {', '.join(unlisted[:5])}"
        )
    for std in claimed.standards:
        for item in std.evidence:
            if files.get(item.path) != "sha256:" + item.sha256:
                problems.append(f"{std.id}: evidence {item.id} digest does not match")
    if problems:
        checks.append(Check("files", False, "; ".join(problems)))
    else:
        checks.append(Check("files", True, f"all {len(files)} file digests match the commit"))
    return checks


def _rebuild(
    repo: Path,
    commit: str,
    as_of: dt.date,
    data: Mapping[str, Any],
    message: bytes,
    link_base: str | None,
) -> Check:
    framework = data.get("framework", {}).get("id")
    rebuilt = report.build(repo, as_of, commit=commit, framework=framework)
    if link_base is not None:
        rebuilt = report.with_links(rebuilt, link_base)
    if rebuilt.json_bytes == message:
        return Check("rebuild", True, "rebuilt from the commit: byte-identical")
    ours, theirs = rebuilt.data, data
    differing = sorted(k for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k))
    detail = f"rebuilt report differs in: {', '.join(differing)}"
    states = {s["id"]: s["state"] for s in ours.get("standards", [])}
    claimed = [
        f"{s['id']} says {s['state']}, is {states.get(s['id'])}"
        for s in theirs.get("standards", [])
        if states.get(s["id"]) != s.get("state")
    ]
    if claimed:
        detail += "; " + "; ".join(claimed[:5])
    if theirs.get("tool", {}).get("version") != ours["tool"]["version"]:
        detail += f" (made by llcompliance {theirs.get('tool', {}).get('version')}; this is {ours['tool']['version']})"
    return Check("rebuild", False, detail)
