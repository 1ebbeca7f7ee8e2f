"""The command line: the only module that uses click. Each command parses its options and calls
`llcompliance.commands.<name>.run`, imported when the command runs (the hook path stays light)."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from llcompliance import __version__
from llcompliance.commands import EXIT_UNEXPECTED, unexpected
from llcompliance.errors import LLCError, UsageError
from llcompliance.render.console import Console
from llcompliance.render.findings import FINDING_FORMATS


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
                import traceback  # only on --traceback: the hook path never needs it

                traceback.print_exc()
            _fail(unexpected(exc), EXIT_UNEXPECTED)


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"llcompliance: {message}", err=True)
    sys.exit(code)


def _exit(code: int) -> None:
    """Leave with the command's exit code (0 falls through, as click expects)."""
    if code:
        sys.exit(code)


def _repo(ctx: click.Context) -> Path | None:
    given = ctx.obj["repo"]
    return Path(given) if given else None


def _as_of(value: str | None) -> dt.date | None:
    if value is None:
        return None
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
    from llcompliance.commands import init as init_cmd

    _exit(init_cmd.run(Console(), directory, service, organisation, fmt))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_format_option(FINDING_FORMATS)
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
    paths_given = [str(p) for p in paths]
    from llcompliance.commands import validate as validate_cmd

    _exit(validate_cmd.run(Console(), _repo(ctx), paths_given, fmt, _as_of(as_of)))


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
@click.option(
    "--trend",
    is_flag=True,
    help="Instead: the number of ready standards on each day the repo changed (from git history).",
)
@_format_option(("text", "json", "markdown"))
@click.pass_context
def coverage(
    ctx: click.Context,
    as_of: str | None,
    fail_on: str,
    framework: str | None,
    verbose: bool,
    trend: bool,
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
      llcompliance coverage --trend
    """
    from llcompliance.commands import coverage as coverage_cmd

    if trend and (fmt == "markdown" or fail_on != "never"):
        raise UsageError("--trend works with --format text or json, and without --fail-on")

    _exit(
        coverage_cmd.run(
            Console(),
            _repo(ctx),
            as_of=_as_of(as_of),
            fail_on=fail_on,
            framework=framework,
            verbose=verbose,
            fmt=fmt,
            trend=trend,
        )
    )


@main.command()
@click.option("--as-of", help="Judge on this date (YYYY-MM-DD; default today).")
@click.option(
    "--within",
    type=int,
    default=90,
    show_default=True,
    metavar="DAYS",
    help="Show what falls due within this many days (overdue items always show).",
)
@_format_option(("text", "json", "ics"))
@click.pass_context
def status(ctx: click.Context, as_of: str | None, within: int, fmt: str) -> None:
    """Show the dates that matter next, overdue first, then soonest.

    The accreditation cycle from accreditation.yaml (the application window, the visit, open
    actions, expiry and the re-accreditation window before it), reviews falling due, and
    practice evidence going out of date. `--format ics` writes a calendar to subscribe to:
    its events keep their ids, so a calendar updates them rather than adding copies.

    \b
    Examples:
      llcompliance status
      llcompliance status --within 180 --as-of 2027-01-01
      llcompliance status --format ics > accreditation.ics
    """
    from llcompliance.commands import status as status_cmd

    _exit(status_cmd.run(Console(), _repo(ctx), as_of=_as_of(as_of), within=within, fmt=fmt))


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
    from llcompliance.commands import explain as explain_cmd

    _exit(explain_cmd.run(Console(), _repo(ctx), standard_id, _as_of(as_of), fmt))


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
@click.option(
    "--kind",
    "evidence_kind",
    type=click.Choice(["record", "data", "feedback", "template", "plan"]),
    metavar="KIND",
    help="Evidence only (required): record (audits, supervision logs, training records, minutes), "
    "data (activity and outcome figures), feedback (survivors', partners', staff views), "
    "template (blank forms), plan (business, strategy, action plans).",
)
@click.option(
    "--date",
    "evidence_date",
    metavar="YYYY-MM-DD",
    help="Evidence only (required): the date the evidence speaks for, the end of the period it "
    "covers (2026-09-30 for a July-September audit). Records, data and feedback older than "
    "12 months do not count.",
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
    evidence_kind: str | None,
    evidence_date: str | None,
    fmt: str,
) -> None:
    """Write a correctly-formed new policy or evidence record (never overwrites).

    A new policy is a draft: it counts as evidence once its text is written and the
    commented `approved:` lines are filled in (the date and the role or body that approved it).

    \b
    Examples:
      llcompliance new policy --title "Lone working" --standard HR2
      llcompliance new evidence --title "Case-file audit Q3" --standard SP1 --standard SP4 \\
          --kind record --date 2026-09-30 \\
          --reference "Case system > Reports > Audits > 2026 Q3"
    """
    from llcompliance.commands import new as new_cmd

    _exit(
        new_cmd.run(
            Console(),
            _repo(ctx),
            kind,
            title,
            list(standards),
            owner=owner,
            location_path=location_path,
            reference=reference,
            evidence_kind=evidence_kind,
            evidence_date=evidence_date,
            fmt=fmt,
        )
    )


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--history", is_flag=True, help="Scan every version of every file reachable from HEAD."
)
@click.option(
    "--staged", is_flag=True, help="Scan what is staged for the next commit (the git index)."
)
@_format_option(FINDING_FORMATS)
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
    from llcompliance.commands import scan as scan_cmd

    _exit(
        scan_cmd.run(
            Console(),
            _repo(ctx),
            [str(p) for p in paths],
            history=history,
            staged=staged,
            fmt=fmt,
        )
    )


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
    from llcompliance.commands import report as report_cmd

    _exit(
        report_cmd.run(
            Console(),
            _repo(ctx),
            out,
            key_file=key_file,
            as_of=_as_of(as_of),
            commit=commit,
            framework=framework,
            link_base=link_base,
            fmt=fmt,
        )
    )


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
    from llcompliance.commands import keygen as keygen_cmd

    _exit(keygen_cmd.run(Console(), out, principal, fmt))


@main.command()
@click.argument("report_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--allowed-signers",
    "allowed_signers",
    required=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="OpenSSH allowed_signers file you trust (not the one in the pull request).",
)
@click.option(
    "--principal",
    metavar="NAME",
    help="Require this signer, the service's name in allowed_signers (default: anyone in it).",
)
@click.option(
    "--ref",
    metavar="REF",
    help="Require the report's commit to be on this branch (e.g. origin/main).",
)
@click.option(
    "--max-age",
    "max_age",
    type=click.IntRange(min=0),
    metavar="DAYS",
    help="Fail a report whose as-of date is more than DAYS days ago.",
)
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
    ref: str | None,
    max_age: int | None,
    rebuild: bool,
    fmt: str,
) -> None:
    """Check a readiness report is genuine and matches the repo at its commit (offline).

    Every file in the report folder must be the signed readiness.json, its signature, or exactly
    what the toolkit renders from it. Prints who signed it, its as-of date and its commit's date.

    \b
    Example (in a clone of the service's evidence repo):
      llcompliance verify reports/2026-11-30-1a2b3c4 --allowed-signers ~/trusted/allowed_signers \\
        --principal readiness@eastmere.example.org --ref origin/main --max-age 90 --rebuild
    """
    from llcompliance.commands import verify as verify_cmd

    _exit(
        verify_cmd.run(
            Console(),
            _repo(ctx),
            report_dir,
            allowed_signers,
            principal=principal,
            rebuild=rebuild,
            fmt=fmt,
            ref=ref,
            max_age=max_age,
        )
    )


@main.command()
@click.option(
    "--check",
    is_flag=True,
    help="Change nothing; exit 1 if an upgrade is due (for CI and hooks).",
)
@_format_option(("text", "json"))
@click.pass_context
def upgrade(ctx: click.Context, check: bool, fmt: str) -> None:
    """Bring this repo to the current format and the toolkit's pins.

    For a repo made from an earlier template, and after installing a newer llcompliance.

    Edits the text of each file, so comments and layout stay as they are: `format: 2` in
    llcompliance.yaml; a policy's `approved: DATE` and `approved_by: ROLE` become
    `approved: {date, by}`; the hooks' `rev` and the readiness action's pin move to this version.
    Each change is listed with its file and line, the lines before (-) and after (+): review them
    with `git diff`, then commit.

    What only you can decide is never guessed: evidence without `kind` or `date`, and policies
    without an approval, are listed with the line to add.

    \b
    Examples:
      llcompliance upgrade --check
      llcompliance upgrade && git diff
    """
    from llcompliance.commands import upgrade as upgrade_cmd

    _exit(upgrade_cmd.run(Console(), _repo(ctx), check=check, fmt=fmt))


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
    from llcompliance.commands import pr_body as pr_body_cmd

    _exit(
        pr_body_cmd.run(
            Console(),
            _repo(ctx),
            report_dir,
            previous_dir=previous_dir,
            base_url=base_url,
            full_report_url=full_report_url,
            limit=limit,
            fmt=fmt,
        )
    )


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
    from llcompliance.commands import assess as assess_cmd

    _exit(assess_cmd.run(Console(), _repo(ctx), _as_of(as_of), fmt))


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
    from llcompliance.commands import diff as diff_cmd

    _exit(diff_cmd.run(Console(), _repo(ctx), report_dir, _as_of(as_of), fmt))


@main.command()
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["docx", "xlsx"]),
    help="docx: the self-assessment dossier (Word); xlsx: the evidence matrix (Excel).",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (replaced if it exists), e.g. readiness.docx.",
)
@click.option("--as-of", help="Evaluate on this date (YYYY-MM-DD; default today).")
@click.pass_context
def export(ctx: click.Context, fmt: str, out: Path, as_of: str | None) -> None:
    """Write the self-assessment dossier (Word) or the evidence matrix (Excel) of HEAD.

    Built from the same data as readiness.json, so the same commit and --as-of give the same
    file. It is the service's self-assessment, not an accreditation decision.

    \b
    Examples:
      llcompliance export --format docx --out readiness.docx --as-of 2026-11-30
      llcompliance export --format xlsx --out readiness.xlsx
    """
    from llcompliance.commands import export as export_cmd

    _exit(export_cmd.run(Console(), _repo(ctx), fmt, out, as_of=_as_of(as_of)))


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--standard",
    "standards",
    multiple=True,
    required=True,
    metavar="ID",
    help="A standard the policies support (repeat for several).",
)
@click.option(
    "--approved",
    metavar="YYYY-MM-DD",
    help="The date they were approved (with --approved-by); without both, they are drafts.",
)
@click.option(
    "--approved-by",
    metavar="ROLE",
    help='The role or body that approved them, e.g. "Board of trustees".',
)
@click.option(
    "--owner", default="Service Manager", show_default=True, help="The role that owns them."
)
@_format_option(("text", "json"))
@click.pass_context
def import_(
    ctx: click.Context,
    files: tuple[Path, ...],
    standards: tuple[str, ...],
    approved: str | None,
    approved_by: str | None,
    owner: str,
    fmt: str,
) -> None:
    """Turn existing Word (.docx), Markdown or text policies into policies/*.md.

    Each FILE becomes a new policy with front matter (id from its title, review due a year
    after approval) and its headings, lists, tables, bold, italic and links kept. Images,
    comments and tracked changes are listed, not copied. The personal-data guard reads the
    converted text first: if it finds anything, nothing is written. Never overwrites.

    \b
    Examples:
      llcompliance import "Lone working policy.docx" --standard HR2 \\
          --approved 2026-03-10 --approved-by "Board of trustees" --owner "HR Manager"
      llcompliance import old-policies/*.docx --standard GV1
    """
    from llcompliance.commands import import_ as import_cmd

    _exit(
        import_cmd.run(
            Console(),
            _repo(ctx),
            list(files),
            list(standards),
            approved=approved,
            approved_by=approved_by,
            owner=owner,
            fmt=fmt,
        )
    )


@main.command()
@click.option(
    "--sources",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="fleet.yaml: the services, each {name, repo, ref, allowed_signers}.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for fleet.json, fleet.csv, fleet.html, the history and the fetch cache.",
)
@click.option(
    "--rebuild", is_flag=True, help="Also rebuild each report from its commit and compare bytes."
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1, max=64),
    default=8,
    show_default=True,
    help="Services fetched at the same time.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=300,
    show_default=True,
    metavar="SECONDS",
    help="Longest wait for each git fetch or ls-remote of a service.",
)
@_format_option(("text", "json"))
def fleet(sources: Path, out: Path, rebuild: bool, jobs: int, timeout: float, fmt: str) -> None:
    """Gather many services' signed readiness reports onto one page, counting only those that verify.

    For each service in fleet.yaml: fetch its ref (default readiness/report) into a cache in OUT,
    take the newest report under reports/, and verify it as `llcompliance verify` does, with the
    allowed_signers file you hold for it. Writes fleet.json, fleet.csv and fleet.html; a service
    whose ref has not moved since the last run is not fetched or verified again. Exits 1 when any
    report did not verify (the others are still written).

    \b
    fleet.yaml:
      services:
        - name: Eastmere Idva Service
          repo: https://github.com/eastmere-trust/evidence.git
          allowed_signers: keys/eastmere.allowed_signers

    \b
    Example:
      llcompliance fleet --sources fleet.yaml --out site --rebuild
    """
    from llcompliance.commands import fleet as fleet_cmd

    _exit(
        fleet_cmd.run(Console(), sources, out, rebuild=rebuild, jobs=jobs, timeout=timeout, fmt=fmt)
    )


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
    from llcompliance.commands import demo as demo_cmd

    _exit(demo_cmd.run(Console(), directory, fmt))


@main.group()
def roster() -> None:
    """Your clients' names, as keyed hashes outside every repo, so scan can flag them.

    No pattern finds a bare name; a roster of the names that matter does. The roster file holds
    only HMAC-SHA256 hashes under a random key, lives in your config folder (or at
    $LLCOMPLIANCE_ROSTER), and is refused inside a git repo. CI gets it from a secret.

    \b
    Example:
      llcompliance roster import clients.csv && llcompliance roster status
    """


@roster.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_format_option(("text", "json"))
def roster_import(file: Path, fmt: str) -> None:
    """Replace the roster with the names in an export FILE.

    FILE, an export from your case system, has one name per line, or is a .csv/.tsv whose first column holds the names (a header
    row is skipped). "Jane Roe" also finds "Roe, Jane" and "ROE Jane"; "Jane Mary Roe" also
    finds "Jane Roe". Delete FILE afterwards: it holds names in clear.

    \b
    Examples:
      llcompliance roster import ~/Downloads/open-cases.csv
      LLCOMPLIANCE_ROSTER=/secure/roster.json llcompliance roster import names.txt
    """
    from llcompliance.commands import roster as roster_cmd

    _exit(roster_cmd.run_import(Console(), file, fmt))


@roster.command("status")
@_format_option(("text", "json"))
def roster_status(fmt: str) -> None:
    """Show how many names the roster holds, and since when.

    Also where the roster file is and whether it fits in a GitHub secret. It never shows a
    name: the roster cannot give one back.

    \b
    Example:
      llcompliance roster status
    """
    from llcompliance.commands import roster as roster_cmd

    _exit(roster_cmd.run_status(Console(), fmt))


def run() -> None:
    """Console-script entry point."""
    main(prog_name="llcompliance")


if __name__ == "__main__":  # pragma: no cover
    run()
