"""`llcompliance fleet`: several services' repos with their own keys, fetched, verified and shown;
a bad one is listed with its reason and never counted, and unchanged refs are not fetched again."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import browser  # tests/browser.py (pyproject: pythonpath = tests)
import pytest
from conftest import DATA, git, run_cli

from llcompliance.commands import demo
from llcompliance.commands import fleet as fleet_cmd
from llcompliance.errors import ConfigError
from llcompliance.render.console import Console
from llcompliance.report import fleet, signing

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
BRANCH = "readiness/report"


@dataclass(frozen=True)
class Service:
    """A service's evidence repo with a signed report on readiness/report, and its key."""

    repo: Path
    allowed_signers: Path
    folder: str  # reports/<date>-<commit>


def _publish(base: Path, report_dir: Path, dest: Path, keys: Path, principal: str) -> Service:
    """Clone `base`, put the demo report signed with a new key on readiness/report."""
    git(base.parent, "clone", "-q", str(base), str(dest))
    git(dest, "checkout", "-q", "-b", BRANCH)
    folder = f"reports/{report_dir.name}"
    target = dest / folder
    target.mkdir(parents=True)
    for item in report_dir.iterdir():
        if item.name != "readiness.json.sig":
            shutil.copyfile(item, target / item.name)
    made = signing.generate_keypair(keys, principal)
    message = (target / "readiness.json").read_bytes()
    signature = signing.sign(message, signing.read_private_key(made.private))
    (target / "readiness.json.sig").write_text(signature, encoding="ascii")
    git(dest, "add", "-f", folder)
    git(dest, "commit", "-q", "--no-verify", "-m", f"Readiness report {folder}")
    git(dest, "checkout", "-q", "main")
    return Service(dest, made.allowed_signers, folder)


@pytest.fixture(scope="module")
def fleet_repos(
    tmp_path_factory: pytest.TempPathFactory, demo_built: demo.DemoResult
) -> dict[str, Service]:
    """Five services cloned from the demo repo: good (2), tampered, wrong signer, no branch."""
    root = tmp_path_factory.mktemp("fleet")
    base, report_dir = demo_built.repo, demo_built.report_dir
    services = {
        name: _publish(base, report_dir, root / name, root / f"keys-{name}", f"{name}@example.org")
        for name in ("harbour", "eastmere", "tampered", "wrongsigner")
    }
    # An edited HTML page beside a good signature: verify covers every file of the folder.
    tampered = services["tampered"]
    git(tampered.repo, "checkout", "-q", BRANCH)
    page = tampered.repo / tampered.folder / "readiness.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- all ready -->", encoding="utf-8")
    git(tampered.repo, "commit", "-q", "-am", "Make it look better")
    git(tampered.repo, "checkout", "-q", "main")
    # The commissioner holds another key for this service than the one that signed.
    other = signing.generate_keypair(root / "keys-other", "wrongsigner@example.org")
    services["wrongsigner"] = Service(
        services["wrongsigner"].repo, other.allowed_signers, services["wrongsigner"].folder
    )
    nobranch = root / "nobranch"
    git(root, "clone", "-q", str(base), str(nobranch))
    services["nobranch"] = Service(nobranch, services["harbour"].allowed_signers, "")
    return services


def _sources(path: Path, services: dict[str, Service], *extra: str) -> Path:
    lines = ["services:"]
    for name, s in services.items():
        lines += [
            f"  - name: {name.title()} Service",
            f"    repo: {s.repo}",
            f"    allowed_signers: {s.allowed_signers}",
        ]
    lines += list(extra)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(sources: Path, out: Path, **options: object) -> int:
    return fleet_cmd.run(Console(), sources, out, now=NOW, **options)  # type: ignore[arg-type]


def test_fleet_counts_only_verified_reports(
    fleet_repos: dict[str, Service], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Good, tampered, wrong signer, missing repo and a repo without the branch in one run: exit 1,
    every file still written, each failure with its reason and never counted."""
    sources = _sources(
        tmp_path / "fleet.yaml",
        fleet_repos,
        "  - name: Gone Service",
        f"    repo: {tmp_path / 'no-such-repo'}",
        f"    allowed_signers: {fleet_repos['harbour'].allowed_signers}",
    )
    out = tmp_path / "site"
    assert _run(sources, out, jobs=3) == 1
    printed = capsys.readouterr().out
    data = json.loads((out / "fleet.json").read_text(encoding="utf-8"))
    assert data["generated"] == "2026-11-30T09:00:00Z"
    by_name = {s["name"]: s for s in data["services"]}
    assert [s["name"] for s in data["services"]] == [
        "Harbour Service", "Eastmere Service", "Tampered Service", "Wrongsigner Service",
        "Nobranch Service", "Gone Service",
    ]  # fmt: skip
    good = by_name["Harbour Service"]
    assert good["verified"] is True and good["reason"] is None
    assert good["as_of"] == "2026-11-23"
    assert good["summary"] == {"total": 23, "ready": 11, "attention": 7, "gap": 5}
    assert len(good["states"]) == 23 and good["report"] == fleet_repos["harbour"].folder
    assert by_name["Eastmere Service"]["verified"] is True
    tampered = by_name["Tampered Service"]
    assert not tampered["verified"] and "readiness.html differs" in tampered["reason"]
    assert tampered["summary"] is None and tampered["states"] == {}  # never counted
    assert "signature" in by_name["Wrongsigner Service"]["reason"]
    assert "no branch or tag 'readiness/report'" in by_name["Nobranch Service"]["reason"]
    assert "cannot read the repo" in by_name["Gone Service"]["reason"]
    assert "FAIL Tampered Service" in printed and "2 verified, 4 not verified" in printed

    rows = list(csv.DictReader(io.StringIO((out / "fleet.csv").read_text(encoding="utf-8"))))
    assert [r["verified"] for r in rows] == ["yes", "yes", "no", "no", "no", "no"]
    assert rows[0]["ready"] == "11" and rows[0]["age_days"] == "7"
    assert rows[2]["ready"] == "" and rows[2]["SP1"] == ""

    html = (out / "fleet.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "<script" not in html
    assert "Not verified: do not rely on these" in html and "readiness.html differs" in html
    assert "Weak spots by section" in html
    # Only the two verified services are counted in the fleet-wide bar.
    assert "22 ready, 14 needs attention, 10 gap (of 46)" in html

    with sqlite3.connect(out / "fleet-history.sqlite") as db:
        assert db.execute("SELECT service, ready FROM results ORDER BY service").fetchall() == [
            ("Eastmere Service", 11),
            ("Harbour Service", 11),
        ]


def test_unchanged_refs_are_not_fetched_again(
    fleet_repos: dict[str, Service],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A second run reuses the results of refs that did not move; a moved ref is fetched again,
    and each run adds its verified results to the history."""
    repos = {name: fleet_repos[name] for name in ("harbour", "tampered")}
    sources = _sources(tmp_path / "fleet.yaml", repos)
    out = tmp_path / "site"
    assert _run(sources, out) == 1
    fetched: list[str] = []
    real = fleet.gitrepo.fetch_ref

    def counting(cache: Path, url: str, ref: str, into: str, timeout: float) -> str:
        fetched.append(url)
        return real(cache, url, ref, into, timeout)

    monkeypatch.setattr(fleet.gitrepo, "fetch_ref", counting)
    assert _run(sources, out) == 1
    assert fetched == []
    assert "(unchanged since the last run)" in capsys.readouterr().out
    again = json.loads((out / "fleet.json").read_text(encoding="utf-8"))["services"]
    assert [s["verified"] for s in again] == [True, False]  # a failure stays a failure
    # The service fixes its report: the ref moves, so it is fetched and verified again.
    tampered = fleet_repos["tampered"]
    clone = tmp_path / "tampered-fix"
    git(tmp_path, "clone", "-q", "-b", BRANCH, str(tampered.repo), str(clone))
    git(clone, "revert", "--no-edit", "HEAD")
    git(clone, "push", "-q", "origin", f"HEAD:refs/heads/{BRANCH}-fixed")
    fixed = tmp_path / "fleet-fixed.yaml"
    fixed.write_text(
        sources.read_text(encoding="utf-8").replace(
            f"repo: {tampered.repo}\n", f"repo: {tampered.repo}\n    ref: {BRANCH}-fixed\n"
        ),
        encoding="utf-8",
    )
    assert _run(fixed, out) == 0
    assert fetched == [str(tampered.repo)]
    with sqlite3.connect(out / "fleet-history.sqlite") as db:
        assert db.execute("SELECT count(*) FROM runs").fetchone() == (3,)
        assert db.execute("SELECT count(*) FROM results").fetchone() == (4,)
    assert "over 3 runs" in (out / "fleet.html").read_text(encoding="utf-8")


def test_rebuild_verifies_from_history(fleet_repos: dict[str, Service], tmp_path: Path) -> None:
    """--rebuild rebuilds the report from the fetched commit, as `verify --rebuild` does."""
    sources = _sources(tmp_path / "fleet.yaml", {"harbour": fleet_repos["harbour"]})
    out = tmp_path / "site"
    assert _run(sources, out, rebuild=True) == 0


def test_the_command_line(fleet_repos: dict[str, Service], tmp_path: Path) -> None:
    sources = _sources(tmp_path / "fleet.yaml", {"harbour": fleet_repos["harbour"]})
    result = run_cli("fleet", "--sources", str(sources), "--out", str(tmp_path / "site"))
    assert result.exit_code == 0, result.stderr
    assert "1 service: 1 verified, 0 not verified" in result.stdout


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("services:\n  - name: A\n    repo: a\n", "fleet.yaml:2: missing required key 'allowed_signers'"),
        ("services:\n  - name: A\n    repo: a\n    allowed_signers: k\n    branch: x\n",
         "fleet.yaml:5: in services.0: unknown key 'branch'"),
        ("services:\n  - name: A\n    repo: --upload-pack=x\n    allowed_signers: k\n",
         "fleet.yaml:3: services.0.repo has characters that are not allowed"),
        ("services:\n  - {name: A, repo: a, allowed_signers: k}\n  - {name: a, repo: b, allowed_signers: k}\n",
         "fleet.yaml:3: service 'a' is listed twice (first on line 2)"),
        ("services: [\n", "fleet.yaml:2: YAML error"),
        ("- a\n", "fleet.yaml:1: must be a set of keys"),
    ],
)  # fmt: skip
def test_bad_sources_name_file_and_line(tmp_path: Path, text: str, expect: str) -> None:
    path = tmp_path / "fleet.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        fleet.load_sources(path)
    assert expect in str(caught.value)
    result = run_cli("fleet", "--sources", str(path), "--out", str(tmp_path / "site"))
    assert result.exit_code == 2 and "Traceback" not in result.stderr


def test_sources_resolve_paths_against_the_file(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "fleet.yaml"
    path.parent.mkdir()
    path.write_text(
        "services:\n"
        "  - name: Local\n    repo: ../repos/local\n    allowed_signers: keys/local\n"
        "  - name: Remote\n    repo: git@github.com:eastmere/evidence.git\n"
        "    ref: main\n    allowed_signers: keys/remote\n    principal: r@example.org\n",
        encoding="utf-8",
    )
    local, remote = fleet.load_sources(path)
    assert local.location == str((tmp_path / "repos" / "local").resolve())
    assert local.ref == "readiness/report"
    assert local.allowed_signers == path.parent.resolve() / "keys" / "local"
    assert remote.location == "git@github.com:eastmere/evidence.git" and remote.ref == "main"
    assert remote.principal == "r@example.org" and remote.line == 5


def test_csv_cells_never_run_as_formulas() -> None:
    from llcompliance.render.fleet import fleet_csv

    result = fleet.Fleet(
        "2026-11-30T09:00:00Z", (fleet.ServiceResult("=HYPERLINK(1)", False, "+bad"),)
    )
    row = list(csv.reader(io.StringIO(fleet_csv(result).decode())))[1]
    assert row[0] == "'=HYPERLINK(1)" and row[2] == "'+bad"


# --- the page in a real browser -----------------------------------------------------------------

SAMPLE = DATA / "readiness-sample.json"


def _sample_page(tmp_path: Path) -> Path:
    """fleet.html for three verified services (varied states, one with an expiry) and one that
    failed, with a few runs of history: rendered without git, so it is quick."""
    from llcompliance.render.fleet import fleet_html
    from llcompliance.report.fleet_history import Point

    services = []
    for index, name in enumerate(
        ("Harbour Lane Service", "Eastmere Idva Service", "Northby Refuge")
    ):
        data = json.loads(SAMPLE.read_text(encoding="utf-8"))
        for std in data["standards"][index * 4 : index * 4 + 3]:
            std["state"] = "gap"
        states = [s["state"] for s in data["standards"]]
        data["summary"] = {
            "total": 23,
            **{k: states.count(k) for k in ("ready", "attention", "gap")},
        }
        result = fleet._verified(name, data)
        if index == 1:
            result = fleet.replace(result, accreditation={"expires": "2028-03-31"})
        services.append(result)
    services.append(
        fleet.ServiceResult(
            "Westfold Outreach",
            False,
            "reports/2026-11-01-abc1234 did not verify: folder: "
            "readiness.html differs from what readiness.json renders (it was edited)",
        )
    )
    result = fleet.Fleet("2026-11-30T09:00:00Z", tuple(services))
    history = {
        s.name: tuple(
            Point(f"2026-{m:02d}-01T09:00:00Z", "2026-11-23", 23, 8 + m % 5, 10, 5)
            for m in range(5, 12)
        )
        for s in services[:2]
    }
    path = tmp_path / "fleet.html"
    path.write_bytes(fleet_html(result, history))
    return path


@pytest.fixture(scope="module")
def chromium() -> str:
    binary = browser.find_chromium()
    if binary is None:
        pytest.skip("no Chromium found (looked for " + ", ".join(browser.CANDIDATES) + ")")
    return binary


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390])
def test_page_in_a_browser(chromium: str, tmp_path: Path, width: int) -> None:
    page = _sample_page(tmp_path)
    out = browser.screenshot(chromium, page, tmp_path / f"fleet-{width}.png", width, 1800)
    assert browser.png_size(out) == (width, 1800)
    assert out.stat().st_size > 30_000  # a blank or error page compresses to a few kB


@pytest.mark.slow
def test_page_runs_nothing_and_logs_nothing(chromium: str, tmp_path: Path) -> None:
    dom, console = browser.dump_dom(chromium, _sample_page(tmp_path).as_uri())
    assert "Westfold Outreach" in dom and "Not verified: do not rely on these" in dom
    assert dom.count('class="cell cell-') == 3 * 23
    assert console == []
