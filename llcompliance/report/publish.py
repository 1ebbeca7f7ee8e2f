"""Write a report folder at once: readiness.json, signature, rendered files, in-toto statement."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llcompliance.adapters import canonical
from llcompliance.adapters.fsutil import write_atomic
from llcompliance.errors import UsageError
from llcompliance.report.build import INTOTO_NAME, JSON_NAME, PREDICATE_TYPE, REPORT_FILES, SIG_NAME


def intoto_statement(subjects: dict[str, bytes], data: dict[str, Any]) -> dict[str, Any]:
    """An in-toto Statement over the report files and the commit, for keyless attestations."""
    return {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [
            {"name": name, "digest": {"sha256": canonical.sha256_hex(content)}}
            for name, content in sorted(subjects.items())
        ]
        + [
            {
                "name": "repo",
                "digest": {
                    "gitCommit": data["source"]["commit"],
                    "gitTree": data["source"]["tree"],
                },
            }
        ],
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "service": data["service"],
            "framework": data["framework"],
            "as_of": data["as_of"],
            "summary": data["summary"],
            "tool": data["tool"],
        },
    }


@dataclass(frozen=True)
class Written:
    """Where the report went and what it says."""

    out: Path
    files: tuple[str, ...]
    signed: bool
    summary: dict[str, int]


def publish(
    out: Path,
    json_bytes: bytes,
    rendered: dict[str, bytes],
    data: dict[str, Any],
    signer: Any | None = None,
) -> Written:
    """Write readiness.json, the `rendered` files (render.folder.report_files) and an in-toto
    statement over them into `out` atomically, signing readiness.json when given a key."""
    outputs: dict[str, bytes] = {JSON_NAME: json_bytes, **rendered}
    outputs[INTOTO_NAME] = canonical.dumps(intoto_statement(dict(outputs), data))
    if signer is not None:
        from llcompliance.report import signing  # lazy: cryptography loads only to sign

        outputs[SIG_NAME] = signing.sign(json_bytes, signer).encode("ascii")
    _publish(out, outputs)
    return Written(out, tuple(outputs), signer is not None, data["summary"])


def _publish(out: Path, outputs: dict[str, bytes]) -> None:
    """Put the report files in `out` all at once: a reader (or an interruption) never sees a new
    readiness.json beside an old signature. A folder holding only report files is swapped whole;
    a folder with other files in it gets each file replaced atomically, the signature last."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise UsageError(f"--out {out} is not a folder: choose a folder for the report")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot make its folder ({exc.strerror or exc})") from None
    existing = {p.name for p in out.iterdir()} if out.is_dir() else set()
    if existing <= REPORT_FILES:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        try:
            for name, content in outputs.items():
                write_atomic(staging / name, content)
            if out.exists():
                trash = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
                out.rename(trash / "report")
                staging.rename(out)
                shutil.rmtree(trash, ignore_errors=True)
            else:
                staging.rename(out)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        return
    stale_sig = out / SIG_NAME
    if stale_sig.exists():
        stale_sig.unlink()  # never leave an old signature beside a half-replaced report
    for name, content in sorted(outputs.items(), key=lambda kv: kv[0] == SIG_NAME):
        write_atomic(out / name, content)
