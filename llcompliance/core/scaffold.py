"""New evidence repos from the template (`init`) and correctly-formed new documents (`new`)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from llcompliance.adapters import gitrepo, resources, yamlio
from llcompliance.adapters.fsutil import write_atomic
from llcompliance.adapters.printable import printable
from llcompliance.core.catalogue import EVIDENCE_KINDS
from llcompliance.core.config import CONFIG_NAME
from llcompliance.core.workspace import PLACEHOLDER_HOW, Workspace, resolve_location
from llcompliance.errors import UsageError

# Control characters and bidirectional overrides can disguise text ("Invoice \u202egnp.exe").
UNSAFE_TEXT = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
TEMPLATE_SERVICE_LINE = "service: Example Domestic Abuse Service"
TEMPLATE_ORGANISATION_LINE = "organisation: Example Trust"


def one_line(option: str, value: str | None) -> None:
    """Refuse a value the schemas would reject: empty, over 300 characters, control or bidi characters."""
    if value is not None and (not value.strip() or len(value) > 300 or UNSAFE_TEXT.search(value)):
        raise UsageError(
            f"{option} needs plain text on one line, at most 300 characters "
            "(no control or direction-override characters)"
        )


def init_repo(
    target: Path, service: str, organisation: str | None = None, *, commit: bool = True
) -> Path:
    """Copy the template to `target`, fill in the service, `git init` and commit; refuses non-empty dirs."""
    if target.is_symlink():
        raise UsageError(
            f"{target} is a symbolic link: choose a real new folder (nothing was changed)"
        )
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} is not empty: choose a new folder (nothing was changed)")
    one_line("--service", service)
    one_line("--organisation", organisation)
    if commit and gitrepo.identity_missing(target.parent if target.parent.exists() else Path.cwd()):
        raise UsageError(
            "git does not know who you are, so it cannot make the first commit. Run:\n"
            '  git config --global user.name "Your Name"\n'
            '  git config --global user.email "you@your-service.org.uk"\n'
            "then run init again (nothing was changed)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        shutil.copytree(resources.template_dir(), staging, dirs_exist_ok=True, symlinks=False)
        _fill_in(
            staging / CONFIG_NAME,
            TEMPLATE_SERVICE_LINE,
            f"service: {json.dumps(service, ensure_ascii=False)}",
        )
        if organisation:
            _fill_in(
                staging / CONFIG_NAME,
                TEMPLATE_ORGANISATION_LINE,
                f"organisation: {json.dumps(organisation, ensure_ascii=False)}",
            )
        readme = staging / "README.md"
        if readme.exists():
            readme.write_text(
                readme.read_text(encoding="utf-8").replace(
                    "Example Domestic Abuse Service", service
                ),
                encoding="utf-8",
            )
        if target.exists():
            target.rmdir()  # empty (checked above); rename needs the name free
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if commit:
        gitrepo.init(target)
        gitrepo.commit_all(target, f"Start {service}'s Leading Lights evidence repo")
    return target


def _fill_in(path: Path, old_line: str, new_line: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old_line not in text:
        raise UsageError(
            f"the template's {path.name} has no '{old_line}' line: reinstall llcompliance"
        )
    path.write_text(text.replace(old_line, new_line, 1), encoding="utf-8")


def slug(title: str) -> str:
    """A file-name-safe slug of a title."""
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return words[:60].rstrip("-") or "document"


@dataclass(frozen=True)
class NewDocument:
    """What `new` wrote."""

    path: Path
    id: str


def new_document(
    ws: Workspace,
    kind: str,
    title: str,
    standards: list[str],
    *,
    owner: str = "Service Manager",
    location_path: str | None = None,
    reference: str | None = None,
    today: dt.date | None = None,
    evidence_kind: str | None = None,
    evidence_date: str | None = None,
) -> NewDocument:
    """Write a valid new policy or evidence record with a fresh id; never overwrites.

    A policy is written as a draft, with a commented `approved:` hint; evidence needs its
    `kind` and `date` (the date it speaks for), which only the service can tell.
    """
    unknown = [s for s in standards if ws.standard(s) is None]
    if unknown:
        known = ", ".join(s.id for s in ws.framework.standards)
        shown = ", ".join(printable(u) for u in unknown)
        raise UsageError(f"unknown standard {shown}: use ids from the catalogue ({known})")
    for option, value in (
        ("--title", title),
        ("--owner", owner),
        ("--path", location_path),
        ("--reference", reference),
    ):
        one_line(option, value)
    if kind == "policy" and (location_path or reference):
        raise UsageError(
            "--path and --reference are for evidence records; a policy is its own text"
        )
    if kind == "policy" and (evidence_kind or evidence_date):
        raise UsageError(
            "--kind and --date are for evidence records; a policy says when it was approved "
            "in its `approved:` lines"
        )
    if location_path and reference:
        raise UsageError("give --path or --reference, not both: where is this evidence held?")
    if location_path:
        from llcompliance.core.documents import WorkTree

        problem = resolve_location(location_path, WorkTree(ws.root))
        if problem:
            raise UsageError(
                f"--path {location_path} {problem} (paths are relative to the repo root)"
            )
    if kind == "evidence" and not (location_path or reference):
        raise UsageError(
            "evidence needs to say where it is: --path evidence/files/x.pdf (a file in this repo) or "
            '--reference "Case system > Reports > Q3 audit" (held elsewhere, never fetched)'
        )
    if kind == "evidence":
        _check_kind_and_date(evidence_kind, evidence_date)
    today = today or dt.date.today()
    prefix, folder, suffix = (
        ("POL", "policies", ".md") if kind == "policy" else ("EV", "evidence", ".yaml")
    )
    real_folder(ws.root, folder)  # refuses a linked or escaping folder before anything is written
    taken = {item.id for item in ws.items}
    base = slug(title)
    n = 1
    while True:
        name = base if n == 1 else f"{base}-{n}"
        doc_id = f"{prefix}-{name}"
        path = ws.root / folder / f"{name}{suffix}"
        if doc_id not in taken and not path.exists():
            break
        n += 1
    data: dict[str, object] = {"id": doc_id, "title": title}
    if kind == "evidence":
        data["kind"] = evidence_kind
        data["date"] = evidence_date
    data |= {
        "owner": owner,
        "standards": [{"id": s, "how": PLACEHOLDER_HOW} for s in standards],
        "review_due": _next_year(today).isoformat(),
    }
    if kind == "evidence":
        data["location"] = {"path": location_path} if location_path else {"reference": reference}
        text = yamlio.dump(data)
    else:
        text = (
            f"---\n{yamlio.dump(data)}{APPROVED_HINT}---\n# {title}\n\n"
            "<!-- Write the policy here in plain language. Never include client details. -->\n\n"
            "## Purpose\n\n## Procedure\n\n## Review\n\n"
            "This policy is reviewed every year, or sooner if practice or the law changes.\n"
        )
    write_atomic(path, text.encode("utf-8"), exclusive=True)
    return NewDocument(path, doc_id)


# A new policy is a draft: these lines, filled in and uncommented, make it count (DESIGN §4).
APPROVED_HINT = (
    "# Once approved, remove the '# ' from the next three lines and fill them in:\n"
    "# approved:\n"
    "#   date: YYYY-MM-DD\n"
    "#   by: Board of trustees\n"
)
KIND_HELP = "record, data, feedback, template or plan (e.g. --kind record for a case-file audit)"


def _check_kind_and_date(evidence_kind: str | None, evidence_date: str | None) -> None:
    """Evidence must say what kind it is and the date it speaks for: never guessed."""
    if evidence_kind not in EVIDENCE_KINDS:
        raise UsageError(f"evidence needs --kind: {KIND_HELP}")
    if not evidence_date:
        raise UsageError(
            "evidence needs --date YYYY-MM-DD: the date it speaks for, the end of the period it "
            "covers (e.g. --date 2026-09-30 for a July-September audit)"
        )
    try:
        dt.date.fromisoformat(evidence_date)
        if len(evidence_date) != 10:
            raise ValueError(evidence_date)
    except ValueError:
        raise UsageError(
            f"--date {printable(evidence_date)}: write the date as YYYY-MM-DD, e.g. 2026-09-30"
        ) from None


def _next_year(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def real_folder(root: Path, folder: str) -> Path:
    """`root/folder`, refused when it is a symbolic link or leads outside the repo: nothing is
    ever written through a link."""
    target = root / folder
    if target.is_symlink() or not target.resolve().is_relative_to(root.resolve()):
        raise UsageError(
            f"{folder}/ is a symbolic link or leads outside the repo: make it a real folder "
            "(nothing was written)"
        )
    return target
