"""Hostile input (issue 7): every command survives whatever is in the repo, and changes nothing.

Small cases are files under tests/data/hostile/ (copied to the same path in a fresh evidence repo);
large ones, symlinks, pipes and odd file names are generated here in tmp_path, never committed.
Cases that could crash or hang the interpreter if a guard regressed run the real CLI as a
subprocess with a memory limit and a timeout.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import DATA, GIT_ENV, POLICY, git, run_cli, write

HOSTILE = DATA / "hostile"
CLI = (sys.executable, "-m", "llcompliance.cli")
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("validate",),
    ("validate", "--format", "json"),
    ("coverage",),
    ("coverage", "--format", "json"),
    ("explain", "SP1"),
    ("explain", "SP1", "--format", "json"),
)
MEMORY_LIMIT = 1024**3  # bytes of address space for each CLI run
TIME_LIMIT = 60  # seconds of wall time for each CLI run (they take well under 10)
MB = 1024 * 1024

# What a terminal must never receive from a user's file: escapes, bells, bidi overrides.
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")

EVIDENCE = """id: {id}
title: {title}
owner: Service Manager
standards: [SP1]
review_due: 2099-12-31
location:
  {loc}
kind: record
date: 2026-09-30
"""


# --- snapshots: the repo (and what its links point at) must be byte-identical afterwards ---------


def _entries(root: Path) -> Iterator[os.DirEntry[str]]:
    pending = [str(root)]  # explicit stack: some cases nest folders 1,200 deep
    while pending:
        with os.scandir(pending.pop()) as listing:
            for entry in listing:
                yield entry
                if entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)


def snapshot(*roots: Path) -> dict[bytes, str]:
    """sha256 of each file, target of each link, kind of anything else (.git included, but not
    llcompliance's own cache of parsed documents in .git/llcompliance/)."""
    found: dict[bytes, str] = {}
    for root in roots:
        for entry in _entries(root):
            if f"{os.sep}.git{os.sep}llcompliance" in entry.path:
                continue
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISLNK(mode):
                state = "link:" + os.readlink(entry.path)
            elif stat.S_ISREG(mode):
                digest = hashlib.sha256()
                with open(entry.path, "rb") as handle:
                    for chunk in iter(lambda: handle.read(MB), b""):
                        digest.update(chunk)
                state = digest.hexdigest()
            else:
                state = "dir" if stat.S_ISDIR(mode) else f"mode:{stat.S_IFMT(mode)}"
            found[os.fsencode(entry.path)] = state
    return found


# --- the cases ------------------------------------------------------------------------------------

Build = Callable[[Path, Path], None]  # (repo, outside): make generated files


@dataclass(frozen=True)
class Case:
    """Files to put in a fresh evidence repo and the findings `validate` must report for them."""

    name: str
    files: tuple[str, ...] = ()  # from tests/data/hostile, copied to the same path in the repo
    build: Build | None = None
    expect: tuple[tuple[str, str, int | None], ...] = ()  # (path, rule, line or None); () = clean
    clean: tuple[str, ...] = ()  # paths that must validate clean and count for SP1 in explain
    validate_exit: int = 1
    pass_argv: tuple[str, ...] = field(default=())  # `validate PATH` must still report these

    def __str__(self) -> str:
        return self.name


def _outside_folder(repo: Path, outside: Path) -> None:
    """evidence/files/outside-link -> a folder outside the repo holding secret.txt."""
    (outside / "secret.txt").write_text("not for the repo\n")
    (repo / "evidence/files").mkdir(parents=True, exist_ok=True)
    os.symlink(outside, repo / "evidence/files/outside-link")


def _link_loop(repo: Path, outside: Path) -> None:
    os.symlink("loop-b", repo / "evidence/files/loop-a")
    os.symlink("loop-a", repo / "evidence/files/loop-b")


def _long_line(repo: Path, outside: Path) -> None:
    write(
        repo,
        "evidence/long-title.yaml",
        EVIDENCE.format(id="EV-long", title="x" * 5000, loc="reference: x"),
    )
    write(repo, "evidence/long-number.yaml", "id: " + "9" * 5000 + "\n")
    write(
        repo,
        "evidence/long-path.yaml",
        EVIDENCE.format(id="EV-long-path", title="Long path", loc="path: " + "a/" * 2500 + "x.pdf"),
    )


def _folder_named_like_document(repo: Path, outside: Path) -> None:
    write(repo, "policies/folder.md/notes.txt", "a folder, not a policy\n")
    (repo / "evidence/folder.yaml").mkdir()


def _symlinked_documents(repo: Path, outside: Path) -> None:
    (outside / "policy.md").write_text(POLICY)  # a valid policy, but outside the repo
    os.symlink(outside / "policy.md", repo / "policies/link-outside.md")
    os.symlink("link-loop.md", repo / "policies/link-loop.md")
    os.symlink(outside, repo / "evidence/link-to-folder.yaml")
    (repo / "standards/SP3.md").unlink()
    os.symlink("/etc/passwd", repo / "standards/SP3.md")


def _symlinked_folder(repo: Path, outside: Path) -> None:
    shutil.rmtree(repo / "assessments")
    write(outside, "assessment.yaml", "assessor: Someone\nfindings: []\n")
    os.symlink(outside, repo / "assessments")


def _odd_file_names(repo: Path, outside: Path) -> None:
    write(repo, "policies/line\nbreak.md", POLICY)
    write(repo, "policies/\u202eexe.md", POLICY)
    latin1_name = os.fsencode(repo / "policies") + b"/caf\xe9.md"  # Latin-1, not UTF-8
    with open(latin1_name, "wb") as handle:
        handle.write(POLICY.encode())


CASES = [
    Case(
        "binary-junk-named-md",
        ("policies/binary-junk.md",),
        expect=(("policies/binary-junk.md", "encoding", 1),),
    ),
    Case(
        "invalid-utf8",
        ("policies/invalid-utf8.md",),
        expect=(("policies/invalid-utf8.md", "encoding", 3),),
    ),
    Case(
        "utf16-le-bom",
        ("policies/utf16-bom.md",),
        expect=(("policies/utf16-bom.md", "encoding", 1),),
    ),
    Case(
        "utf16-be-bom",
        ("policies/utf16be-bom.md",),
        expect=(("policies/utf16be-bom.md", "encoding", 1),),
    ),
    Case("utf8-bom", ("policies/utf8-bom.md",), clean=("policies/utf8-bom.md",), validate_exit=0),
    Case(
        "crlf",
        ("policies/crlf.md", "evidence/crlf.yaml"),
        clean=("policies/crlf.md", "evidence/crlf.yaml"),
        validate_exit=0,
    ),
    Case("cr-only", ("policies/cr-only.md",), clean=("policies/cr-only.md",), validate_exit=0),
    Case(
        "unclosed-front-matter",
        ("policies/unclosed-front-matter.md",),
        expect=(("policies/unclosed-front-matter.md", "front-matter", 1),),
    ),
    Case(
        "empty-files",
        ("policies/empty.md", "evidence/empty.yaml"),
        expect=(("policies/empty.md", "front-matter", 1), ("evidence/empty.yaml", "schema", 1)),
    ),
    Case(
        "not-a-mapping",
        ("evidence/not-a-mapping.yaml",),
        expect=(("evidence/not-a-mapping.yaml", "schema", 1),),
    ),
    Case(
        "duplicate-keys",
        ("evidence/duplicate-keys.yaml",),
        expect=(("evidence/duplicate-keys.yaml", "duplicate-key", 3),),
    ),
    Case(
        "python-object-tag",
        ("evidence/python-object-tag.yaml",),
        expect=(("evidence/python-object-tag.yaml", "yaml-syntax", 1),),
    ),
    Case(
        "python-name-tag",
        ("evidence/python-name-tag.yaml",),
        expect=(("evidence/python-name-tag.yaml", "yaml-syntax", 2),),
    ),
    Case(
        "custom-tag",
        ("evidence/custom-tag.yaml",),
        expect=(("evidence/custom-tag.yaml", "yaml-syntax", 2),),
    ),
    Case(
        "non-json-tags",
        ("evidence/set-tag.yaml", "evidence/binary-tag.yaml", "evidence/timestamp-tag.yaml"),
        expect=(
            ("evidence/set-tag.yaml", "yaml-syntax", 2),
            ("evidence/binary-tag.yaml", "yaml-syntax", 2),
            ("evidence/timestamp-tag.yaml", "yaml-syntax", 2),
        ),
    ),
    Case(
        "multi-document",
        ("evidence/multi-document.yaml",),
        expect=(("evidence/multi-document.yaml", "yaml-syntax", 8),),
    ),
    Case(
        "tab-indent",
        ("evidence/tab-indent.yaml",),
        expect=(("evidence/tab-indent.yaml", "yaml-syntax", 3),),
    ),
    Case(
        "alias-bomb",
        ("evidence/alias-bomb.yaml",),
        expect=(("evidence/alias-bomb.yaml", "yaml-alias", 1),),
    ),
    Case(
        "alias-self",
        ("evidence/alias-self.yaml",),
        expect=(("evidence/alias-self.yaml", "yaml-alias", 1),),
    ),
    Case(
        "control-chars",
        ("evidence/control-chars.yaml", "policies/control-chars.md"),
        expect=(
            ("evidence/control-chars.yaml", "schema", 1),
            ("evidence/control-chars.yaml", "schema", 2),
            ("policies/control-chars.md", "schema", 2),
            ("policies/control-chars.md", "schema", 3),
        ),
    ),
    Case(
        "rtl-override",
        ("evidence/rtl-override.yaml",),
        expect=(
            ("evidence/rtl-override.yaml", "schema", 1),
            ("evidence/rtl-override.yaml", "schema", 2),
        ),
    ),
    Case(
        "self-assessment-control-chars",
        ("standards/SP2.md",),
        expect=(("standards/SP2.md", "schema", 2), ("standards/SP2.md", "schema", 3)),
    ),
    Case(
        "assessment-path-as-standard",
        ("assessments/hostile.yaml",),
        expect=(
            ("assessments/hostile.yaml", "schema", None),
            ("assessments/hostile.yaml", "unknown-standard", 3),
        ),
    ),
    Case(
        "location-dotdot",
        ("evidence/location-dotdot.yaml",),
        expect=(("evidence/location-dotdot.yaml", "location", 6),),
    ),
    Case(
        "location-absolute",
        ("evidence/location-absolute.yaml",),
        expect=(("evidence/location-absolute.yaml", "location", 6),),
    ),
    Case(
        "location-drive-letter",
        ("evidence/location-drive-letter.yaml",),
        expect=(("evidence/location-drive-letter.yaml", "location", 6),),
    ),
    Case(
        "location-unc",
        ("evidence/location-unc.yaml",),
        expect=(("evidence/location-unc.yaml", "location", 6),),
    ),
    Case(
        "location-symlink-outside",
        ("evidence/location-symlink-outside.yaml",),
        build=_outside_folder,
        expect=(("evidence/location-symlink-outside.yaml", "location", 6),),
    ),
    Case(
        "location-symlink-loop",
        ("evidence/location-symlink-loop.yaml",),
        build=_link_loop,
        expect=(("evidence/location-symlink-loop.yaml", "location", 6),),
    ),
    Case(
        "duplicate-id",
        ("evidence/duplicate-id-1.yaml", "evidence/duplicate-id-2.yaml"),
        expect=(("evidence/duplicate-id-2.yaml", "duplicate-id", 1),),
    ),
    Case(
        "links-escaping-the-repo",
        ("policies/links-outside.md",),
        build=_outside_folder,
        expect=tuple(("policies/links-outside.md", "broken-link", line) for line in range(14, 20)),
    ),
    Case(
        "5000-character-lines",
        build=_long_line,
        expect=(
            ("evidence/long-title.yaml", "schema", 2),
            ("evidence/long-number.yaml", "yaml-syntax", 1),
            ("evidence/long-path.yaml", "location", 6),
            ("evidence/long-path.yaml", "schema", 7),
        ),
    ),
    Case(
        "folder-named-like-a-document",
        build=_folder_named_like_document,
        expect=(("policies/folder.md", "not-a-file", 1), ("evidence/folder.yaml", "not-a-file", 1)),
    ),
    Case(
        "symlinked-documents",
        build=_symlinked_documents,
        expect=(
            ("policies/link-outside.md", "symlink", 1),
            ("policies/link-loop.md", "symlink", 1),
            ("evidence/link-to-folder.yaml", "symlink", 1),
            ("standards/SP3.md", "symlink", 1),
        ),
    ),
    Case("symlinked-folder", build=_symlinked_folder, expect=(("assessments", "symlink", 1),)),
    Case(
        "odd-file-names",
        build=_odd_file_names,
        expect=(
            ("policies/line\\x0abreak.md", "file-name", 1),
            ("policies/\\u202eexe.md", "file-name", 1),
            ("policies/caf\\xe9.md", "file-name", 1),
        ),
        pass_argv=("policies/line\nbreak.md", os.fsdecode(b"policies/caf\xe9.md")),
    ),
]


# --- fixtures and helpers ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One repo made by `llcompliance init`, copied for each case (init once, not per case)."""
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text(
        "[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n"
    )
    repo = tmp_path_factory.mktemp("pristine") / "evidence"
    subprocess.run(
        [*CLI, "init", str(repo), "--service", "Eastmere Idva Service"],
        check=True,
        capture_output=True,
        env={**os.environ, **GIT_ENV, "HOME": str(home)},
    )
    return repo


def _prepare(cases: list[Case], pristine: Path, tmp_path: Path) -> tuple[Path, Path]:
    repo, outside = tmp_path / "evidence", tmp_path / "outside"
    shutil.copytree(pristine, repo, symlinks=True)
    outside.mkdir()
    built: set[Build] = set()
    for case in cases:
        for rel in case.files:
            target = repo / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(HOSTILE / rel, target)
        if case.build and case.build not in built:
            case.build(repo, outside)
            built.add(case.build)
    return repo, outside


def _limits() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@dataclass
class Run:
    """One CLI run in a subprocess."""

    args: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str
    seconds: float


def run_bounded(
    repo: Path, commands: tuple[tuple[str, ...], ...] = COMMANDS
) -> dict[tuple[str, ...], Run]:
    """Run each as `python -m llcompliance.cli`, two at a time, capped in memory and time."""
    runs: dict[tuple[str, ...], Run] = {}
    todo = list(commands)
    while todo:
        batch, todo = todo[:2], todo[2:]
        started = [
            (
                args,
                time.monotonic(),
                subprocess.Popen(
                    [*CLI, *args],
                    cwd=repo,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    preexec_fn=_limits,
                ),
            )
            for args in batch
        ]
        for args, start, proc in started:
            try:
                out, err = proc.communicate(timeout=TIME_LIMIT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
                pytest.fail(f"`llcompliance {' '.join(args)}` took more than {TIME_LIMIT} s")
            runs[args] = Run(
                args,
                proc.returncode,
                out.decode("utf-8", "replace"),
                err.decode("utf-8", "replace"),
                time.monotonic() - start,
            )
    return runs


def _check_run(
    args: tuple[str, ...], exit_code: int, stdout: str, stderr: str, validate_exit: int
) -> None:
    """Exit code from DESIGN §5, no traceback, no raw control characters, parseable JSON."""
    command = "llcompliance " + " ".join(args)
    assert exit_code >= 0, f"{command} was killed by signal {-exit_code}"
    expected = validate_exit if args[0] == "validate" else 0
    assert exit_code == expected, f"{command} exited {exit_code}:\n{stdout[-2000:]}{stderr[-2000:]}"
    assert "Traceback" not in stderr and "unexpected error" not in stderr, (
        f"{command}:\n{stderr[-3000:]}"
    )
    if args[0] == "validate":
        assert stdout.strip(), f"{command} printed nothing"
    for line in (stdout + stderr).splitlines():
        assert not _RAW_CONTROL.search(line), f"{command} printed a raw control character: {line!r}"
    if "json" in args:
        json.loads(stdout)


def _check_findings(findings: list[dict[str, object]], cases: list[Case]) -> None:
    for finding in findings:
        assert set(finding) >= {"path", "line", "rule", "severity", "message"}
        assert isinstance(finding["line"], int) and finding["line"] >= 1, finding
        assert finding["message"], finding
    seen = {(f["path"], f["rule"], f["line"]) for f in findings}
    for case in cases:
        for path, rule, line in case.expect:
            if line is None:
                assert any(f["path"] == path and f["rule"] == rule for f in findings), (
                    path,
                    rule,
                    findings,
                )
            else:
                assert (path, rule, line) in seen, (path, rule, line, sorted(seen, key=str))
        for path in case.clean:
            assert not [f for f in findings if f["path"] == path], (path, findings)


def _check_explain(explained: dict[str, object], cases: list[Case]) -> None:
    states = {e["path"]: e["state"] for e in explained["evidence"]}  # type: ignore[union-attr,index]
    for case in cases:
        for path in case.clean:
            assert states.get(path) == "ok", (path, states)


# --- small cases: in-process, one fresh repo each ---------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=str)
def test_hostile_case(case: Case, pristine: Path, tmp_path: Path) -> None:
    """The case gives its finding (file, line, rule) and a §5 exit code, and changes no file."""
    repo, outside = _prepare([case], pristine, tmp_path)
    before = snapshot(repo, outside)
    results = {args: run_cli(*args, cwd=repo) for args in COMMANDS}
    for args, result in results.items():
        _check_run(args, result.exit_code, result.stdout, result.stderr, case.validate_exit)
    _check_findings(
        json.loads(results[("validate", "--format", "json")].stdout)["findings"], [case]
    )
    _check_explain(json.loads(results[("explain", "SP1", "--format", "json")].stdout), [case])
    for raw in case.pass_argv:  # what pre-commit does: name the file; it must not slip through
        named = run_cli("validate", "--format", "json", raw, cwd=repo)
        assert named.exit_code == 1 and json.loads(named.stdout)["findings"], raw
    assert snapshot(repo, outside) == before


def test_every_corpus_file_is_used() -> None:
    """Each file under tests/data/hostile/ belongs to a case, so the corpus and the table agree."""
    corpus = {
        p.relative_to(HOSTILE).as_posix()
        for p in HOSTILE.rglob("*")
        if p.is_file() and p.name not in ("README.md", ".gitattributes")
    }
    assert corpus == {rel for case in CASES for rel in case.files}


# --- large and dangerous cases: subprocesses with limits ------------------------------------------


def _huge_files(repo: Path, outside: Path) -> None:
    """50 MB documents: only the first 2 MB may ever be read."""
    chunk = ("Policy text that goes on and on. " * 32 + "\n").encode()
    for rel, head in (
        ("policies/huge.md", b"---\nid: POL-huge\n---\n"),
        ("evidence/huge.yaml", b"notes: |\n"),
    ):
        with open(repo / rel, "wb") as handle:
            handle.write(head)
            while handle.tell() < 50 * MB:
                handle.write(b"  " + chunk if rel.endswith(".yaml") else chunk)


def _deep_nesting(repo: Path, outside: Path) -> None:
    """Nesting 10,000 deep in each YAML form, and 100,000 deep (crashed libyaml's composer)."""
    n = 10_000
    write(repo, "evidence/deep-flow-list.yaml", "id: " + "[" * n + "]" * n + "\n")
    write(repo, "evidence/deep-flow-map.yaml", "id: " + "{a: " * n + "1" + "}" * n + "\n")
    write(repo, "evidence/deep-block-list.yaml", "id:\n" + "- " * n + "x\n")
    write(repo, "evidence/deep-100000.yaml", "id: " + "[" * 100_000 + "]" * 100_000 + "\n")
    write(
        repo,
        "policies/deep-front-matter.md",
        "---\nid: POL-deep\ntitle: " + "[" * n + "]" * n + "\n---\nText\n",
    )


def _pipes(repo: Path, outside: Path) -> None:
    """A named pipe as a document and as a location: opening one to read would block for ever."""
    os.mkfifo(repo / "policies/pipe.md")
    os.mkfifo(repo / "evidence/files/pipe.pdf")
    write(
        repo,
        "evidence/pipe-location.yaml",
        EVIDENCE.format(id="EV-pipe", title="A pipe", loc="path: evidence/files/pipe.pdf"),
    )


DEEP_FOLDER = "policies" + "/a" * 1200 + "/junk.md"


def _deep_folders(repo: Path, outside: Path) -> None:
    """Folders nested 1,200 deep (os.walk recursion broke on them) holding a binary file."""
    here = os.open(repo / "policies", os.O_RDONLY)
    try:
        for _ in range(1200):
            os.mkdir("a", dir_fd=here)
            down = os.open("a", os.O_RDONLY, dir_fd=here)
            os.close(here)
            here = down
        fd = os.open("junk.md", os.O_WRONLY | os.O_CREAT, dir_fd=here)
        os.write(fd, b"\0\1\2")
        os.close(fd)
    finally:
        os.close(here)


def _remove_deep_folders(repo: Path) -> None:
    """Remove the 1,200-deep folders bottom up: shutil.rmtree recurses and would fail on them."""
    chain, here = [], repo / "policies/a"
    while here.is_dir() and not here.is_symlink():
        chain.append(here)
        here = here / "a"
    for folder in reversed(chain):
        for leftover in folder.iterdir():
            if not leftover.is_dir():
                leftover.unlink()
        folder.rmdir()


@pytest.fixture
def deep_cleanup(tmp_path: Path) -> Iterator[None]:
    yield
    _remove_deep_folders(tmp_path / "evidence")


BIG_CASES = [
    Case(
        "50-mb-files",
        build=_huge_files,
        expect=(("policies/huge.md", "too-large", 1), ("evidence/huge.yaml", "too-large", 1)),
    ),
    Case(
        "nesting-10000-and-100000-deep",
        build=_deep_nesting,
        expect=(
            ("evidence/deep-flow-list.yaml", "too-deep", 1),
            ("evidence/deep-flow-map.yaml", "too-deep", 1),
            ("evidence/deep-block-list.yaml", "too-deep", 2),
            ("evidence/deep-100000.yaml", "too-deep", 1),
            ("policies/deep-front-matter.md", "too-deep", 3),
        ),
    ),
    Case(
        "named-pipes",
        build=_pipes,
        expect=(
            ("policies/pipe.md", "not-a-file", 1),
            ("evidence/pipe-location.yaml", "location", 6),
        ),
    ),
    Case("folders-1200-deep", build=_deep_folders, expect=((DEEP_FOLDER, "encoding", 1),)),
]


def _check_bounded(
    runs: dict[tuple[str, ...], Run], cases: list[Case], validate_exit: int = 1
) -> None:
    for run in runs.values():
        _check_run(run.args, run.exit_code, run.stdout, run.stderr, validate_exit)
    _check_findings(json.loads(runs[("validate", "--format", "json")].stdout)["findings"], cases)
    _check_explain(json.loads(runs[("explain", "SP1", "--format", "json")].stdout), cases)


@pytest.mark.parametrize("case", BIG_CASES, ids=str)
def test_large_or_dangerous_case(
    case: Case, pristine: Path, tmp_path: Path, deep_cleanup: None
) -> None:
    """Bounded in memory (1 GB) and time, no traceback or crash, a finding, nothing changed."""
    repo, outside = _prepare([case], pristine, tmp_path)
    before = snapshot(repo, outside)
    _check_bounded(run_bounded(repo), [case])
    assert snapshot(repo, outside) == before


def test_whole_corpus_committed(pristine: Path, tmp_path: Path, deep_cleanup: None) -> None:
    """Everything at once, committed: --fail-on regression reads HEAD from git objects."""
    # git keeps neither pipes nor empty folders; a symlinked assessments/ would hide the other cases
    cases = [
        c for c in CASES + BIG_CASES if c.build not in (_pipes, _deep_folders, _symlinked_folder)
    ]
    repo, outside = _prepare(cases, pristine, tmp_path)
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", "hostile corpus")
    _pipes(repo, outside)  # and, uncommitted, the cases git cannot hold
    _deep_folders(repo, outside)
    before = snapshot(repo, outside)
    runs = run_bounded(repo, (*COMMANDS, ("coverage", "--fail-on", "regression")))
    _check_bounded(runs, [*cases, *BIG_CASES[2:]])
    assert snapshot(repo, outside) == before


@pytest.mark.parametrize(
    "config",
    [
        pytest.param(
            b"service: &a ["
            + b",".join([b"x"] * 9)
            + b"]\n"
            + b"".join(
                b"k%d: &a%d [%s]\n"
                % (i, i, b",".join([b"*a" if i == 0 else b"*a%d" % (i - 1)] * 9))
                for i in range(9)
            ),
            id="alias-bomb",
        ),
        pytest.param(
            b"service: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", id="nesting-100000-deep"
        ),
        pytest.param(bytes(range(256)), id="binary-junk"),
        pytest.param("service: X\n".encode("utf-16"), id="utf16"),
        pytest.param(b"", id="empty"),
        pytest.param(
            b"service: !!python/object/apply:os.system ['echo pwned > pwned.txt']\n",
            id="python-tag",
        ),
    ],
)
def test_hostile_config_is_exit_2(config: bytes, pristine: Path, tmp_path: Path) -> None:
    """A broken llcompliance.yaml is a configuration error (exit 2) naming the file."""
    repo, outside = _prepare([], pristine, tmp_path)
    (repo / "llcompliance.yaml").write_bytes(config)
    before = snapshot(repo)
    for run in run_bounded(
        repo, (("validate",), ("coverage", "--format", "json"), ("explain", "SP1"))
    ).values():
        assert run.exit_code == 2, (run.args, run.exit_code, run.stderr)
        assert "Traceback" not in run.stderr and "llcompliance.yaml" in run.stderr, run.stderr
        assert len(run.stderr.splitlines()) <= 3 and not _RAW_CONTROL.search(run.stderr), run.stderr
    assert snapshot(repo) == before


@pytest.mark.slow
def test_ten_thousand_evidence_files(pristine: Path, tmp_path: Path) -> None:
    """10,000 evidence records: all read, all counted, in bounded time and memory."""
    repo, outside = _prepare([], pristine, tmp_path)
    for i in range(10_000):
        (repo / f"evidence/item-{i:05d}.yaml").write_text(
            EVIDENCE.format(
                id=f"EV-{i:05d}", title=f"Item {i}", loc=f"reference: Case system > Audits > {i}"
            ).replace("[SP1]", f"[SP{i % 9 + 1}]")
        )
    before = snapshot(repo, outside)
    runs = run_bounded(
        repo,
        (("validate",), ("coverage", "--format", "json"), ("explain", "SP1", "--format", "json")),
    )
    for run in runs.values():
        _check_run(run.args, run.exit_code, run.stdout, run.stderr, validate_exit=0)
    assert "10023 documents checked: all valid." in runs[("validate",)].stdout
    explained = json.loads(runs[("explain", "SP1", "--format", "json")].stdout)
    assert len(explained["evidence"]) == 1112  # i % 9 == 0 for i < 10,000
    assert snapshot(repo, outside) == before


# --- init and new never overwrite, and refuse hostile names ----------------------------------


def test_init_target_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.write_text("keep me\n")
    result = run_cli("init", str(target), "--service", "X")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert target.read_text() == "keep me\n"


@pytest.mark.parametrize("service", ["Eastmere\x1b[2J", "Eastmere\nIdva", "Eastmere\x00"])
def test_init_refuses_control_characters(tmp_path: Path, service: str) -> None:
    result = run_cli("init", str(tmp_path / "new"), "--service", service)
    assert result.exit_code == 2 and "--service" in result.stderr
    assert not (tmp_path / "new").exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no staging folder left behind


@pytest.mark.parametrize(
    "extra",
    [("--service", "Eastmere \u202eecivres"), ("--organisation", "Eastmere Trust\x1b[2J")],
    ids=["service-bidi-override", "organisation-escape"],
)
def test_init_refuses_values_the_config_schema_rejects(
    tmp_path: Path, extra: tuple[str, str]
) -> None:
    """Otherwise init succeeds and every later command fails with exit 2 on llcompliance.yaml."""
    args = {"--service": "Eastmere Idva Service", extra[0]: extra[1]}
    result = run_cli("init", str(tmp_path / "new"), *[x for kv in args.items() for x in kv])
    assert result.exit_code == 2
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("dangling", [False, True], ids=["link-to-empty-folder", "dangling-link"])
def test_init_target_is_a_symlink(tmp_path: Path, dangling: bool) -> None:
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / ("nowhere" if dangling else "real"), tmp_path / "link")
    before = snapshot(tmp_path)
    result = run_cli("init", str(tmp_path / "link"), "--service", "X")
    assert result.exit_code == 2, result.output
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "standard", ["../../etc/passwd", "SP1/../SP2", "SP1\\..\\SP2", "/SP1", "SP1\x1b[2J"]
)
def test_new_refuses_standard_ids_with_path_separators(evidence_repo: Path, standard: str) -> None:
    before = snapshot(evidence_repo)
    result = run_cli(
        "new", "policy", "--title", "Lone working", "--standard", standard, cwd=evidence_repo
    )
    assert result.exit_code == 2 and "unknown standard" in result.stderr
    assert snapshot(evidence_repo) == before


@pytest.mark.parametrize("title", ["Lone\x1b[2Jworking", "Lone\nworking", "Lone\x00working"])
def test_new_refuses_control_characters_in_title(evidence_repo: Path, title: str) -> None:
    before = snapshot(evidence_repo)
    result = run_cli("new", "policy", "--title", title, "--standard", "HR2", cwd=evidence_repo)
    assert result.exit_code == 2 and "--title" in result.stderr
    assert snapshot(evidence_repo) == before


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(("--title", "Invoice \u202egnp.exe"), id="title-bidi-override"),
        pytest.param(("--title", "x" * 5000), id="title-5000-characters"),
        pytest.param(("--owner", "Manager\x1b[2J"), id="owner-escape"),
        pytest.param(("--reference", "Case system \u202e> Audits"), id="reference-bidi"),
    ],
)
def test_new_refuses_values_the_schema_rejects(evidence_repo: Path, extra: tuple[str, str]) -> None:
    """Otherwise `new` writes a file that `validate` then rejects."""
    before = snapshot(evidence_repo)
    args = {"--title": "Case-file audit", "--reference": "Case system > Audits", extra[0]: extra[1]}
    flat = [x for kv in args.items() for x in kv]
    result = run_cli("new", "evidence", *flat, "--standard", "SP1", cwd=evidence_repo)
    assert result.exit_code == 2
    assert snapshot(evidence_repo) == before


def test_new_never_writes_through_a_symlink(evidence_repo: Path, tmp_path: Path) -> None:
    """A link where the new file would go (dangling or not) is left alone, and so is its target."""
    outside = tmp_path / "outside.md"
    outside.write_text("keep me\n")
    os.symlink(outside, evidence_repo / "policies/lone-working.md")
    os.symlink(tmp_path / "nowhere.md", evidence_repo / "policies/lone-working-2.md")
    before = snapshot(tmp_path)  # the repo and the link targets
    result = run_cli(
        "new", "policy", "--title", "Lone working", "--standard", "HR2", cwd=evidence_repo
    )
    assert result.exit_code == 2 and "nothing was overwritten" in result.stderr
    assert not (tmp_path / "nowhere.md").exists()
    after = snapshot(tmp_path)
    assert {k: v for k, v in after.items() if k in before} == before
    added = [k for k in after if k not in before]
    assert all(k.startswith(os.fsencode(evidence_repo / "policies")) for k in added), added


def test_new_refuses_a_symlinked_folder(evidence_repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (evidence_repo / "policies").rename(outside)
    os.symlink(outside, evidence_repo / "policies")
    result = run_cli(
        "new", "policy", "--title", "Lone working", "--standard", "HR2", cwd=evidence_repo
    )
    assert result.exit_code == 2
    assert sorted(p.name for p in outside.iterdir()) == ["README.md"]


def test_explain_hostile_id_is_exit_2(evidence_repo: Path) -> None:
    for standard in ("../../etc/passwd", "SP1/../SP2", "", "x" * 5000):
        result = run_cli("explain", standard, cwd=evidence_repo)
        assert result.exit_code == 2 and "Traceback" not in result.output, standard


def test_explain_does_not_echo_control_characters(evidence_repo: Path) -> None:
    result = run_cli("explain", "SP1\x1b]0;owned\x07", cwd=evidence_repo)
    assert result.exit_code == 2 and not _RAW_CONTROL.search(result.stderr)


def test_too_long_value_is_not_quoted_in_full(evidence_repo: Path) -> None:
    write(
        evidence_repo,
        "evidence/long.yaml",
        EVIDENCE.format(id="EV-long", title="x" * 5000, loc="reference: x"),
    )
    result = run_cli("validate", cwd=evidence_repo)
    assert max(len(line) for line in result.stdout.splitlines()) < 400


def test_new_does_not_echo_control_characters(evidence_repo: Path) -> None:
    result = run_cli(
        "new", "policy", "--title", "X", "--standard", "SP1\x1b]0;owned\x07", cwd=evidence_repo
    )
    assert result.exit_code == 2 and not _RAW_CONTROL.search(result.stderr)


def test_duplicate_ids_count_for_neither(evidence_repo: Path) -> None:
    """Two documents with one id are flagged by validate and count as evidence for neither."""
    policy = (
        "---\nid: POL-dup\ntitle: Lone working\nowner: Service Manager\nstandards: [HR2]\n"
        "review_due: 2030-01-01\n---\n# Lone working\n"
    )
    write(evidence_repo, "policies/a.md", policy)
    write(evidence_repo, "policies/b.md", policy)
    result = run_cli("coverage", "--format", "json", cwd=evidence_repo)
    hr2 = next(s for s in json.loads(result.stdout)["standards"] if s["id"] == "HR2")
    assert {e["state"] for e in hr2["evidence"]} == {"invalid"}


def test_location_into_git_folder_is_refused(evidence_repo: Path) -> None:
    write(
        evidence_repo,
        "evidence/g.yaml",
        EVIDENCE.format(id="EV-git", title="Git", loc="path: .git/config"),
    )
    result = run_cli("validate", cwd=evidence_repo)
    assert result.exit_code == 1 and "git's own folder" in result.stdout
