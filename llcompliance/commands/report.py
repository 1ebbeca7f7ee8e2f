"""`llcompliance report --out DIR`: the readiness report of a commit, signed when a key is given."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from llcompliance.commands import EXIT_OK, day, repo_root
from llcompliance.errors import UsageError
from llcompliance.render.console import Console
from llcompliance.render.folder import report_files
from llcompliance.report import build as report_mod
from llcompliance.report import signing
from llcompliance.report.publish import publish

KEY_ENV = "LLCOMPLIANCE_SIGNING_KEY"  # the key's text, as CI holds it in a secret


def signing_key(key_file: Path | None) -> Any:
    """The private key from --key, or from LLCOMPLIANCE_SIGNING_KEY; None to write unsigned."""
    passphrase = os.environ.get(signing.PASSPHRASE_ENV)
    secret = passphrase.encode() if passphrase else None
    if key_file is not None:
        return signing.read_private_key(key_file, secret)
    text = os.environ.get(KEY_ENV, "").strip()
    if not text:
        return None
    try:
        return signing.load_private_key(text.encode() + b"\n", secret)
    except UsageError as exc:
        raise UsageError(f"{KEY_ENV}: {exc}") from None


def run(
    console: Console,
    repo: Path | None,
    out: Path,
    *,
    key_file: Path | None,
    as_of: dt.date | None,
    commit: str,
    framework: str | None,
    link_base: str | None,
    fmt: str,
) -> int:
    root = repo_root(repo)
    built = report_mod.build(root, day(as_of), commit=commit, framework=framework)
    signer = signing_key(key_file)
    base = link_base
    if base is None:
        base = report_mod.link_base(
            out,
            root,
            built.data["source"]["commit"],
            os.environ.get("GITHUB_SERVER_URL"),
            os.environ.get("GITHUB_REPOSITORY"),
        )
    built = report_mod.with_links(built, base)  # signed, so verify can render the same files
    rendered = report_files(built.data, base)
    written = publish(out, built.json_bytes, rendered, built.data, signer)
    for warning in built.warnings:
        console.warn(warning)
    if not written.signed:
        console.warn(
            f"the report is not signed (no --key or {KEY_ENV}): an assessor "
            "cannot check it is genuine"
        )
    summary = written.summary
    if fmt == "json":
        files = list(written.files)
        console.json(
            {"out": str(out), "files": files, "signed": written.signed, "summary": summary}
        )
        return EXIT_OK
    console.out(
        f"{summary['ready']} of {summary['total']} standards ready. Report written to {out}/:"
    )
    for name in written.files:
        console.out(f"  {name}")
    console.out(f"Open {out / report_mod.HTML_NAME} in a browser to read it.")
    return EXIT_OK
