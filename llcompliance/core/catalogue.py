"""Catalogues of standards (package data or a service's own file), validated by schema."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from llcompliance.adapters import canonical, resources, schemas, yamlio
from llcompliance.errors import ConfigError, DocumentError

BUILTIN_DEFAULT = "leading-lights"

# Kinds of evidence a requirement group may name (DESIGN §4): a policy, or an evidence record's kind.
POLICY_KIND = "policy"
EVIDENCE_KINDS = ("record", "data", "feedback", "template", "plan")
PRACTICE_KINDS = ("record", "data", "feedback")  # judged by age: they show what happens in practice
ALL_KINDS = (POLICY_KIND, *EVIDENCE_KINDS)

Requirements = tuple[tuple[str, ...], ...]  # groups; each met by one counting item of its kinds
# A catalogue that says nothing about requirements: any one counting item meets a standard.
ANY_ITEM: Requirements = (ALL_KINDS,)


class Section(NamedTuple):
    """A section of a catalogue and its 'spirit'."""

    id: str
    title: str
    spirit: str
    note: str | None


class Standard(NamedTuple):
    """One standard: statement quoted from the source, our own title and guidance."""

    id: str
    section: str
    number: int | None
    title: str
    statement: str
    guidance: tuple[str, ...]
    note: str | None
    requires: Requirements = ANY_ITEM


class Catalogue(NamedTuple):
    """A framework of standards with a digest that reports record."""

    id: str
    version: str
    title: str
    publisher: str | None
    source: str | None
    attribution: str | None
    sections: tuple[Section, ...]
    standards: tuple[Standard, ...]
    digest: str
    short_name: str = ""
    requires: Requirements = ANY_ITEM  # the default of standards without their own

    @property
    def name(self) -> str:
        """What people call the framework ("Leading Lights"), for titles and the badge."""
        return self.short_name or self.title

    def standard(self, standard_id: str) -> Standard | None:
        """The standard with this id, or None."""
        return next((s for s in self.standards if s.id == standard_id), None)

    def section(self, section_id: str) -> Section:
        """The section with this id (catalogues are checked so it exists)."""
        return next(s for s in self.sections if s.id == section_id)


def builtin_names() -> list[str]:
    """Ids of the catalogues shipped with the package."""
    return sorted(p.stem for p in resources.catalogue_dir().glob("*.yaml"))


def load(
    spec: str, repo: Path | None = None, read: Callable[[str], bytes | None] | None = None
) -> Catalogue:
    """Load a built-in catalogue by id, or a catalogue file by repo-relative path (through `read`
    when the repo's files come from a commit rather than the disk)."""
    if spec in builtin_names():
        path = resources.catalogue_dir() / f"{spec}.yaml"
        shown = f"built-in catalogue {spec}"
    else:
        if repo is None:
            raise ConfigError(
                f"unknown catalogue '{spec}': built-in ones are {', '.join(builtin_names())}"
            )
        path = (repo / spec).resolve()
        shown = spec
        if read is not None:
            committed = read(spec)
            if committed is None:
                raise ConfigError(f"llcompliance.yaml: catalogue '{spec}' is not in that commit")
            return _parse(spec, shown, committed, repo)
        if not path.is_relative_to(repo.resolve()):
            raise ConfigError(
                f"llcompliance.yaml: catalogue '{spec}' is outside the repo: keep it inside"
            )
        if not path.is_file():
            raise ConfigError(
                f"llcompliance.yaml: catalogue '{spec}' not found: built-in ones are "
                f"{', '.join(builtin_names())}; a file path is relative to the repo root"
            )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot be read ({exc.strerror or exc})") from None
    return _parse(spec, shown, raw, repo)


def _parse(spec: str, shown: str, raw: bytes, repo: Path | None) -> Catalogue:
    from llcompliance.core.doccache import SmallFiles, blob_id

    store = SmallFiles.for_repo(repo)
    name, blob = f"catalogue:{spec}", blob_id(raw)
    known = store.get(name, blob)
    if isinstance(known, dict):
        return _own_id(spec, shown, from_data(known, shown, trusted=True))  # parsed before
    try:
        loaded = yamlio.load(raw.decode("utf-8"), path=shown)
    except (DocumentError, UnicodeDecodeError) as exc:
        line = getattr(exc, "line", 0)
        raise ConfigError(f"{shown}:{line}: {exc}") from None
    # Built-in catalogues are package data checked against the schema by the test suite; skipping
    # the check here keeps jsonschema's import (~80 ms) off the hook path.
    catalogue = from_data(loaded.data, shown, loaded, trusted=spec in builtin_names())
    store.put(name, blob, loaded.data)
    return _own_id(spec, shown, catalogue)


def _own_id(spec: str, shown: str, catalogue: Catalogue) -> Catalogue:
    """`catalogue`, unless a repo file takes a built-in catalogue's id: a report naming that id
    would pass for the real framework (issue 12)."""
    if spec not in builtin_names() and catalogue.id in builtin_names():
        raise ConfigError(
            f"{shown}: id '{catalogue.id}' belongs to a built-in catalogue: give your own "
            f"catalogue its own id, or list '{catalogue.id}' in llcompliance.yaml to use the "
            "built-in one"
        )
    return catalogue


def from_data(
    data: Any, shown: str, loaded: yamlio.Loaded | None = None, *, trusted: bool = False
) -> Catalogue:
    """Validate raw catalogue data (unless it is trusted package data) and build the Catalogue."""
    for where, message in [] if trusted else schemas.problems("catalogue", data):
        line = loaded.line_of(where) if loaded else 0
        raise ConfigError(f"{shown}:{line}: {message}")
    sections = tuple(
        Section(s["id"], s["title"], s["spirit"].strip(), s.get("note")) for s in data["sections"]
    )
    section_ids = {s.id for s in sections}
    default = _requires(data.get("requires")) or ANY_ITEM
    standards = []
    seen: set[str] = set()
    for item in data["standards"]:
        if item["section"] not in section_ids:
            raise ConfigError(
                f"{shown}: standard {item['id']} names unknown section {item['section']}"
            )
        if item["id"] in seen:
            raise ConfigError(f"{shown}: standard id {item['id']} appears twice")
        seen.add(item["id"])
        standards.append(
            Standard(
                id=item["id"],
                section=item["section"],
                number=item.get("number"),
                title=item["title"],
                statement=item["statement"].strip(),
                guidance=tuple(item["guidance"]),
                note=item.get("note"),
                requires=_requires(item.get("requires")) or default,
            )
        )
    return Catalogue(
        id=data["id"],
        version=str(data["version"]),
        title=data["title"],
        publisher=data.get("publisher"),
        source=data.get("source"),
        attribution=data.get("attribution"),
        sections=sections,
        standards=tuple(standards),
        digest=canonical.digest(data),
        short_name=data.get("short_name", ""),
        requires=default,
    )


def _requires(raw: Any) -> Requirements:
    """Requirement groups as tuples (the schema checked their shape), or () when not given."""
    if not isinstance(raw, list):
        return ()
    return tuple(tuple(str(kind) for kind in group) for group in raw)
