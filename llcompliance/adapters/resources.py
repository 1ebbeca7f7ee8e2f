"""The one way to packaged data: schemas, catalogues, the evidence template and demo content.

From a wheel, `schema/` and `evidence-template/` live in `llcompliance/_data/` (hatchling
force-include); from an editable install or a source checkout they are beside the package.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent.parent  # llcompliance/


def _data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"llcompliance is missing its {name}/ folder: reinstall the package")


def schema_dir() -> Path:
    """Folder of the JSON Schemas."""
    return _data_dir("schema")


def template_dir() -> Path:
    """Folder copied by `llcompliance init`."""
    return _data_dir("evidence-template")


def catalogue_dir() -> Path:
    """Folder of the built-in catalogues."""
    return _PACKAGE / "catalogues"


def demo_dir() -> Path:
    """Folder of the fictional demo service's content."""
    return _PACKAGE / "demo"


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema by file stem, e.g. `schema("policy")`."""
    path = schema_dir() / f"{name}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
