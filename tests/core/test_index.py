"""`validate PATHS` checks changed files against the index of the rest: always what a full
`validate` says about those files, after renames, deletions, branch switches and edits outside git."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import POLICY, RECORD, git, met_self_assessment, write

from llcompliance.core import checks, doccache
from llcompliance.core.doccache import INDEX_NAME, store_path
from llcompliance.core.documents import FOLDERS, WorkTree, discover

DAY = dt.date(2026, 11, 23)


def policy(doc_id: str, standard: str = "HR2") -> str:
    """POLICY with another id and standard."""
    return POLICY.replace("POL-lone-working", doc_id).replace("id: HR2", f"id: {standard}")


def _age(repo: Path) -> None:
    """Make every document and folder look older than the two seconds the index distrusts."""
    old = time.time() - 60
    for top in FOLDERS:
        for folder, _, files in os.walk(repo / top):
            for name in files:
                os.utime(Path(folder) / name, (old, old))
            os.utime(folder, (old, old))


def _same_as_full(repo: Path) -> None:
    """Every document, validated alone, gets exactly the full run's findings for it."""
    full = checks.validate(repo, [], today=DAY).findings
    for path in discover(WorkTree(repo)):
        alone = checks.validate(repo, [path], today=DAY).findings
        expected = tuple(f for f in full if f.path == path or f.rule == "format")
        assert alone == expected, path


@pytest.fixture
def repo(evidence_repo: Path) -> Path:
    """Policies, a record and self-assessments that cite them, committed and indexed."""
    write(evidence_repo, "policies/a-lone-working.md", POLICY)
    write(evidence_repo, "policies/m-safeguarding.md", policy("POL-safeguarding", "SP1"))
    write(evidence_repo, "policies/z-visits.md", policy("POL-visits"))
    write(evidence_repo, "evidence/checks.yaml", RECORD)
    write(evidence_repo, "standards/HR2.md", met_self_assessment("HR2"))
    # SP1 cites the lone-working policy, which does not list SP1: a one-sided link
    write(evidence_repo, "standards/SP1.md", met_self_assessment("SP1"))
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "documents")
    _age(evidence_repo)
    checks.validate(evidence_repo, ["policies/z-visits.md"], today=DAY)  # builds the index
    return evidence_repo


def _index(repo: Path) -> dict[str, object]:
    path = store_path(repo, INDEX_NAME)
    assert path is not None
    data: dict[str, object] = json.loads(path.read_text())
    return data


def test_the_index_answers_for_unchanged_files(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "policies/a-lone-working.md" in _index(repo)["docs"]  # type: ignore[operator]
    read: list[str] = []
    original = doccache.DocCache.read

    def counting(self: doccache.DocCache, source: object, path: str) -> object:
        read.append(path)
        return original(self, source, path)  # type: ignore[arg-type]

    monkeypatch.setattr(doccache.DocCache, "read", counting)
    checks.validate(repo, ["policies/z-visits.md"], today=DAY)
    assert read == ["policies/z-visits.md"]  # the others: only their stat signatures


def test_a_citation_of_an_unread_item_is_judged(repo: Path) -> None:
    found = checks.validate(repo, ["standards/SP1.md"], today=DAY).findings
    assert "one-sided-link" in {f.rule for f in found}
    _same_as_full(repo)


def test_an_earlier_path_owns_its_id_as_in_a_full_run(repo: Path) -> None:
    """Without the fix, the named earlier file was told its id was taken by the later one."""
    write(repo, "policies/z-visits.md", POLICY)  # same id as a-lone-working.md
    _age(repo)
    assert checks.validate(repo, ["policies/a-lone-working.md"], today=DAY).findings == ()
    found = checks.validate(repo, ["policies/z-visits.md"], today=DAY).findings
    assert [f.rule for f in found] == ["duplicate-id"]
    _same_as_full(repo)


def test_edits_outside_git_are_seen(repo: Path) -> None:
    _same_as_full(repo)
    # another file takes z's id, unstaged; then it is aged so only its stat signature differs
    write(repo, "policies/a-lone-working.md", policy("POL-visits", "SP1"))
    _age(repo)
    found = checks.validate(repo, ["policies/z-visits.md"], today=DAY).findings
    assert [f.rule for f in found] == ["duplicate-id"]
    _same_as_full(repo)


def test_renames_and_deletions_are_seen(repo: Path) -> None:
    write(repo, "policies/z-visits.md", POLICY)
    _age(repo)
    _same_as_full(repo)
    git(repo, "mv", "policies/a-lone-working.md", "policies/zz-lone-working.md")
    _age(repo)  # folder stamps as old as before: only the listing differs
    found = checks.validate(repo, ["policies/z-visits.md"], today=DAY).findings
    assert found == ()  # now it comes first and owns the id
    _same_as_full(repo)
    (repo / "policies/zz-lone-working.md").unlink()
    (repo / "evidence/checks.yaml").unlink()
    _age(repo)
    _same_as_full(repo)
    (repo / "policies/sub").mkdir()
    write(repo, "policies/sub/again.md", POLICY)  # a new folder's file takes the id back
    _age(repo)
    found = checks.validate(repo, ["policies/z-visits.md"], today=DAY).findings
    assert [f.rule for f in found] == ["duplicate-id"]
    _same_as_full(repo)


def test_branch_switches_are_seen(repo: Path) -> None:
    git(repo, "checkout", "-qb", "other")
    write(repo, "policies/z-visits.md", POLICY)
    write(repo, "policies/b-new.md", policy("POL-new", "SP1"))
    git(repo, "rm", "-q", "standards/HR2.md")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "other")
    _age(repo)
    _same_as_full(repo)
    git(repo, "checkout", "-q", "main" if "main" in git(repo, "branch") else "master")
    _age(repo)
    assert checks.validate(repo, ["policies/z-visits.md"], today=DAY).findings == ()
    _same_as_full(repo)


def test_a_misfiled_self_assessment_does_not_speak_for_the_standard(repo: Path) -> None:
    # GV1.md claims SP1, which standards/SP1.md speaks for: only SP1.md's citations are judged
    write(repo, "standards/GV1.md", met_self_assessment("SP1"))
    _age(repo)
    _same_as_full(repo)


def test_a_damaged_index_is_rebuilt(repo: Path) -> None:
    path = store_path(repo, INDEX_NAME)
    assert path is not None
    path.write_bytes(b"\x00not json")
    _same_as_full(repo)
    data = _index(repo)
    data["stamp"] = "another-version"
    path.write_text(json.dumps(data))
    _same_as_full(repo)


def test_rows_of_the_wrong_shape_empty_the_index_and_the_answer_stays_right(repo: Path) -> None:
    """An index edited on disk (same stamp, rows of other types) never crashes or misleads."""
    path = store_path(repo, INDEX_NAME)
    assert path is not None
    data = _index(repo)
    docs = data["docs"]
    assert isinstance(docs, dict)
    for row in docs.values():
        if len(row) == 8:
            row[4] = {"not": "an id"}  # unhashable where an id belongs
            row[6] = 7  # not a list of standards
    path.write_text(json.dumps(data))
    _same_as_full(repo)
    rebuilt = _index(repo)["docs"]
    assert isinstance(rebuilt, dict)
    assert all(isinstance(row[4], str) for row in rebuilt.values() if len(row) == 8)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data["docs"].update(dict.fromkeys(data["docs"], 5)),
        lambda data: data["docs"].update(dict.fromkeys(data["docs"], {"0": 1})),
        lambda data: data.update(others=[1]),
        lambda data: [row.__setitem__(6, "HR2") for row in data["docs"].values() if len(row) == 8],
    ],
    ids=["number-rows", "dict-rows", "number-in-others", "string-standards"],
)
def test_any_damaged_row_is_read_again_never_a_crash(repo: Path, damage: Any) -> None:
    path = store_path(repo, INDEX_NAME)
    assert path is not None
    data = _index(repo)
    damage(data)
    path.write_text(json.dumps(data))
    _same_as_full(repo)
