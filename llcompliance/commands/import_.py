"""`llcompliance import FILE… --standard ID…`: existing Word, Markdown or text policies as
`policies/<slug>.md`; the guard reads every converted text before anything is written."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from llcompliance.adapters.fsutil import read_capped, write_atomic
from llcompliance.adapters.printable import printable
from llcompliance.adapters.wordconv import MAX_BYTES, convert
from llcompliance.commands import EXIT_FINDINGS, EXIT_OK, repo_root
from llcompliance.core import importer, workspace
from llcompliance.core.findings import ERROR, Finding
from llcompliance.errors import UsageError
from llcompliance.guard import roster as roster_mod
from llcompliance.guard import scan as guard
from llcompliance.render import findings as output
from llcompliance.render.console import Console


def run(
    console: Console,
    repo: Path | None,
    files: list[Path],
    standards: list[str],
    *,
    approved: str | None,
    approved_by: str | None,
    owner: str,
    fmt: str,
    today: dt.date | None = None,
) -> int:
    root = repo_root(repo)
    ws = workspace.load(root)
    approval = importer.approval(approved, approved_by)
    ids = importer.check_standards(ws, standards)
    converted = [(path.name, convert(_read(path), path.name)) for path in files]
    plans = importer.plan_policies(
        ws, converted, ids, approved=approval, owner=owner, today=today or dt.date.today()
    )
    findings = guard_findings(root, plans)
    if any(f.severity == ERROR for f in findings):
        if fmt == "json":
            console.out(output.findings_json(findings, written=[]))
        else:
            console.out(output.findings_text(findings, color=console.colour))
            console.out(
                "\nNothing was written. Personal data was found in the converted text (each line "
                "number counts lines of the converted text; the heading says where it is in the "
                "document). Remove it from the original, save it, and import again."
            )
        return EXIT_FINDINGS
    for plan in plans:
        write_atomic(plan.path, plan.text.encode("utf-8"), exclusive=True)
    if fmt == "json":
        console.json(
            {
                "written": [
                    {
                        "path": p.rel,
                        "id": p.id,
                        "title": p.title,
                        "source": p.source,
                        "notes": list(p.notes),
                    }
                    for p in plans
                ],
                "findings": [],
            },
            indent=None,
        )
    else:
        console.out(_summary(plans, ids, approval))
    return EXIT_OK


def guard_findings(root: Path, plans: list[importer.PolicyPlan]) -> list[Finding]:
    """The guard's findings on each planned text, with the repo's scan settings and roster; each
    names the source file and the heading the line sits under."""
    from llcompliance.core import config as config_mod

    settings = config_mod.load(root).scan
    rules = guard.rules_from(settings)
    roster = roster_mod.load_default()
    found: list[Finding] = []
    for plan in plans:
        results, _allowed = guard.scan_content(
            plan.rel, plan.text.encode("utf-8"), settings, rules, roster
        )
        for finding in results:
            where = _heading_above(plan.text, finding.line)
            found.append(
                finding._replace(
                    path=plan.source,
                    line=max(1, finding.line - plan.body_first_line + 1),
                    message=finding.message + (f' (under the heading "{where}")' if where else ""),
                )
            )
    return found


def _read(path: Path) -> bytes:
    try:
        return read_capped(
            path, MAX_BYTES, what="a policy is far smaller: check that this is the right file"
        )
    except FileNotFoundError:
        raise UsageError(f"{printable(str(path))}: no such file (nothing was written)") from None
    except IsADirectoryError:
        raise UsageError(
            f"{printable(str(path))}: is a folder: name the files, e.g. policies-to-import/*.docx"
        ) from None
    except OSError as exc:
        raise UsageError(f"{printable(str(path))}: cannot read it ({exc.strerror})") from None


def _heading_above(text: str, line: int) -> str:
    for candidate in reversed(text.split("\n")[: max(line, 0)]):
        match = re.match(r"^#{1,6}\s+(.+)$", candidate)
        if match:
            return match.group(1).strip()
    return ""


def _summary(
    plans: list[importer.PolicyPlan], standards: list[str], approval: importer.Approval | None
) -> str:
    lines = [f"Imported {len(plans)} polic{'y' if len(plans) == 1 else 'ies'}:"]
    for plan in plans:
        lines.append(f"  {plan.rel} ({plan.id}) from {printable(plan.source)}")
        if plan.same_title:
            lines.append(
                f"    a policy with this title is already here ({plan.same_title}): keep one of "
                "the two (nothing was overwritten)"
            )
        lines.extend(f"    note: {note}" for note in plan.notes)
    state = (
        f"approved {approval.date.isoformat()} by {approval.by}"
        if approval
        else "drafts: they count once you fill in their `approved:` lines"
    )
    lines += [
        f"They support {', '.join(standards)} and are {state}.",
        "",
        "Next:",
        "  1. Read each new file beside the original (tables and lists especially).",
        "  2. llcompliance validate    checks front matter, links and review dates",
        f"  3. llcompliance explain {standards[0]}  what {standards[0]} asks for, and what counts for it now",
        "  4. llcompliance coverage    every standard's state",
        '  5. git add policies && git commit -m "Import policies from Word"',
    ]
    return "\n".join(lines)


def policy_from_word(data: bytes, name: str, front_matter: str, dest: Path, root: Path) -> None:
    """Write `dest`: the given front matter (`---` … `---`) over the text of a Word file, once the
    guard has read it (the demo's path: a policy kept in Word, its front matter already agreed)."""
    converted = convert(data, name)
    rel = dest.relative_to(root).as_posix()
    title = converted.title or importer.title_from_file(name)
    text = front_matter + importer.policy_body(title, converted.markdown)
    plan = importer.PolicyPlan(
        name, dest, rel, "", title, text, converted.notes, None, front_matter.count("\n") + 1
    )
    problems = [f for f in guard_findings(root, [plan]) if f.severity == ERROR]
    if problems:
        raise UsageError(f"{name}: the guard refused it: {output.findings_text(problems)}")
    write_atomic(dest, text.encode("utf-8"), exclusive=True)
