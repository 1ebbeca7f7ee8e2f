"""Offline verification of a readiness report: signature, signer, then every digest against the repo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llcompliance.adapters import canonical, gitrepo
from llcompliance.adapters.fsutil import FileTooLarge, read_capped
from llcompliance.errors import SignatureError, UsageError
from llcompliance.report import build as report
from llcompliance.report import model as readiness
from llcompliance.report import signing


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
) -> Verification:
    """Check the signature first; only a genuine report's claims are compared with the repo."""
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
    try:
        # Signed is not the same as well-formed: a genuine key can sign a hostile file.
        data = readiness.check(readiness.decode(message, report.JSON_NAME), report.JSON_NAME)
    except UsageError as exc:
        checks.append(Check("report", False, str(exc)))
        return Verification(tuple(checks), verified.principal)
    claimed = readiness.parse(data)
    commit, tree = claimed.source.commit, claimed.source.tree
    checks.append(_canonical_check(data, message))
    checks += _repo_checks(repo, commit, tree, claimed)
    if rebuild and all(c.ok for c in checks):
        as_of = dt.date.fromisoformat(claimed.as_of)
        checks.append(_rebuild(repo, commit, as_of, data, message))
    return Verification(tuple(checks), verified.principal)


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
    repo: Path, commit: str, as_of: dt.date, data: Mapping[str, Any], message: bytes
) -> Check:
    framework = data.get("framework", {}).get("id")
    rebuilt = report.build(repo, as_of, commit=commit, framework=framework)
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
