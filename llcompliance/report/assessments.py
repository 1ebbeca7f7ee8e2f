"""Whose word an assessor's outcome is: signed by an assessor the service trusts, or unsigned.

An outcome file in `assessments/` is written into the service's own repo, so by itself it is only
what the service recorded. It counts as the assessor's word when `<file>.sig` is an SSH signature
(namespace `assessment@llcompliance`) by a key listed in `.llcompliance/assessors`, the assessors'
allowed_signers lines the service has checked with them out of band.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from llcompliance.errors import SignatureError, UsageError
from llcompliance.report import signing

NAMESPACE = "assessment@llcompliance"
TRUSTED_ASSESSORS = ".llcompliance/assessors"
SIG_SUFFIX = ".sig"


def signer(read: Callable[[str], bytes | None], path: str) -> dict[str, str] | None:
    """`{principal, fingerprint}` when `path` carries a valid signature by a trusted assessor,
    else None (no signature, no trusted assessors, or a signature that does not verify)."""
    message, signature, trusted = read(path), read(path + SIG_SUFFIX), read(TRUSTED_ASSESSORS)
    if message is None or signature is None or trusted is None:
        return None
    if len(signature) > signing.MAX_SIGNATURE_BYTES:
        return None
    try:
        signers = signing.parse_allowed_signers(trusted.decode("utf-8"), source=TRUSTED_ASSESSORS)
        verified = signing.verify_signature(
            message, signature.decode("utf-8", errors="replace"), signers, namespace=NAMESPACE
        )
    except (UnicodeDecodeError, UsageError, SignatureError):
        return None
    return {"principal": verified.principal, "fingerprint": verified.fingerprint}


def mark_signers(standards: list[dict[str, Any]], read: Callable[[str], bytes | None]) -> None:
    """Add `signed_by` (or None) to each standard's recorded outcome, in place."""
    cache: dict[str, dict[str, str] | None] = {}
    for standard in standards:
        outcome = standard.get("assessment")
        if not outcome or not outcome.get("path"):
            continue
        path = outcome["path"]
        if path not in cache:
            cache[path] = signer(read, path)
        outcome["signed_by"] = cache[path]
