"""Who signed a report, by the repo's own allowed_signers, and where the PR body links to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from llcompliance.adapters.fsutil import read_capped
from llcompliance.errors import SignatureError, UsageError
from llcompliance.report import build as report
from llcompliance.report import model, signing

REPORT_BRANCH = "readiness/report"  # the template's workflow opens the assessor's PR from it
ALLOWED_SIGNERS = ".llcompliance/allowed_signers"  # the repo's own list: a hint, never a proof


@dataclass(frozen=True)
class SignerCheck:
    """Who signed the report by the repo's own allowed_signers, or why that could not be told."""

    verified: signing.Verified | None
    problem: str | None  # None when verified, or when there is nothing to check


def check_signer(report_dir: Path, root: Path) -> SignerCheck:
    """The signer by the repo's own allowed_signers: a hint for the PR, never fatal, not a proof."""
    sig = report_dir / report.SIG_NAME
    signers_file = root / ALLOWED_SIGNERS
    if not sig.is_file():
        return SignerCheck(None, None)
    if not signers_file.is_file():
        return SignerCheck(None, f"{ALLOWED_SIGNERS} does not exist")
    try:
        raw = read_capped(signers_file, signing.MAX_ALLOWED_SIGNERS_BYTES, what="allowed_signers")
        text = raw.decode("utf-8")
        # Named repo-relative, so the line a reader is sent to is the one in their own clone.
        signers = signing.parse_allowed_signers(text, source=ALLOWED_SIGNERS)
        verified = signing.verify_signature(
            read_capped(report_dir / report.JSON_NAME, model.MAX_BYTES, what="readiness.json"),
            read_capped(sig, signing.MAX_SIGNATURE_BYTES, what="a signature").decode(
                "utf-8", errors="replace"
            ),
            signers,
        )
    except UnicodeDecodeError:
        return SignerCheck(None, f"{ALLOWED_SIGNERS} is not UTF-8 text")
    except OSError as exc:
        return SignerCheck(None, f"cannot read it ({exc.strerror or exc})")
    except (UsageError, SignatureError) as exc:
        return SignerCheck(None, str(exc))
    return SignerCheck(verified, None)


def default_links(
    report_dir: Path, root: Path, commit: str, server: str | None, repository: str | None
) -> tuple[str, str | None, str | None]:
    """(base_url, full_report_url, report_path) for pr-body: GitHub URLs in Actions, else relative.

    In Actions, files link to the report's commit and the full report to the report branch (the
    report folder is only on that branch); elsewhere, links are relative to the report folder.
    """
    base_url = report.link_base(report_dir, root, commit, server, repository)
    try:
        path: str | None = report_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        path = None
    full = None
    if server and repository and path:
        full = (
            f"{server.rstrip('/')}/{repository}/blob/{REPORT_BRANCH}/{quote(path)}/{report.MD_NAME}"
        )
    return base_url, full, path
