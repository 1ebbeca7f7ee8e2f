"""JSON Schema validation with validators built once and messages a service manager can act on."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from llcompliance.adapters import resources

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

DATE_EXAMPLE = "2027-03-31"


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with local `#/$defs/...` references replaced by their targets.

    Resolving `$ref` through the referencing library costs more than the checks themselves
    (about 70% of validation time on a 2,500-document repo); our schemas have no recursion.
    """
    defs = schema.get("$defs", {})

    def walk(node: Any, depth: int = 0) -> Any:
        if depth > 50:
            raise ValueError("schema $ref nesting too deep (recursive schema?)")
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/") and len(node) == 1:
                return walk(defs[ref.removeprefix("#/$defs/")], depth + 1)
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                merged = {k: v for k, v in node.items() if k != "$ref"}
                return {
                    **walk(defs[ref.removeprefix("#/$defs/")], depth + 1),
                    **walk(merged, depth + 1),
                }
            return {k: (v if k == "$defs" else walk(v, depth + 1)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(item, depth + 1) for item in node]
        return node

    inlined = walk(schema)
    inlined.pop("$defs", None)
    return inlined  # type: ignore[no-any-return]


@cache
def validator(name: str) -> Validator:
    """The compiled validator for a packaged schema (built once per process)."""
    from jsonschema import Draft202012Validator  # lazy: ~80 ms of import on the hook path

    return Draft202012Validator(
        inline_refs(resources.schema(name)), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def problems(name: str, data: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path inside the document, plain-English message) for each schema violation."""
    errors = sorted(validator(name).iter_errors(data), key=lambda e: [str(p) for p in e.path])
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = sorted(_schema_of(error).get("properties", {}))
            for extra in sorted(set(error.instance) - set(allowed), key=str):
                yield (*path, str(extra)), unknown_key(str(extra), allowed, path)
        else:
            yield path, explain(error)


def unknown_key(extra: str, allowed: list[str], path: tuple[str | int, ...]) -> str:
    """Message for a key the schema does not know, with the closest known key."""
    import difflib  # only to suggest a spelling for an unknown key

    close = difflib.get_close_matches(extra, allowed, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(allowed)})"
    prefix = f"in {_where(path)}: " if path else ""
    return f"{prefix}unknown key '{extra}'{hint}"


def _schema_of(error: ValidationError) -> Mapping[str, Any]:
    """The failing subschema as a mapping (jsonschema types it loosely)."""
    return error.schema if isinstance(error.schema, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _where(path: Any) -> str:
    parts = [str(p) for p in path]
    return ".".join(parts) if parts else "the document"


def explain(error: ValidationError) -> str:
    """Turn a jsonschema error into a sentence that says what to change."""
    where = _where(error.absolute_path)
    kind = error.validator
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else error.message
        example = f" (e.g. {missing}: {DATE_EXAMPLE})" if missing.endswith(("_due", "date")) else ""
        return f"missing required key '{missing}': add it{example}"
    schema = _schema_of(error)
    if kind in ("format", "pattern") and schema.get("format") == "date":
        return f"{where} must be a date written YYYY-MM-DD, like {DATE_EXAMPLE} (got {_short(error.instance)})"
    if kind == "pattern":
        description = schema.get("description", "")
        return f"{where} has characters that are not allowed (got {_short(error.instance)}). {description}".strip()
    if kind == "enum":
        options = ", ".join(str(o) for o in _list(error.validator_value))
        return f"{where} must be one of: {options} (got {_short(error.instance)})"
    if kind == "type":
        wanted = error.validator_value
        wanted_text = " or ".join(wanted) if isinstance(wanted, list) else wanted
        words = {
            "string": "text",
            "array": "a list",
            "object": "a set of keys",
            "integer": "a whole number",
        }
        return f"{where} must be {words.get(str(wanted_text), wanted_text)} (got {_type_name(error.instance)})"
    if kind == "oneOf" and isinstance(error.instance, dict) and "location" in where:
        return f"{where} needs exactly one of 'path' (a file in this repo) or 'reference' (where it is held)"
    if kind == "oneOf":
        return f"{where} is not in a form this field accepts (got {_short(error.instance)})"
    if kind in ("minItems", "minLength", "minProperties"):
        return f"{where} must not be empty"
    if kind in ("maxItems", "maxLength", "maxProperties"):
        unit = {"maxItems": "items", "maxLength": "characters", "maxProperties": "keys"}[str(kind)]
        return f"{where} is too long: at most {error.validator_value} {unit}, please shorten it"
    return f"{where}: {error.message}"


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"yes/no value {value!r}; put quotes around it if you meant text"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of keys"
    return _short(value)


def _short(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
