"""Generate a synthetic evidence repo (N documents, M commits) quickly through `git fast-import`."""

from __future__ import annotations

import argparse
import random
import subprocess
from pathlib import Path

STANDARDS = (
    [f"SP{i}" for i in range(1, 10)]
    + [f"MA{i}" for i in range(1, 5)]
    + [f"HR{i}" for i in range(1, 4)]
    + [f"GV{i}" for i in range(1, 8)]
)
WORDS = [
    "risk",
    "safety",
    "client",
    "support",
    "referral",
    "agency",
    "partner",
    "review",
    "board",
    "staff",
    "training",
    "record",
    "consent",
    "policy",
    "procedure",
    "manager",
    "team",
    "plan",
    "outcome",
    "audit",
    "quality",
    "service",
    "access",
    "equality",
    "feedback",
    "safeguarding",
    "children",
    "marac",
    "idva",
    "outreach",
    "caseload",
    "supervision",
    "information",
    "sharing",
]
CONFIG = """format: 2
service: Benchmark Domestic Abuse Service
organisation: Benchmark Trust
catalogues: [leading-lights]
review:
  due_soon_days: 30
scan:
  allow_paths: []
  allow:
    phones: ["01632 960418"]
    email_domains: ["bench.example.org"]
"""


def _prose(rng: random.Random, size: int, headings: bool = True) -> str:
    out: list[str] = []
    length = 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "."
        if headings and out and rng.random() < 0.1:
            sentence = f"\n## {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}\n"
        if rng.random() < 0.05:
            sentence += f" Reviewed on {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2026 (v{rng.randint(1, 9)}.{rng.randint(0, 20)})."
        out.append(sentence)
        length += len(sentence) + 1
    return " ".join(out)


def _refs(rng: random.Random) -> str:
    chosen = rng.sample(STANDARDS, rng.randint(1, 3))
    return "".join(f"  - id: {s}\n    how: {_prose(rng, 60, False)}\n" for s in chosen)


def policy(rng: random.Random, n: int, version: int) -> str:
    return (
        f"---\nid: POL-bench-{n}\ntitle: Benchmark policy {n}\nowner: Service Manager\nstandards:\n{_refs(rng)}"
        f"review_due: 2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\napproved:\n  date: 2026-03-01\n  by: Board of trustees\n"
        f'version: "{version}.0"\n---\n# Benchmark policy {n}\n\n{_prose(rng, 2900)}\n'
        f"\nSee [policy {max(n - 1, 0)}](bench-{max(n - 1, 0)}.md).\n"
    )


def evidence(rng: random.Random, n: int, version: int) -> str:
    return (
        f"id: EV-bench-{n}\ntitle: Benchmark evidence {n}\nowner: Idva Team Leader\nstandards:\n{_refs(rng)}"
        f"review_due: 2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\nkind: record\ndate: 2026-0{rng.randint(1, 9)}-01\n"
        f'location:\n  reference: "Case system > Reports > Bench {n} v{version}"\n'
        f"description: >-\n  {_prose(rng, 1500, False)}\n"
    )


def edit(rng: random.Random, text: str, number: int) -> str:
    """A realistic edit: a new review date and version, and one sentence rewritten."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith("review_due:"):
            lines[i] = f"review_due: 2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        elif line.startswith("version:"):
            lines[i] = f'version: "{number}.0"'
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    sentences = lines[longest].split(". ")
    if len(sentences) > 1:  # never the first: it carries the line's indent and key
        sentences[rng.randrange(1, len(sentences))] = _prose(rng, 80, False).rstrip(".")
    lines[longest] = ". ".join(sentences)
    return "\n".join(lines)


def self_assessment(rng: random.Random, standard: str) -> str:
    return (
        f"---\nstandard: {standard}\nstatus: {rng.choice(['met', 'met', 'in-progress'])}\nowner: Service Manager\n"
        f"---\n# {standard}\n\n## How we meet it\n\n{_prose(rng, 800, False)}\n"
    )


def generate(target: Path, documents: int, commits: int, seed: int = 7) -> Path:
    """Write the repo at `target` (replaced if present) and return it."""
    rng = random.Random(seed)
    policies = documents * 4 // 5
    records = documents - policies
    target.mkdir(parents=True, exist_ok=False)
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True)
    files: dict[str, str] = {"llcompliance.yaml": CONFIG}
    files.update({f"standards/{s}.md": self_assessment(rng, s) for s in STANDARDS})
    files.update({f"policies/bench-{i}.md": policy(rng, i, 1) for i in range(policies)})
    files.update({f"evidence/bench-{i}.yaml": evidence(rng, i, 1) for i in range(records)})
    stream: list[bytes] = []
    when = 1_767_225_600  # 2026-01-01

    def commit(changes: dict[str, str], number: int) -> None:
        message = f"Change {number}".encode()
        stream.append(b"commit refs/heads/main\n")
        stream.append(
            f"committer Bench <bench@bench.example.org> {when + number * 3600} +0000\n".encode()
        )
        stream.append(b"data %d\n%s\n" % (len(message), message))
        for path, text in changes.items():
            data = text.encode()
            stream.append(f"M 100644 inline {path}\n".encode())
            stream.append(b"data %d\n%s\n" % (len(data), data))

    commit(files, 0)
    names = sorted(p for p in files if p.startswith(("policies/", "evidence/")))
    for number in range(1, commits):
        changed = {}
        for path in rng.sample(names, min(3, len(names))):
            files[path] = edit(rng, files[path], number)
            changed[path] = files[path]
        commit(changed, number)
    subprocess.run(
        ["git", "-C", str(target), "fast-import", "--quiet"], input=b"".join(stream), check=True
    )
    subprocess.run(["git", "-C", str(target), "reset", "-q", "--hard", "main"], check=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("--documents", type=int, default=250)
    parser.add_argument("--commits", type=int, default=3000)
    args = parser.parse_args()
    generate(args.target, args.documents, args.commits)
    print(f"wrote {args.target}: {args.documents} documents, {args.commits} commits")


if __name__ == "__main__":
    main()
