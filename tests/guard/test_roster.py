"""The client roster: keyed hashes outside every repo, and `scan` finding the names (fictional)."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import compare_snapshot, run_cli, write
from pdfs import encrypted, text_pdf

from llcompliance.cli.main import main
from llcompliance.core.config import ScanSettings
from llcompliance.core.findings import ERROR
from llcompliance.errors import ConfigError
from llcompliance.guard import roster as roster_mod
from llcompliance.guard.detectors import ScanRules
from llcompliance.guard.scan import scan_content

NAMES = ["Tamsin Okonjo-Vale", "Roe, Jane", "Zoë O'Brien", "Marguerite Anne Fairweather", "Ysolde"]
# Every name, and every part of one, that must never be in the roster file in clear
PARTS = [
    *NAMES,
    "Tamsin",
    "Okonjo",
    "Vale",
    "Jane",
    "Roe",
    "Zoë",
    "Zoe",
    "Brien",
    "Marguerite",
    "Fairweather",
    "Ysolde",
]
KEY = bytes(range(32))


@pytest.fixture
def roster_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$LLCOMPLIANCE_ROSTER pointing at a (not yet written) file outside every repo."""
    path = tmp_path / "secure" / "roster.json"
    monkeypatch.setenv(roster_mod.ENV_VAR, str(path))
    return path


@pytest.fixture
def imported(roster_path: Path, tmp_path: Path) -> Path:
    export = tmp_path / "export.txt"
    export.write_text("\n".join(NAMES) + "\n", encoding="utf-8")
    result = run_cli("roster", "import", str(export))
    assert result.exit_code == 0, result.output
    return roster_path


def _roster(*names: str) -> roster_mod.Roster:
    built, _ = roster_mod.build(names, key=KEY)
    return built


def _found(text: str, *names: str) -> list[str]:
    return [h.masked for h in roster_mod.find(text, _roster(*(names or NAMES)))]


# --------------------------------------------------------------------------------------------------
# The roster file


def test_roster_file_holds_no_name_in_clear(imported: Path) -> None:
    data = imported.read_bytes()
    for part in PARTS:
        for form in {part, part.lower(), part.upper(), part.casefold()}:
            assert form.encode("utf-8") not in data, form
            assert form.encode("utf-16-le") not in data, form
    document = json.loads(data)
    assert document["entries"] == len(NAMES)
    assert set(document) == {"format", "version", "imported", "entries", "sizes", "key", "digests"}


def test_roster_file_is_private_and_written_whole(imported: Path) -> None:
    assert stat.S_IMODE(imported.stat().st_mode) == 0o600
    assert stat.S_IMODE(imported.parent.stat().st_mode) == 0o700
    assert os.listdir(imported.parent) == ["roster.json"]  # no temporary file left behind


def test_each_import_uses_a_new_random_key(imported: Path, tmp_path: Path) -> None:
    first = roster_mod.load(imported)
    export = tmp_path / "again.txt"
    export.write_text("\n".join(NAMES), encoding="utf-8")
    result = run_cli("roster", "import", str(export))
    assert result.exit_code == 0
    assert "Replaced the roster" in result.stdout
    second = roster_mod.load(imported)
    assert first.key != second.key
    assert not first.digests & second.digests  # hashes cannot be compared across rosters


def test_import_inside_a_git_repo_is_refused(
    evidence_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = tmp_path / "export.txt"
    export.write_text("Jane Roe\n", encoding="utf-8")
    for target in (
        evidence_repo / "roster.json",
        evidence_repo / "policies" / "new-folder" / "roster.json",  # not yet made
        evidence_repo / ".git" / "roster.json",
    ):
        monkeypatch.setenv(roster_mod.ENV_VAR, str(target))
        result = run_cli("roster", "import", str(export))
        assert result.exit_code == 2
        assert "is inside the git repo at" in result.stderr
        assert "must never be committed" in result.stderr
        assert not target.exists()
    assert not (evidence_repo / "policies" / "new-folder").exists()


def test_default_roster_is_in_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(roster_mod.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    export = tmp_path / "export.txt"
    export.write_text("Jane Roe\n", encoding="utf-8")
    assert run_cli("roster", "import", str(export)).exit_code == 0
    assert (tmp_path / "config" / "llcompliance" / "roster.json").is_file()
    home = {"HOME": "/home/ann"}
    assert roster_mod.default_path(home) == Path("/home/ann/.config/llcompliance/roster.json")


def test_status_counts_names_and_never_shows_one(imported: Path) -> None:
    result = run_cli("roster", "status")
    assert result.exit_code == 0
    assert f"Roster: {imported}" in result.stdout
    assert "Names:  5, imported 20" in result.stdout
    for part in PARTS:
        assert part not in result.output
    data = json.loads(run_cli("roster", "status", "--format", "json").stdout)
    assert data["entries"] == 5 and data["private"] and data["fits_github_secret"]


def test_status_without_a_roster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(roster_mod.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    result = run_cli("roster", "status")
    assert result.exit_code == 0
    assert "No roster at" in result.stdout
    assert not (tmp_path / "config").exists()  # asking imports nothing


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"not json", "not JSON"),
        (b'{"format": "something else"}', 'no "format"'),
        (
            b'{"format": "llcompliance-roster", "version": 1, "key": "AA==", "digests": "",'
            b' "sizes": [2], "entries": 1, "imported": "x"}',
            "damaged",
        ),
    ],
)
def test_damaged_roster_is_a_configuration_error(
    roster_path: Path, evidence_repo: Path, content: bytes, why: str
) -> None:
    roster_path.parent.mkdir()
    roster_path.write_bytes(content)
    with pytest.raises(ConfigError, match=why):
        roster_mod.load_default()
    result = run_cli("scan", cwd=evidence_repo)
    assert result.exit_code == 2
    assert "is not a roster file" in result.stderr


def test_roster_variable_naming_a_missing_file_fails_the_scan(
    roster_path: Path, evidence_repo: Path
) -> None:
    """In CI an unset secret must not pass as "no names found"."""
    result = run_cli("scan", cwd=evidence_repo)
    assert result.exit_code == 2
    assert "LLCOMPLIANCE_ROSTER names" in result.stderr


# --------------------------------------------------------------------------------------------------
# Reading exports


def test_csv_export_first_column_with_header_detected(tmp_path: Path) -> None:
    export = tmp_path / "cases.csv"
    export.write_text(
        'Client name,Case ref\n"Roe, Jane",C-1\nTamsin Okonjo-Vale,C-2\n\n', encoding="utf-8"
    )
    assert roster_mod.read_export(export) == ["Roe, Jane", "Tamsin Okonjo-Vale"]
    headless = tmp_path / "plain.csv"
    headless.write_bytes("Zoë O'Brien;C-3\r\nJane Roe;C-4\r\n".encode("cp1252"))
    assert roster_mod.read_export(headless) == ["Zoë O'Brien", "Jane Roe"]


def test_text_export_one_name_per_line(tmp_path: Path) -> None:
    export = tmp_path / "names.txt"
    export.write_text("# open cases\nRoe, Jane\n\n  Ysolde  \n", encoding="utf-16")
    assert roster_mod.read_export(export) == ["Roe, Jane", "Ysolde"]


def test_import_of_a_file_without_names(roster_path: Path, tmp_path: Path) -> None:
    export = tmp_path / "empty.txt"
    export.write_text("# nothing\n12345\n", encoding="utf-8")
    result = run_cli("roster", "import", str(export))
    assert result.exit_code == 2
    assert "holds no names" in result.stderr
    assert not roster_path.exists()


def test_import_to_a_folder_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(roster_mod.ENV_VAR, str(tmp_path))
    export = tmp_path / "names.txt"
    export.write_text("Jane Roe\n", encoding="utf-8")
    result = run_cli("roster", "import", str(export))
    assert result.exit_code == 2
    assert "is a folder" in result.stderr


def test_import_of_a_missing_file(roster_path: Path, tmp_path: Path) -> None:
    result = run_cli("roster", "import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert "no such file" in result.stderr


# --------------------------------------------------------------------------------------------------
# Matching


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Met Jane Roe today", "J*** R**"),
        ("met JANE ROE today", "J*** R**"),
        ("met jane    roe today", "j*** r**"),
        ("Met Jane\nRoe at the refuge", "J*** R**"),  # a hard-wrapped line
        ("ROE, Jane (client)", "R** J***"),
        ("Jane Roe's son", "J*** R****"),
        ("spoke to Roe Jane", "R** J***"),
    ],
)
def test_any_case_spacing_or_order_variant_is_found(text: str, masked: str) -> None:
    assert _found(text, "Jane Roe") == [masked]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("ZOE O’BRIEN rang", "Z** O******"),
        ("Zoë OBrien rang", "Z** O*****"),
        ("Zoe O'Brien rang", "Z** O******"),
        ("Tamsin Okonjo Vale", "T***** O***** V***"),
        ("tamsin okonjo-vale", "t***** o***** v***"),
        ("Marguerite Fairweather", "M********* F**********"),  # middle name left out
        ("Marguerite Anne Fairweather", "M********* A*** F**********"),
        ("ysolde", "y*****"),  # a single-word entry finds the single word
    ],
)
def test_accents_apostrophes_hyphens_and_short_forms(text: str, masked: str) -> None:
    assert _found(text) == [masked]


@pytest.mark.parametrize(
    "text",
    [
        "Jane wrote the policy",  # one word of a two-word name is not the name
        "Roe v Wade",
        "Jane and Roe",
        "JaneRoe",
        "Marguerite Anne",
        "Anne Fairweather",
        "Tamsin Okonjo",
    ],
)
def test_parts_of_a_name_are_not_findings(text: str) -> None:
    assert _found(text) == []


def test_each_candidate_is_hashed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    roster = _roster(*NAMES)
    calls: list[str] = []
    real = roster_mod._digest

    def counting(base: object, tokens: list[str]) -> bytes:
        calls.append(" ".join(tokens))
        return real(base, tokens)  # type: ignore[arg-type]

    monkeypatch.setattr(roster_mod, "_digest", counting)
    roster_mod._MATCH_CACHE.clear()
    text = "the lone worker calls the office " * 2000
    assert roster_mod.find(text, roster) == []
    assert len(calls) == len(set(calls)) <= 6 * len(roster.sizes)


def test_a_large_text_is_quick() -> None:
    roster_mod._MATCH_CACHE.clear()
    words = [f"word{n:05d}".replace("0", "o").replace("1", "l") for n in range(20_000)]
    text = " ".join(w.translate(str.maketrans("23456789", "abcdefgh")) for w in words)
    start = dt.datetime.now()
    assert roster_mod.find(text + " Jane Roe", _roster("Jane Roe")) != []
    assert (dt.datetime.now() - start).total_seconds() < 3


# --------------------------------------------------------------------------------------------------
# scan with a roster


def test_scan_flags_roster_names_masked(imported: Path, evidence_repo: Path) -> None:
    write(
        evidence_repo,
        "evidence/supervision.md",
        "# Supervision\n\nDiscussed ROE, Jane and her safety plan.\n",
    )
    result = run_cli("scan", cwd=evidence_repo)
    assert result.exit_code == 1
    assert (
        "evidence/supervision.md:3: roster-name: R** J*** is the name of someone" in result.stdout
    )
    for part in PARTS:
        assert part not in result.output
    data = json.loads(run_cli("scan", "--format", "json", cwd=evidence_repo).stdout)
    assert [(f["rule"], f["severity"]) for f in data["findings"]] == [("roster-name", "error")]


def test_scan_flags_roster_names_in_documents_and_file_names(imported: Path) -> None:
    roster = roster_mod.load(imported)
    rules, settings = ScanRules(), ScanSettings()
    pdf = text_pdf("Minutes", "Tamsin Okonjo-Vale attended")
    findings, _ = scan_content("evidence/files/minutes.pdf", pdf, settings, rules, roster)
    assert [(f.rule, f.severity, f.message.split(" is ")[0]) for f in findings] == [
        ("roster-name", ERROR, "in page 2: T***** O***** V***")
    ]
    locked = encrypted(pdf, "pw")
    findings, _ = scan_content("evidence/files/minutes.pdf", locked, settings, rules, roster)
    assert [f.rule for f in findings] == ["not-scanned"]
    # the name is found in a path and never printed in it
    from llcompliance.guard.scan import scan_paths

    report = scan_paths(
        Path("."),
        ["evidence/files/Zoe OBrien notes.md"],
        settings,
        read=lambda p: b"",
        roster=roster,
    )
    assert [(f.path, f.line, f.rule) for f in report.findings] == [
        ("evidence/files/Z** O***** notes.md", 0, "roster-name")
    ]


def test_scan_history_finds_a_name_that_was_removed(imported: Path, evidence_repo: Path) -> None:
    from conftest import git

    write(evidence_repo, "evidence/notes.md", "Called Ysolde back.\n")
    git(evidence_repo, "add", "-A")
    git(evidence_repo, "commit", "-qm", "notes")
    write(evidence_repo, "evidence/notes.md", "Called the client back.\n")
    git(evidence_repo, "commit", "-qam", "remove the name")
    assert run_cli("scan", cwd=evidence_repo).exit_code == 0
    result = run_cli("scan", "--history", cwd=evidence_repo)
    assert result.exit_code == 1
    assert "roster-name: Y***** is the name" in result.stdout


def test_disabled_rule_and_no_roster_change_nothing(
    evidence_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = b"Discussed Jane Roe.\n"
    roster = _roster("Jane Roe")
    assert scan_content("a.md", text, ScanSettings(), ScanRules(), None) == ([], 0)
    off = ScanRules(disabled_rules=frozenset({"roster-name"}))
    assert scan_content("a.md", text, ScanSettings(), off, roster) == ([], 0)
    monkeypatch.delenv(roster_mod.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    write(evidence_repo, "evidence/a.md", text.decode())
    assert run_cli("scan", cwd=evidence_repo).exit_code == 0
    assert not (tmp_path / "config").exists()


def test_roster_inside_a_repo_is_not_used(
    evidence_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A roster someone copied into the repo is an error, not a silent pass or a silent use."""
    inside = evidence_repo / "roster.json"
    inside.write_bytes(roster_mod.dumps(_roster("Jane Roe")))
    monkeypatch.setenv(roster_mod.ENV_VAR, str(inside))
    result = run_cli("scan", cwd=evidence_repo)
    assert result.exit_code == 2
    assert "is inside the git repo" in result.stderr


# --------------------------------------------------------------------------------------------------
# Help text


@pytest.mark.parametrize("args", [["roster"], ["roster", "import"], ["roster", "status"]])
def test_roster_help_text(args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = CliRunner().invoke(
        main, [*args, "--help"], terminal_width=80, max_content_width=80, prog_name="llcompliance"
    )
    assert result.exit_code == 0
    assert "Example" in result.stdout
    compare_snapshot(f"help-{'-'.join(args)}.txt", result.stdout)
