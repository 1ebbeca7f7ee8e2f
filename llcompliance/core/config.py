"""The service's llcompliance.yaml: service name, catalogues, review defaults, scan allowlist."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from llcompliance.adapters import schemas, yamlio
from llcompliance.errors import ConfigError, DocumentError

CONFIG_NAME = "llcompliance.yaml"
CURRENT_FORMAT = (
    2  # llcompliance.yaml `format:`; older repos are told to run `llcompliance upgrade`
)
DEFAULT_DUE_SOON_DAYS = 90  # a board cycle: time to get a policy re-approved
DEFAULT_MIN_POLICY_WORDS = 150
DEFAULT_MIN_NARRATIVE_WORDS = 40
DEFAULT_MAX_EVIDENCE_AGE_MONTHS = 12


class ScanSettings(NamedTuple):
    """What the personal-data guard may let through."""

    allow_paths: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    email_domains: tuple[str, ...] = ()
    postcodes: tuple[str, ...] = ()
    case_reference_patterns: tuple[str, ...] = ()
    disabled_rules: tuple[str, ...] = ()


class Config(NamedTuple):
    """A validated llcompliance.yaml."""

    service: str
    organisation: str | None
    catalogues: tuple[str, ...]
    due_soon_days: int
    scan: ScanSettings = ScanSettings()
    format: int = 1  # a file without `format:` predates format 2
    min_policy_words: int = DEFAULT_MIN_POLICY_WORDS
    min_narrative_words: int = DEFAULT_MIN_NARRATIVE_WORDS
    max_evidence_age_months: int = DEFAULT_MAX_EVIDENCE_AGE_MONTHS


def find_repo_root(start: Path) -> Path:
    """The evidence repo root: `start` or the nearest parent holding llcompliance.yaml."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate
    raise ConfigError(
        f"{start} is not an evidence repo (no {CONFIG_NAME} here or above). Make one with "
        "`llcompliance init DIR --service NAME`, or point at one with --repo DIR"
    )


def load(root: Path, raw: bytes | None = None) -> Config:
    """Read and validate ROOT/llcompliance.yaml, or its bytes from a commit (ConfigError, exit 2)."""
    path = root / CONFIG_NAME
    try:
        if raw is None:
            with open(path, "rb") as handle:
                raw = handle.read(yamlio.MAX_DOCUMENT_BYTES + 1)
        if len(raw) > yamlio.MAX_DOCUMENT_BYTES:
            raise ConfigError(
                f"{CONFIG_NAME}:1: is far too large for a settings file: restore it from git"
            )
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(
            f"{root} is not an evidence repo (no {CONFIG_NAME}). Make one with "
            "`llcompliance init DIR --service NAME`"
        ) from None
    except (UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"{CONFIG_NAME}: cannot read it ({exc}); save it as UTF-8 text") from None
    from llcompliance.core.doccache import SmallFiles, blob_id

    store = SmallFiles.for_repo(root)
    blob = blob_id(raw)
    known = store.get(CONFIG_NAME, blob)
    if isinstance(known, dict):
        return from_data(known, checked=True)
    try:
        loaded = yamlio.load(text.replace("\r\n", "\n"), path=CONFIG_NAME)
    except DocumentError as exc:
        raise ConfigError(f"{CONFIG_NAME}:{exc.line}: {exc}") from None
    config = from_data(loaded.data, loaded)
    store.put(CONFIG_NAME, blob, loaded.data)
    return config


def from_data(data: Any, loaded: yamlio.Loaded | None = None, *, checked: bool = False) -> Config:
    """Validate the parsed configuration (unless already `checked`) and build a Config."""
    if not isinstance(data, dict):
        raise ConfigError(
            f"{CONFIG_NAME}:1: must be a set of keys, starting with `service: Your service name`"
        )
    for where, message in [] if checked else schemas.problems("config", data):
        line = loaded.line_of(where) if loaded else 1
        raise ConfigError(f"{CONFIG_NAME}:{line}: {message}")
    scan = data.get("scan", {})
    allow = scan.get("allow", {})
    patterns = tuple(scan.get("case_reference_patterns", []))
    if not checked:
        _check_patterns(patterns, loaded)
    review = data.get("review", {})
    return Config(
        service=data["service"],
        organisation=data.get("organisation"),
        catalogues=tuple(data["catalogues"]) if "catalogues" in data else _default_catalogues(),
        due_soon_days=review.get("due_soon_days", DEFAULT_DUE_SOON_DAYS),
        format=data.get("format", 1),
        min_policy_words=review.get("min_policy_words", DEFAULT_MIN_POLICY_WORDS),
        min_narrative_words=review.get("min_narrative_words", DEFAULT_MIN_NARRATIVE_WORDS),
        max_evidence_age_months=review.get(
            "max_evidence_age_months", DEFAULT_MAX_EVIDENCE_AGE_MONTHS
        ),
        scan=ScanSettings(
            allow_paths=tuple(scan.get("allow_paths", [])),
            phones=tuple(allow.get("phones", [])),
            emails=tuple(allow.get("emails", [])),
            email_domains=tuple(allow.get("email_domains", [])),
            postcodes=tuple(allow.get("postcodes", [])),
            case_reference_patterns=patterns,
            disabled_rules=tuple(scan.get("disabled_rules", [])),
        ),
    )


def _default_catalogues() -> tuple[str, ...]:
    from llcompliance.core.catalogue import BUILTIN_DEFAULT  # the guard needs no catalogue

    return (BUILTIN_DEFAULT,)


def _check_patterns(patterns: tuple[str, ...], loaded: yamlio.Loaded | None) -> None:
    """Refuse a case-reference pattern the guard's safe regex engine cannot run (exit 2), at its line."""
    if not patterns:
        return  # the regex engine is imported only for a service that configured patterns
    from llcompliance.adapters import saferegex

    for index, pattern in enumerate(patterns):
        try:
            saferegex.compile_pattern(pattern)
        except saferegex.PatternError as exc:
            where = ("scan", "case_reference_patterns", index)
            line = loaded.line_of(where) if loaded else 1
            raise ConfigError(
                f"{CONFIG_NAME}:{line}: case reference pattern {pattern!r} cannot be used: {exc} "
                f"({saferegex.WHY})"
            ) from None
