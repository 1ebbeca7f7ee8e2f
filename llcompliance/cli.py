"""The command line: the only module that uses click; each command parses, calls the core, renders."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__, output
from .errors import LLCError, UsageError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNEXPECTED = 0, 1, 2, 3


class _Group(click.Group):
    """Maps our errors to exit codes and one plain line; unexpected ones to exit 3 with a hint."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except LLCError as exc:
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except Exception as exc:  # noqa: BLE001 - the one place unexpected errors are caught
            if ctx.obj and ctx.obj.get("traceback"):
                traceback.print_exc()
            _fail(
                f"an unexpected error occurred: {type(exc).__name__}: {exc}. "
                "Rerun as `llcompliance --traceback COMMAND …` and report what it prints",
                EXIT_UNEXPECTED,
            )


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"llcompliance: {message}", err=True)
    sys.exit(code)


def _color() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _repo_arg(ctx: click.Context) -> Path:
    from .config import find_repo_root

    given = ctx.obj["repo"]
    return find_repo_root(Path(given) if given else Path.cwd())


def _as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of must be a date like 2026-11-30 (got {value!r})") from None


def _format_option(choices: tuple[str, ...]) -> Callable[[Any], Any]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default="text",
        show_default=True,
        help="Output format.",
    )


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--repo", metavar="DIR", help="The evidence repo (default: the current folder or a parent)."
)
@click.option("--traceback", "show_traceback", is_flag=True, hidden=True, help="Show tracebacks.")
@click.version_option(__version__, prog_name="llcompliance")
@click.pass_context
def main(ctx: click.Context, repo: str | None, show_traceback: bool) -> None:
    """Leading Lights accreditation evidence as code.

    Keep policies and evidence in git, check every edit, and produce a signed readiness report
    for your assessor.

    \b
    Start:    llcompliance init my-evidence --service "Eastmere Idva Service"
    Check:    llcompliance validate && llcompliance scan && llcompliance coverage
    Explain:  llcompliance explain SP1
    Try it:   llcompliance demo
    """
    ctx.ensure_object(dict)
    ctx.obj.update(repo=repo, traceback=show_traceback)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--service", required=True, help="Your service's name, as the assessor should see it."
)
@click.option("--organisation", help="The organisation that runs the service.")
@_format_option(("text", "json"))
def init(directory: Path, service: str, organisation: str | None, fmt: str) -> None:
    """Make a new evidence repo in DIRECTORY from the template, with a first commit.

    \b
    Example:
      llcompliance init eastmere-evidence --service "Eastmere Idva Service" --organisation "Eastmere Trust"
    """
    from .scaffold import init_repo

    target = init_repo(directory, service, organisation)
    if fmt == "json":
        click.echo(json.dumps({"repo": str(target), "service": service}, ensure_ascii=False))
        return
    click.echo(f"Made {target} for {service}.")
    click.echo("Next:")
    click.echo(f"  cd {target}")
    click.echo("  pre-commit install          # check every commit (see README.md)")
    click.echo("  llcompliance coverage       # where you stand on each standard")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_format_option(output.FINDING_FORMATS)
@click.option("--as-of", help="Judge review dates on this date (YYYY-MM-DD; default today).")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], fmt: str, as_of: str | None) -> None:
    """Check documents: schema, references, locations, links and review dates.

    With PATHS, only findings in those files are shown (the whole repo is still read, so
    duplicate ids and references are checked).

    \b
    Examples:
      llcompliance validate
      llcompliance validate policies/lone-working.md --format json
    """
    from .checks import validate as run_validate

    root = _repo_arg(ctx)
    result = run_validate(root, [str(p) for p in paths], today=_as_of(as_of))
    click.echo(
        output.render_findings(
            result.findings, fmt, color=_color(), summary=result.summary if fmt == "text" else ""
        )
    )
    sys.exit(EXIT_FINDINGS if result.failed else EXIT_OK)


@main.command()
@click.option("--as-of", help="Evaluate on this date (YYYY-MM-DD; default today).")
@click.option(
    "--fail-on",
    type=click.Choice(["never", "gap", "regression"]),
    default="never",
    show_default=True,
    help="gap: exit 1 if any standard is a gap; regression: exit 1 if any "
    "standard is worse than in the last commit.",
)
@click.option(
    "--framework", help="Catalogue id to report on (default: the first in llcompliance.yaml)."
)
@click.option("-v", "--verbose", is_flag=True, help="Show every reason, not just the first.")
@_format_option(("text", "json", "markdown"))
@click.pass_context
def coverage(
    ctx: click.Context,
    as_of: str | None,
    fail_on: str,
    framework: str | None,
    verbose: bool,
    fmt: str,
) -> None:
    """Show each standard's state: ready, attention or gap.

    A standard is ready when its self-assessment is met, says how, and at least one policy or
    evidence record that lists it is valid, in date and can be found.

    \b
    Examples:
      llcompliance coverage
      llcompliance coverage --as-of 2027-03-01 --fail-on gap
      llcompliance coverage --fail-on regression      # what the pre-commit hook runs
    """
    from .checks import coverage_run

    root = _repo_arg(ctx)
    run = coverage_run(
        root,
        _as_of(as_of),
        framework=framework,
        compare_head=fail_on == "regression",
        with_dates=fmt == "json",
    )
    cov = run.coverage
    if fmt == "json":
        click.echo(json.dumps(cov.as_dict(), indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(output.coverage_markdown(cov, run.service))
    else:
        click.echo(output.coverage_text(cov, run.service, color=_color(), verbose=verbose))
    for note in run.notes:
        click.echo(f"note: {note}", err=True)
    if fail_on == "regression" and run.regressions:
        click.echo(output.regressions_text(run.regressions), err=True)
        sys.exit(EXIT_FINDINGS)
    if fail_on == "gap" and cov.counts()["gap"]:
        sys.exit(EXIT_FINDINGS)


@main.command()
@click.argument("standard_id", metavar="ID")
@click.option("--as-of", help="Evaluate on this date (YYYY-MM-DD; default today).")
@_format_option(("text", "json"))
@click.pass_context
def explain(ctx: click.Context, standard_id: str, as_of: str | None, fmt: str) -> None:
    """Show a standard, its section's spirit, guidance, and this repo's evidence for it.

    \b
    Example:
      llcompliance explain SP1
    """
    from .explain import explain as run_explain
    from .explain import render_text

    root = _repo_arg(ctx)
    result = run_explain(root, standard_id.upper(), _as_of(as_of))
    if fmt == "json":
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        click.echo(render_text(result))


@main.command()
@click.argument("kind", type=click.Choice(["policy", "evidence"]))
@click.option("--title", required=True, help="The document's title.")
@click.option(
    "--standard",
    "standards",
    multiple=True,
    required=True,
    metavar="ID",
    help="A standard it supports (repeat for several).",
)
@click.option(
    "--owner", default="Service Manager", show_default=True, help="The role that owns it."
)
@click.option("--path", "location_path", help="Evidence only: a file in this repo that holds it.")
@click.option(
    "--reference", help="Evidence only: where it is held outside the repo (never fetched)."
)
@_format_option(("text", "json"))
@click.pass_context
def new(
    ctx: click.Context,
    kind: str,
    title: str,
    standards: tuple[str, ...],
    owner: str,
    location_path: str | None,
    reference: str | None,
    fmt: str,
) -> None:
    """Write a correctly-formed new policy or evidence record (never overwrites).

    \b
    Examples:
      llcompliance new policy --title "Lone working" --standard HR2
      llcompliance new evidence --title "Case-file audit Q3" --standard SP1 --standard SP4 \\
          --reference "Case system > Reports > Audits > 2026 Q3"
    """
    from . import workspace
    from .scaffold import new_document

    root = _repo_arg(ctx)
    ws = workspace.load(root)
    made = new_document(
        ws,
        kind,
        title,
        [s.upper() for s in standards],
        owner=owner,
        location_path=location_path,
        reference=reference,
    )
    rel = made.path.relative_to(root).as_posix()
    if fmt == "json":
        click.echo(json.dumps({"path": rel, "id": made.id}))
        return
    click.echo(f"Wrote {rel} (id {made.id}). Fill it in, then run `llcompliance validate`.")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--history", is_flag=True, help="Scan every version of every file reachable from HEAD."
)
@click.option(
    "--staged", is_flag=True, help="Scan what is staged for the next commit (the git index)."
)
@_format_option(output.FINDING_FORMATS)
@click.pass_context
def scan(
    ctx: click.Context, paths: tuple[Path, ...], history: bool, staged: bool, fmt: str
) -> None:
    """Guard against personal data: postcodes, phone numbers, e-mails, NI and NHS numbers,
    dates of birth, case references, and export or screenshot files.

    Matched values are never printed in full. A line can be let through with a reason:
    `llcompliance: allow phone — the service's published number`.

    \b
    Examples:
      llcompliance scan                     # every file git would commit
      llcompliance scan policies/new.md     # just these files
      llcompliance scan --staged            # what the next commit holds
      llcompliance scan --history           # every version ever committed
    """
    from . import config as config_mod
    from . import gitrepo
    from . import scan as scan_mod
    from .fsutil import relative_paths

    root = _repo_arg(ctx)
    config = config_mod.load(root)
    if (history or staged) and gitrepo.toplevel(root) is None:
        raise UsageError(
            f"{root} is not a git repo: --history and --staged need git (run `git init`)"
        )
    if history and not gitrepo.has_commits(root):
        raise UsageError(
            "there are no commits yet, so there is no history to scan: run `llcompliance scan`"
        )
    if history:
        show = sys.stderr.isatty() and fmt == "text"

        def progress(done: int, total: int) -> None:
            if show:
                click.echo(
                    f"\rscanned {done:,} of {total:,} file versions", err=True, nl=done == total
                )

        result = scan_mod.scan_history(root, config, progress=progress)
    elif staged:
        index = gitrepo.ls_files(root)
        chosen = gitrepo.staged_files(root)
        contents = gitrepo.read_blobs(root, [index[p] for p in chosen if p in index])
        result = scan_mod.scan_paths(
            root, chosen, config, read=lambda p: contents.get(index.get(p, ""), None)
        )
    elif paths:
        chosen = scan_mod.expand(root, sorted(relative_paths(root, [str(p) for p in paths])))
        result = scan_mod.scan_paths(root, chosen, config)
    else:
        result = scan_mod.scan_paths(root, scan_mod.worktree_files(root), config)
    findings = result.findings
    if fmt == "text":
        lines = []
        for f in findings:
            line = output.findings_text([f], color=_color()).splitlines()[0]
            commits = result.commits.get((f.path, f.line, f.rule))
            if commits:
                line += f" (added in {', '.join(c[:10] for c in commits[:5])})"
            lines.append(line)
        click.echo("\n".join(lines)) if lines else None
        errors = sum(1 for f in findings if f.severity == "error")
        summary = f"{result.files} file{'s' * (result.files != 1)} scanned: {errors} finding{'s' * (errors != 1)}"
        if result.allowed:
            summary += f"; {result.allowed} allowed by inline markers"
        if errors:
            click.echo(summary + ".")
        elif result.unread:
            click.echo(
                f"{summary}; {result.unread} file{'s' * (result.unread != 1)} could not be read by "
                "the guard (see the not-scanned notes): check them by hand."
            )
        else:
            click.echo(summary + ": no personal data found.")
        if history and errors:
            click.echo(scan_mod.PURGE_ADVICE)
        elif errors:
            click.echo(
                "Remove the data (keep it in the case system), then scan again. Never commit it."
            )
    else:
        click.echo(
            output.render_findings(findings, fmt, files=result.files, allowed=result.allowed)
        )
    sys.exit(EXIT_FINDINGS if result.failed else EXIT_OK)


def _signing_key(key_file: Path | None) -> Any:
    from . import signing

    passphrase = os.environ.get(signing.PASSPHRASE_ENV)
    secret = passphrase.encode() if passphrase else None
    if key_file is not None:
        return signing.read_private_key(key_file, secret)
    text = os.environ.get("LLCOMPLIANCE_SIGNING_KEY", "").strip()
    if text:
        try:
            return signing.load_private_key(text.encode() + b"\n", secret)
        except UsageError as exc:
            raise UsageError(f"LLCOMPLIANCE_SIGNING_KEY: {exc}") from None
    return None


@main.command()
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the report files (made if missing).",
)
@click.option(
    "--key",
    "key_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Ed25519 OpenSSH private key to sign with (or set LLCOMPLIANCE_SIGNING_KEY to the key text).",
)
@click.option("--as-of", help="Evaluate on this date (YYYY-MM-DD; default today).")
@click.option("--commit", default="HEAD", show_default=True, help="The commit to report on.")
@click.option(
    "--framework", help="Catalogue id to report on (default: the first in llcompliance.yaml)."
)
@click.option(
    "--link-base",
    help="URL prefix for links to files (default: the GitHub blob URL in "
    "Actions, else relative paths).",
)
@_format_option(("text", "json"))
@click.pass_context
def report(
    ctx: click.Context,
    out: Path,
    key_file: Path | None,
    as_of: str | None,
    commit: str,
    framework: str | None,
    link_base: str | None,
    fmt: str,
) -> None:
    """Write the readiness report of a commit: JSON, Markdown, HTML, badge, and a signature.

    The report describes committed evidence only, so the same commit, catalogue, tool version and
    --as-of always give the same readiness.json.

    \b
    Examples:
      llcompliance report --out reports/draft
      llcompliance report --out reports/2026-11-30 --key ~/readiness-key/readiness_ed25519 --as-of 2026-11-30
    """
    from . import report as report_mod

    root = _repo_arg(ctx)
    built = report_mod.build(root, _as_of(as_of), commit=commit, framework=framework)
    signer = _signing_key(key_file)
    base = (
        link_base
        if link_base is not None
        else report_mod.link_base(
            out,
            root,
            built.data["source"]["commit"],
            os.environ.get("GITHUB_SERVER_URL"),
            os.environ.get("GITHUB_REPOSITORY"),
        )
    )
    written = report_mod.write(built, out, base, signer)
    for warning in written.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not written.signed:
        click.echo(
            "warning: the report is not signed (no --key or LLCOMPLIANCE_SIGNING_KEY): an assessor "
            "cannot check it is genuine",
            err=True,
        )
    summary = written.summary
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "out": str(out),
                    "files": list(written.files),
                    "signed": written.signed,
                    "summary": summary,
                },
                indent=2,
            )
        )
    else:
        click.echo(
            f"{summary['ready']} of {summary['total']} standards ready. Report written to {out}/:"
        )
        for name in written.files:
            click.echo(f"  {name}")
        click.echo(f"Open {out / report_mod.HTML_NAME} in a browser to read it.")


@main.command()
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the key files (made if missing; existing files are never replaced).",
)
@click.option(
    "--principal", required=True, help="Who signs, usually an e-mail address of the service."
)
@_format_option(("text", "json"))
def keygen(out: Path, principal: str, fmt: str) -> None:
    """Make an Ed25519 signing key pair and its allowed_signers line.

    \b
    Example:
      llcompliance keygen --out ~/readiness-key --principal readiness@eastmere.example.org
    """
    from . import signing

    keys = signing.generate_keypair(out, principal)
    if fmt == "json":
        line = keys.allowed_signers.read_text(encoding="utf-8").rstrip("\n")
        click.echo(
            json.dumps(
                {
                    "private": str(keys.private),
                    "public": str(keys.public),
                    "allowed_signers": str(keys.allowed_signers),
                    "allowed_signers_line": line,
                    "fingerprint": keys.fingerprint,
                }
            )
        )
        return
    click.echo(
        f"Private key: {keys.private} (keep it secret: store it as the repo secret "
        "LLCOMPLIANCE_SIGNING_KEY, then delete this copy or keep it offline)"
    )
    click.echo(f"Public key:  {keys.public}")
    click.echo(f"Fingerprint: {keys.fingerprint} (tell your assessor this by phone or e-mail)")
    click.echo("Add this line to .llcompliance/allowed_signers in your evidence repo:")
    click.echo(keys.allowed_signers.read_text(encoding="utf-8").rstrip("\n"))


@main.command()
@click.argument("report_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--allowed-signers",
    "allowed_signers",
    required=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="OpenSSH allowed_signers file you trust (not the one in the pull request).",
)
@click.option("--principal", help="Require this signer (default: anyone in allowed_signers).")
@click.option(
    "--rebuild", is_flag=True, help="Also rebuild the report from its commit and compare bytes."
)
@_format_option(("text", "json"))
@click.pass_context
def verify(
    ctx: click.Context,
    report_dir: Path,
    allowed_signers: Path,
    principal: str | None,
    rebuild: bool,
    fmt: str,
) -> None:
    """Check a readiness report is genuine and matches the repo at its commit (offline).

    \b
    Example (in a clone of the service's evidence repo):
      llcompliance verify reports/2026-11-30-1a2b3c4 --allowed-signers ~/trusted/allowed_signers --rebuild
    """
    from .verify import verify_report as run_verify

    repo = _repo_arg(ctx)
    result = run_verify(report_dir, allowed_signers, repo, principal=principal, rebuild=rebuild)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "ok": result.ok,
                    "principal": result.principal,
                    "checks": [c.__dict__ for c in result.checks],
                },
                indent=2,
            )
        )
    else:
        for check in result.checks:
            mark = "ok  " if check.ok else "FAIL"
            click.echo(f"{mark} {check.name}: {check.detail}")
        click.echo(
            "The report is genuine and matches the repo."
            if result.ok
            else "The report did NOT verify: do not rely on it."
        )
    sys.exit(EXIT_OK if result.ok else EXIT_FINDINGS)


@main.command("pr-body")
@click.argument("report_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--previous",
    "previous_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="An earlier report folder: the body says what changed since it.",
)
@click.option(
    "--base-url",
    help="URL prefix for links to files (default: the GitHub blob URL of "
    "the report's commit in Actions, else paths relative to the report folder).",
)
@click.option(
    "--full-report-url",
    help="Where the whole readiness.md can be read, linked if the "
    "body is cut (default in Actions: the file on the readiness/report branch).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1000),
    default=65_536,
    show_default=True,
    help="Longest body in characters (GitHub's limit); beyond it whole standards "
    "are left off and linked.",
)
@_format_option(("text", "json"))
@click.pass_context
def pr_body(
    ctx: click.Context,
    report_dir: Path,
    previous_dir: Path | None,
    base_url: str | None,
    full_report_url: str | None,
    limit: int,
    fmt: str,
) -> None:
    """Print the pull-request body an assessor reviews: one heading per standard with its state,
    evidence links and a task box, how to verify the report, and how to record outcomes.

    \b
    Examples:
      llcompliance pr-body reports/2026-11-23-1a2b3c4 > body.md
      llcompliance pr-body reports/2027-05-30-9f8e7d6 --previous reports/2026-11-23-1a2b3c4
    """
    from . import assessor
    from . import report as report_mod

    root = _repo_arg(ctx)
    data = assessor.load_report(report_dir)
    default_base, default_full, report_path = assessor.default_links(
        report_dir,
        root,
        data["source"]["commit"],
        os.environ.get("GITHUB_SERVER_URL"),
        os.environ.get("GITHUB_REPOSITORY"),
    )
    previous = None
    if previous_dir is not None:
        previous = assessor.diff_reports(assessor.load_report(previous_dir), data)
    signed = (report_dir / report_mod.SIG_NAME).is_file()
    signer = assessor.signer_of(report_dir, root) if signed else None
    if not signed:
        click.echo(
            "warning: the report is not signed: the assessor cannot check it is genuine", err=True
        )
    elif signer is None:
        click.echo(
            "warning: the report's signature does not verify against "
            ".llcompliance/allowed_signers: run `llcompliance verify "
            f"{report_dir} --allowed-signers .llcompliance/allowed_signers`",
            err=True,
        )
    body = assessor.pr_body(
        data,
        base_url=base_url if base_url is not None else default_base,
        previous=previous,
        limit=limit,
        full_report_url=full_report_url or default_full,
        fingerprint=signer.fingerprint if signer else None,
        principal=signer.principal if signer else None,
        report_path=report_path,
        signed=signed,
    )
    if fmt == "json":
        click.echo(
            json.dumps({"body": body, "characters": len(body), "limit": limit}, ensure_ascii=False)
        )
        return
    click.echo(body, nl=False)


@main.command()
@click.option("--as-of", help="Evaluate your coverage on this date (YYYY-MM-DD; default today).")
@_format_option(("text", "json"))
@click.pass_context
def assess(ctx: click.Context, as_of: str | None, fmt: str) -> None:
    """Show your assessor's outcomes beside your own coverage of each standard.

    Outcomes come from assessments/*.yaml (the latest for each standard). A standard is flagged
    when you say ready but the assessor found it not met, or they found it met but you have a gap.

    \b
    Examples:
      llcompliance assess
      llcompliance assess --as-of 2027-02-14 --format json
    """
    from . import assessor, workspace
    from .coverage import compute

    root = _repo_arg(ctx)
    day = _as_of(as_of)
    ws = workspace.load(root, today=day)
    rows = assessor.outcomes_table(ws, compute(ws, day))
    if fmt == "json":
        click.echo(
            json.dumps(
                {"as_of": day.isoformat(), **assessor.outcomes_dict(rows)},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        click.echo(assessor.render_outcomes_text(rows))
    problems = assessor.assessment_problems(ws)
    if problems:
        click.echo(output.findings_text(problems), err=True)
        click.echo(
            "note: outcomes in an assessment file with errors are not shown: fix it, "
            "then run `llcompliance validate`",
            err=True,
        )


@main.command()
@click.argument("report_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--as-of",
    help="Judge HEAD on this date (YYYY-MM-DD; default today, so review dates "
    "that have passed since the earlier report count as changes).",
)
@_format_option(("text", "json", "markdown"))
@click.pass_context
def diff(ctx: click.Context, report_dir: Path, as_of: str | None, fmt: str) -> None:
    """Show what changed since an earlier report: standards whose state changed, evidence
    added, removed or edited, and every file added, edited or removed since its commit.

    To see only what your commits changed, pass the earlier report's date as --as-of.

    \b
    Examples:
      llcompliance diff reports/2026-11-23-1a2b3c4
      llcompliance diff reports/2026-11-23-1a2b3c4 --as-of 2026-11-23 --format markdown
    """
    from . import assessor

    root = _repo_arg(ctx)
    changes = assessor.diff_against_head(report_dir, root, _as_of(as_of))
    if fmt == "json":
        click.echo(json.dumps(changes.as_dict(), indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(assessor.render_diff_markdown(changes), nl=False)
    else:
        click.echo(assessor.render_diff_text(changes))


@main.command()
@click.argument(
    "directory",
    required=False,
    default="llcompliance-demo",
    type=click.Path(file_okay=False, path_type=Path),
)
@_format_option(("text", "json"))
def demo(directory: Path, fmt: str) -> None:
    """Build a fictional service's evidence repo and run everything on it.

    Harbour Lane Domestic Abuse Service is invented: its policies and evidence are realistic, some
    deliberately expired or missing so every state shows. The demo validates, scans, computes
    coverage, writes a report signed with a throwaway key, verifies it, and prints where the HTML is.

    \b
    Example:
      llcompliance demo /tmp/harbour-lane
    """
    from . import demo as demo_mod

    if fmt == "text":
        click.echo(f"Building {demo_mod.SERVICE} (fictional) in {directory} …")
    result = demo_mod.build(directory)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "repo": str(result.repo),
                    "commits": result.commits,
                    "summary": result.coverage.counts(),
                    "findings": len(result.validation.findings),
                    "report_dir": str(result.report_dir),
                    "html": str((result.report_dir / "readiness.html").resolve()),
                    "verified": result.verification.ok,
                }
            )
        )
        sys.exit(EXIT_OK if result.verification.ok else EXIT_FINDINGS)
    color = _color()
    click.echo(f"Made {result.repo} with {result.commits} commits of history.\n")
    click.echo(paint_heading("1. llcompliance validate", color))
    click.echo(
        output.findings_text(
            result.validation.findings, color=color, summary=result.validation.summary
        )
    )
    click.echo("\n" + paint_heading("2. llcompliance scan", color))
    click.echo(
        f"{result.scan.files} files scanned: "
        + ("no personal data found." if not result.scan.failed else "findings!")
    )
    click.echo(
        "\n" + paint_heading(f"3. llcompliance coverage --as-of {result.coverage.as_of}", color)
    )
    click.echo(output.coverage_text(result.coverage, demo_mod.SERVICE, color=color))
    click.echo("\n" + paint_heading("4. llcompliance report + verify", color))
    click.echo(f"Signed with a throwaway key {result.key_fingerprint}.")
    for check in result.verification.checks:
        click.echo(f"  {'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
    html = (result.report_dir / "readiness.html").resolve()
    click.echo(f"\nThe readiness report: {html}")
    click.echo(f"Open it in a browser: file://{html}")
    if not result.verification.ok:
        sys.exit(EXIT_FINDINGS)


def paint_heading(text: str, color: bool) -> str:
    """A bold heading for demo steps."""
    return output.paint(text, "bold", color)


def run() -> None:
    """Console-script entry point."""
    main(prog_name="llcompliance")


if __name__ == "__main__":  # pragma: no cover
    run()
