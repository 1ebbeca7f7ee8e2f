"""How an assessor checks a report: the commands every report format shows, in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Placeholders the reader fills in: a report does not know the folder it is copied to, nor which
# principal signed it (the signature names a key, not a person).
REPORT_FOLDER = "REPORT_FOLDER"
PRINCIPAL = "PRINCIPAL"
# A file of the assessor's own, never the pull request's .llcompliance/allowed_signers: whoever can
# change the pull request can change that file too.
TRUSTED_SIGNERS = "~/trusted/allowed_signers"


def usual_folder(report: Mapping[str, Any]) -> str:
    """Where the readiness workflow puts this report on the assessor's branch."""
    return f"reports/{report['as_of']}-{report['source']['commit'][:7]}"


def toolkit_command() -> str:
    """`llcompliance verify` with a trusted key file, a pinned signer and a rebuild."""
    return (
        f"llcompliance verify {REPORT_FOLDER} --allowed-signers {TRUSTED_SIGNERS} \\\n"
        f"  --principal {PRINCIPAL} --rebuild"
    )


def openssh_command() -> str:
    """The same signature check with OpenSSH alone, run inside the report folder."""
    from llcompliance.report.signing import (
        NAMESPACE,  # lazy: cryptography loads only when it is needed
    )

    return (
        f"ssh-keygen -Y verify -f {TRUSTED_SIGNERS} -I {PRINCIPAL} -n {NAMESPACE} \\\n"
        "  -s readiness.json.sig < readiness.json"
    )
