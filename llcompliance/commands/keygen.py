"""`llcompliance keygen --out DIR --principal NAME`: an Ed25519 signing key pair and its line."""

from __future__ import annotations

from pathlib import Path

from llcompliance.commands import EXIT_OK
from llcompliance.render.console import Console
from llcompliance.report import signing


def run(console: Console, out: Path, principal: str, fmt: str) -> int:
    keys = signing.generate_keypair(out, principal)
    line = keys.allowed_signers.read_text(encoding="utf-8").rstrip("\n")
    if fmt == "json":
        console.json(
            {
                "private": str(keys.private),
                "public": str(keys.public),
                "allowed_signers": str(keys.allowed_signers),
                "allowed_signers_line": line,
                "fingerprint": keys.fingerprint,
            },
            indent=None,
        )
        return EXIT_OK
    console.out(
        f"Private key: {keys.private} (keep it secret: store it as the repo secret "
        "LLCOMPLIANCE_SIGNING_KEY, then delete this copy or keep it offline)"
    )
    console.out(f"Public key:  {keys.public}")
    console.out(f"Fingerprint: {keys.fingerprint} (tell your assessor this by phone or e-mail)")
    console.out("Add this line to .llcompliance/allowed_signers in your evidence repo:")
    console.out(line)
    return EXIT_OK
