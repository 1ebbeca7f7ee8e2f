"""`llcompliance demo [DIR]`: a fictional service's evidence repo with a plausible history, checked, reported and verified."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from llcompliance.adapters import gitrepo, resources, yamlio
from llcompliance.commands import EXIT_FINDINGS, EXIT_OK
from llcompliance.core import config as config_mod
from llcompliance.core.checks import ValidateResult, validate
from llcompliance.core.coverage import Coverage, compute
from llcompliance.core.scaffold import init_repo
from llcompliance.core.workspace import load
from llcompliance.guard import scan
from llcompliance.render import findings as output
from llcompliance.render.console import Console
from llcompliance.render.folder import report_files
from llcompliance.report import build as report
from llcompliance.report import signing
from llcompliance.report.publish import publish
from llcompliance.report.verify import Verification, verify_report

SERVICE = "Harbour Lane Domestic Abuse Service"
ORGANISATION = "Harbour Lane Trust"
DEMO_AS_OF = dt.date(2026, 11, 23)  # the content's deliberate problems are dated against this day
FIRST_COMMIT_DATE = "2026-01-12T09:00:00"
PRINCIPAL = "readiness@harbourlane.example.org"
EMAIL_DOMAIN = "harbourlane.example.org"


@dataclass(frozen=True)
class DemoResult:
    """Everything the demo did, for the CLI to show."""

    repo: Path
    commits: int
    validation: ValidateResult
    coverage: Coverage
    scan: scan.ScanReport
    report_dir: Path
    verification: Verification
    key_fingerprint: str
    from_word: tuple[str, ...] = ()  # policies imported from a Word file, as `import` does


def _author(role: str) -> tuple[str, str]:
    local = role.lower().replace(" ", ".").replace("&", "and")
    return role, f"{local}@{EMAIL_DOMAIN}"


def build(target: Path, *, as_of: dt.date = DEMO_AS_OF) -> DemoResult:
    """Build the demo repo at `target` (must be new or empty) and run everything on it."""
    init_repo(target, SERVICE, ORGANISATION, commit=False)
    _allow_published_contacts(target)
    gitrepo.init(target)
    gitrepo.commit_all(
        target,
        f"Start {SERVICE}'s Leading Lights evidence repo from the template",
        date=FIRST_COMMIT_DATE,
        author=_author("Service Manager"),
    )
    source = resources.demo_dir()
    history = yamlio.load((source / "history.yaml").read_text(encoding="utf-8")).data
    commits = 1
    from_word: list[str] = []
    for entry in history:
        for rel in entry["paths"]:
            dest = target / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            if rel in entry.get("from_word", []):
                _import_from_word(source / rel, dest, target)
                from_word.append(rel)
            else:
                shutil.copyfile(source / rel, dest)
        gitrepo.commit_all(
            target,
            entry["message"],
            paths=entry["paths"],
            date=entry["date"],
            author=_author(entry["author"]),
        )
        commits += 1
    key_dir = Path(tempfile.mkdtemp(prefix="llcompliance-demo-key-"))
    try:
        keys = signing.generate_keypair(key_dir / "key", PRINCIPAL, comment="demo key (throwaway)")
        signers = target / ".llcompliance" / "allowed_signers"
        signers.write_text(
            signers.read_text(encoding="utf-8") + keys.allowed_signers.read_text(encoding="utf-8"),
            encoding="utf-8",
        )
        gitrepo.commit_all(
            target,
            "Add the readiness report signing key",
            paths=[".llcompliance/allowed_signers"],
            date="2026-11-20T16:00:00",
            author=_author("Service Manager"),
        )
        commits += 1
        validation = validate(target, [], today=as_of)
        ws = load(target, today=as_of)
        cov = compute(ws, as_of)
        guard = scan.scan_paths(target, scan.worktree_files(target), config_mod.load(target).scan)
        built = report.build(target, as_of)
        commit = built.data["source"]["commit"]
        out = target / "reports" / f"{as_of.isoformat()}-{commit[:7]}"
        built = report.with_links(built, report.link_base(out, target, commit, None, None))
        rendered = report_files(built.data, built.data["links"]["base"])
        publish(out, built.json_bytes, rendered, built.data, signing.read_private_key(keys.private))
        checked = verify_report(
            out, signers, target, principal=PRINCIPAL, rebuild=True, render=report_files
        )
        fingerprint = keys.fingerprint
    finally:
        shutil.rmtree(key_dir, ignore_errors=True)  # a throwaway key: never kept, never committed
    return DemoResult(
        target, commits, validation, cov, guard, out, checked, fingerprint, tuple(from_word)
    )


def _import_from_word(source: Path, dest: Path, target: Path) -> None:
    """Make a Word file of the demo policy's text, then import that text under its front matter."""
    from llcompliance.commands import import_
    from llcompliance.render.policy_docx import markdown_to_docx

    parts = yamlio.split_front_matter(source.read_text(encoding="utf-8"))
    assert parts is not None, source  # the demo's own policies all have front matter
    front = "---\n" + parts.yaml_text.rstrip("\n") + "\n---\n"
    word = markdown_to_docx(parts.body)
    import_.policy_from_word(word, source.with_suffix(".docx").name, front, dest, target)


def _allow_published_contacts(target: Path) -> None:
    """The demo service publishes a referral line and e-mail domain: allow them in its config."""
    path = target / config_mod.CONFIG_NAME
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        '    phones: []          # e.g. "01632 960123"', '    phones: ["01632 960418"]'
    )
    text = text.replace(
        '    email_domains: []   # e.g. "your-service.org.uk"',
        f'    email_domains: ["{EMAIL_DOMAIN}"]',
    )
    path.write_text(text, encoding="utf-8")


def run(console: Console, directory: Path, fmt: str) -> int:
    """Build the demo and show each step as a service would run it."""
    if fmt == "text":
        console.out(f"Building {SERVICE} (fictional) in {directory} …")
    result = build(directory)
    code = EXIT_OK if result.verification.ok else EXIT_FINDINGS
    if fmt == "json":
        html = (result.report_dir / report.HTML_NAME).resolve()
        console.json(
            {
                "repo": str(result.repo),
                "commits": result.commits,
                "summary": result.coverage.counts(),
                "findings": len(result.validation.findings),
                "report_dir": str(result.report_dir),
                "html": str(html),
                "verified": result.verification.ok,
            },
            indent=None,
        )
        return code
    colour = console.colour
    console.out(f"Made {result.repo} with {result.commits} commits of history.")
    for rel in result.from_word:
        console.out(f"{rel} came from a Word file, as `llcompliance import FILE.docx` makes one.")
    console.out()
    console.out(output.paint("1. llcompliance validate", "bold", colour))
    validation = result.validation
    console.out(output.findings_text(validation.findings, color=colour, summary=validation.summary))
    console.out("\n" + output.paint("2. llcompliance scan", "bold", colour))
    found = "no personal data found." if not result.scan.failed else "findings!"
    console.out(f"{result.scan.files} files scanned: {found}")
    step = f"3. llcompliance coverage --as-of {result.coverage.as_of}"
    console.out("\n" + output.paint(step, "bold", colour))
    console.out(output.coverage_text(result.coverage, SERVICE, color=colour))
    console.out("\n" + output.paint("4. llcompliance report + verify", "bold", colour))
    console.out(f"Signed with a throwaway key {result.key_fingerprint}.")
    for check in result.verification.checks:
        console.out(f"  {'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
    html = (result.report_dir / report.HTML_NAME).resolve()
    console.out(f"\nThe readiness report: {html}")
    console.out(f"Open it in a browser: file://{html}")
    return code
