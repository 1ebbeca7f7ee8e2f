"""Existing policies (converted to Markdown) as new `policies/<slug>.md` files with front matter.

Planning writes nothing: the command runs the guard on every planned text first (DESIGN §5).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from llcompliance.adapters import yamlio
from llcompliance.adapters.printable import printable
from llcompliance.adapters.wordconv import Converted
from llcompliance.core.scaffold import APPROVED_HINT, one_line, real_folder, slug
from llcompliance.core.workspace import Workspace
from llcompliance.errors import UsageError

POLICY_FOLDER = "policies"


@dataclass(frozen=True)
class Approval:
    """When and by which role or body a policy was approved."""

    date: dt.date
    by: str


@dataclass(frozen=True)
class PolicyPlan:
    """A policy ready to be written: where, its id and title, and the whole file's text."""

    source: str
    path: Path
    rel: str
    id: str
    title: str
    text: str
    notes: tuple[str, ...]
    same_title: str | None  # the id of a policy already in the repo with this title
    body_first_line: int  # the file line where the converted text starts (after front matter)


def approval(date: str | None, by: str | None) -> Approval | None:
    """The --approved/--approved-by pair: both or neither (UsageError otherwise)."""
    if date is None and by is None:
        return None
    if date is None or by is None:
        raise UsageError(
            "--approved and --approved-by go together: give the date it was approved and the role "
            'or body that approved it, e.g. --approved 2026-03-10 --approved-by "Board of trustees" '
            "(leave both out to import a draft)"
        )
    one_line("--approved-by", by)
    try:
        when = dt.date.fromisoformat(date)
        if len(date) != 10:
            raise ValueError(date)
    except ValueError:
        raise UsageError(
            f"--approved {printable(date)}: write the date as YYYY-MM-DD, e.g. 2026-03-10"
        ) from None
    return Approval(when, by)


def check_standards(ws: Workspace, standards: Iterable[str]) -> list[str]:
    """The standard ids, upper-cased, each known to the repo's catalogue (UsageError otherwise)."""
    ids = list(dict.fromkeys(s.upper() for s in standards))
    unknown = [s for s in ids if ws.standard(s) is None]
    if unknown:
        known = ", ".join(s.id for s in ws.framework.standards)
        shown = ", ".join(printable(u) for u in unknown)
        raise UsageError(f"unknown standard {shown}: use ids from the catalogue ({known})")
    return ids


def review_due(approved: Approval | None, today: dt.date) -> dt.date:
    """A year after approval (or, for a draft, after today): llcompliance.yaml sets no review cycle."""
    start = approved.date if approved else today
    try:
        return start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 1, day=28)


def title_from_file(name: str) -> str:
    """A title from a file name: "lone_working-policy v2.docx" → "Lone working policy v2"."""
    stem = re.sub(r"[_\s-]+", " ", Path(name).stem).strip()
    return stem[:1].upper() + stem[1:] if stem else "Imported policy"


def plan_policies(
    ws: Workspace,
    converted: list[tuple[str, Converted]],
    standards: list[str],
    *,
    approved: Approval | None,
    owner: str,
    today: dt.date,
) -> list[PolicyPlan]:
    """One plan per (source name, converted text): a fresh id and file name that nothing uses."""
    one_line("--owner", owner)
    folder = real_folder(ws.root, POLICY_FOLDER)
    taken_ids = {item.id for item in ws.items}
    titles = {item.title.casefold(): item.id for item in ws.items if item.title}
    taken_names: set[str] = set()
    plans = []
    for source, doc in converted:
        title = " ".join((doc.title or title_from_file(source)).split())[:300]
        one_line(f"the title of {source}", title)
        base = slug(title)
        n = 1
        while True:
            name = base if n == 1 else f"{base}-{n}"
            doc_id = f"POL-{name}"
            path = folder / f"{name}.md"
            if doc_id not in taken_ids and name not in taken_names and not path.exists():
                break
            n += 1
        taken_ids.add(doc_id)
        taken_names.add(name)
        front = policy_text(doc_id, title, owner, standards, review_due(approved, today), approved)
        text = front + policy_body(title, doc.markdown)
        plans.append(
            PolicyPlan(
                source=source,
                path=path,
                rel=f"{POLICY_FOLDER}/{name}.md",
                id=doc_id,
                title=title,
                text=text,
                notes=doc.notes,
                same_title=titles.get(title.casefold()),
                body_first_line=front.count("\n") + 1,
            )
        )
    return plans


def policy_text(
    doc_id: str,
    title: str,
    owner: str,
    standards: list[str],
    due: dt.date,
    approved: Approval | None,
) -> str:
    """The front matter block, `---` to `---`: a draft gets the commented `approved:` hint."""
    data: dict[str, object] = {
        "id": doc_id,
        "title": title,
        "owner": owner,
        "standards": standards,
        "review_due": due.isoformat(),
    }
    if approved:
        data["approved"] = {"date": approved.date.isoformat(), "by": approved.by}
    return f"---\n{yamlio.dump(data)}{'' if approved else APPROVED_HINT}---\n"


def policy_body(title: str, markdown: str) -> str:
    """The converted text under one `# title` heading (the document's own when it has one)."""
    lines = markdown.split("\n")
    first = next((line for line in lines if line.strip()), "")
    if re.match(r"^#\s", first):
        return markdown
    return f"# {title}\n\n{markdown}" if markdown.strip() else f"# {title}\n"
