"""Git access: paths read exactly (non-ASCII, odd bytes), whatever the user's git settings."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import POLICY, TODAY, git, met_self_assessment, run_cli, write

from llcompliance.adapters import gitrepo

CAFE = "policies/café.md"


def _commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


@pytest.fixture
def cafe_repo(evidence_repo: Path) -> Path:
    """An evidence repo whose only policy has a non-ASCII name (git quotes it by default)."""
    write(evidence_repo, CAFE, POLICY)
    write(evidence_repo, "standards/HR2.md", met_self_assessment("HR2"))
    _commit(evidence_repo, "policy with an accented name")
    return evidence_repo


def test_a_non_ascii_name_gets_its_last_change_date(cafe_repo: Path) -> None:
    git(cafe_repo, "config", "core.quotePath", "true")  # git's default, said out loud
    assert CAFE in gitrepo.last_changed(cafe_repo)
    out = run_cli("coverage", "--as-of", TODAY, "--format", "json", cwd=cafe_repo)
    hr2 = next(s for s in json.loads(out.stdout)["standards"] if s["id"] == "HR2")
    assert [(e["path"], bool(e["last_changed"])) for e in hr2["evidence"]] == [(CAFE, True)]


def test_odd_bytes_in_names_are_split_exactly(tmp_path: Path) -> None:
    """A newline, a tab and a quote in names: -z output needs no unquoting and no guessing."""
    repo = tmp_path / "odd"
    repo.mkdir()
    gitrepo.init(repo)
    names = ["a/new\nline.md", 'a/tab\tand "quote".md', "a/café.md", "\nleading.md"]
    for name in names:
        write(repo, name, name + "\n")
    gitrepo.commit_all(repo, "odd names", date="2026-01-02T10:00:00Z")
    git(repo, "commit", "-q", "--allow-empty", "-m", "nothing changed")
    assert gitrepo.last_changed(repo) == dict.fromkeys(names, "2026-01-02")
    assert {b.path for b in gitrepo.reachable_blobs(repo)} == set(names)
    introduced = gitrepo.introducing_commits(repo)
    assert sorted(p for pairs in introduced.values() for _, p in pairs) == sorted(names)


def test_history_scan_names_the_real_file(cafe_repo: Path) -> None:
    write(cafe_repo, CAFE, POLICY + "\nClient born 14/03/1987.\n")
    _commit(cafe_repo, "oops")
    write(cafe_repo, CAFE, POLICY)
    _commit(cafe_repo, "remove it")
    result = run_cli("scan", "--history", cwd=cafe_repo)
    assert result.exit_code == 1
    assert f"{CAFE}:" in result.stdout and "caf\\303\\251" not in result.stdout


def test_history_sees_contents_only_a_merge_holds(tmp_path: Path) -> None:
    """A blob made while resolving a merge is in neither parent: `-m` still shows it."""
    repo = tmp_path / "merge"
    repo.mkdir()
    gitrepo.init(repo)
    write(repo, "a.md", "base\n")
    gitrepo.commit_all(repo, "base")
    git(repo, "checkout", "-qb", "side")
    write(repo, "a.md", "side\n")
    gitrepo.commit_all(repo, "side")
    git(repo, "checkout", "-q", "main")
    write(repo, "a.md", "main\n")
    gitrepo.commit_all(repo, "main")
    subprocess.run(["git", "-C", str(repo), "merge", "-q", "side"], capture_output=True)
    write(repo, "a.md", "resolved\n")  # the conflict's resolution exists only in the merge
    gitrepo.commit_all(repo, "merge side")
    resolved = git(repo, "rev-parse", "HEAD:a.md").strip()
    assert git(repo, "rev-list", "--count", "HEAD^@").strip() == "3"  # a real merge
    assert resolved in {b.blob for b in gitrepo.reachable_blobs(repo)}
    assert [p for _, p in gitrepo.introducing_commits(repo)[resolved]] == ["a.md"]


SETTINGS = [
    {"core.quotePath": "true"},
    {
        "core.quotePath": "false",
        "log.showRoot": "false",
        "color.ui": "always",
        "diff.relative": "true",
        "log.showSignature": "true",
    },
]


def test_report_bytes_do_not_depend_on_git_settings(cafe_repo: Path, tmp_path: Path) -> None:
    """`verify --rebuild` on an assessor's machine must rebuild the very same readiness.json."""
    reports = []
    for n, settings in enumerate(SETTINGS):
        for key, value in settings.items():
            git(cafe_repo, "config", key, value)
        out = tmp_path / f"report-{n}"
        result = run_cli("report", "--out", str(out), "--as-of", TODAY, cwd=cafe_repo)
        assert result.exit_code == 0, result.output
        reports.append((out / "readiness.json").read_bytes())
    assert reports[0] == reports[1]
    data = json.loads(reports[0])
    hr2 = next(s for s in data["standards"] if s["id"] == "HR2")
    assert hr2["evidence"][0]["last_changed"] is not None


def test_staged_and_history_scans_in_a_monorepo_folder(tmp_path: Path) -> None:
    """git diff and log name paths from the top of the repository: scans of a folder use its own."""
    mono = tmp_path / "mono"
    mono.mkdir()
    git(mono, "init", "-q")
    service = mono / "services/eastmere"
    assert run_cli("init", str(service), "--service", "Eastmere").exit_code == 0
    shutil.rmtree(service / ".git")
    _commit(mono, "a service's evidence in a folder")
    write(service, "policies/leak.md", "Client born 14/03/1987.\n")
    git(mono, "add", "-A")
    assert gitrepo.staged_files(service) == ["policies/leak.md"]
    result = run_cli("scan", "--staged", cwd=service)
    assert result.exit_code == 1 and "policies/leak.md:1: date-of-birth" in result.stdout
    _commit(mono, "oops")
    history = run_cli("scan", "--history", cwd=service)
    assert history.exit_code == 1
    assert "\npolicies/leak.md:1: date-of-birth" in "\n" + history.stdout


def _git_answer(folder: Path) -> gitrepo.GitDirs | None:
    """What git itself says: `rev-parse --git-dir --show-prefix`, made absolute."""
    result = subprocess.run(
        ["git", "-C", str(folder), "rev-parse", "--git-dir", "--show-prefix"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        return None
    git_dir, prefix = result.stdout.split("\n")[:2]
    return gitrepo.GitDirs((folder.resolve() / git_dir).resolve(), prefix)


def _disk_answer(folder: Path) -> gitrepo.GitDirs | None:
    found = gitrepo._dirs_on_disk(str(folder))
    return found and gitrepo.GitDirs(found.git_dir.resolve(), found.prefix)


def test_git_dirs_read_from_disk_agree_with_git(tmp_path: Path) -> None:
    """The hook finds git's folders without starting git; each layout agrees with git's answer."""
    main = tmp_path / "main"
    (main / "evidence" / "deep").mkdir(parents=True)
    git(main, "init", "-q")
    write(main, "README.md", "x\n")
    git(main, "add", "-A")
    git(main, "commit", "-qm", "first")
    git(main, "worktree", "add", "-q", str(tmp_path / "linked"))
    (tmp_path / "linked" / "policies").mkdir()
    sub = main / "vendor" / "sub"
    sub.mkdir(parents=True)
    git(sub, "init", "-q")
    # a submodule's .git is a file pointing into the parent's .git/modules
    moved = main / ".git" / "modules" / "sub"
    moved.parent.mkdir(parents=True)
    shutil.move(str(sub / ".git"), str(moved))
    (sub / ".git").write_text(f"gitdir: {Path('../../.git/modules/sub')}\n")
    (tmp_path / "alias").symlink_to(main / "evidence")
    (tmp_path / "outside").mkdir()
    folders = [
        main,
        main / "evidence",
        main / "evidence" / "deep",
        tmp_path / "linked",
        tmp_path / "linked" / "policies",
        sub,
        tmp_path / "alias",
    ]
    for folder in folders:
        assert _disk_answer(folder) is not None, folder
        assert _disk_answer(folder) == _git_answer(folder), folder
    assert _git_answer(tmp_path / "outside") is None
    assert _disk_answer(tmp_path / "outside") is None


def test_git_dirs_ask_git_when_git_could_answer_otherwise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A core.worktree setting or git's own variables: the disk is not trusted, git is asked."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    assert gitrepo._dirs_on_disk(str(repo)) is not None
    monkeypatch.setenv("GIT_DIR", str(repo / ".git"))
    assert gitrepo._dirs_on_disk(str(repo)) is None
    monkeypatch.delenv("GIT_DIR")
    git(repo, "config", "core.worktree", str(tmp_path))
    assert gitrepo._dirs_on_disk(str(repo)) is None
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / ".git").write_text("not a gitdir line\n")
    assert gitrepo._dirs_on_disk(str(tmp_path / "broken")) is None


def _agrees_or_asks(folder: Path) -> None:
    """The disk answer is git's own, or None (git is asked): never a different answer."""
    found = _disk_answer(folder)
    assert found is None or found == _git_answer(folder), folder


def test_git_dirs_leave_unusual_layouts_to_git(tmp_path: Path) -> None:
    """Each layout where git answers otherwise (or refuses) gets None from the disk."""
    plain = tmp_path / "plain"
    (plain / "sub").mkdir(parents=True)
    git(plain, "init", "-q")
    assert _disk_answer(plain / "sub") == _git_answer(plain / "sub")
    bare_setting = tmp_path / "bare-setting"
    (bare_setting / "sub").mkdir(parents=True)
    git(bare_setting, "init", "-q")
    git(bare_setting, "config", "core.bare", "true")
    assert gitrepo._dirs_on_disk(str(bare_setting / "sub")) is None
    included = tmp_path / "included"
    included.mkdir()
    git(included, "init", "-q")
    git(included, "config", "include.path", str(tmp_path / "elsewhere.gitconfig"))
    assert gitrepo._dirs_on_disk(str(included)) is None
    # a bare repo inside a work tree, and the inside of a .git folder: git takes them as repos
    subprocess.run(["git", "init", "-q", "--bare", str(plain / "inner.git")], check=True)
    assert gitrepo._dirs_on_disk(str(plain / "inner.git")) is None
    assert gitrepo._dirs_on_disk(str(plain / ".git" / "refs")) is None
    for folder in (plain / "inner.git", plain / ".git" / "refs"):
        _agrees_or_asks(folder)
    # a .git folder that is not a whole repo: git says "not a git repository"
    broken = tmp_path / "broken-dir"
    (broken / ".git").mkdir(parents=True)
    (broken / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    assert gitrepo._dirs_on_disk(str(broken)) is None
    assert _git_answer(broken) is None or _git_answer(broken) != _disk_answer(broken)


def test_gitdir_files_are_read_as_git_reads_them(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    git(real, "init", "-q")
    work = tmp_path / "work"
    work.mkdir()
    # trailing spaces are part of the path to git: that folder does not exist
    (work / ".git").write_text(f"gitdir: {real / '.git'}   \n")
    assert gitrepo._dirs_on_disk(str(work)) is None
    _agrees_or_asks(work)
    # `..` after a symlink goes to the link target's parent, as the system resolves it
    (tmp_path / "deep" / "down").mkdir(parents=True)
    (tmp_path / "lnk").symlink_to(tmp_path / "deep" / "down")
    (tmp_path / "deep" / "real.git").symlink_to(real / ".git")
    (work / ".git").write_text("gitdir: ../lnk/../real.git\n")
    _agrees_or_asks(work)
    (work / ".git").write_text(f"gitdir: {real / '.git'}\r\n")  # CRLF, as Windows editors save
    assert _disk_answer(work) == _git_answer(work)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="needs root to hand files to another user",
)
def test_git_dirs_owned_by_someone_else_are_left_to_git(tmp_path: Path) -> None:
    """git's safe.directory check refuses a git folder another user owns: so does the disk read."""
    repo = tmp_path / "foreign"
    repo.mkdir()
    git(repo, "init", "-q")
    assert gitrepo._dirs_on_disk(str(repo)) is not None
    os.chown(repo / ".git", 12345, 12345)
    assert gitrepo._dirs_on_disk(str(repo)) is None
