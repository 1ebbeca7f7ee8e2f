"""All YAML reading and writing: safe, bounded, dates kept as strings, line numbers kept."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from llcompliance.errors import DocumentError

if TYPE_CHECKING:
    import yaml

# Limits that keep a hostile document from exhausting time or memory.
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
MAX_NODES = 100_000  # after alias expansion: stops "billion laughs"
MAX_DEPTH = 64


class DuplicateKey(Exception):
    """A mapping has the same key twice; PyYAML would silently keep the last."""

    def __init__(self, key: str, line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


def _construct_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
        except TypeError:  # unhashable key (a list as a key): let PyYAML report it
            continue
        if duplicate:
            raise DuplicateKey(str(key), key_node.start_mark.line + 1)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def _refuse_tag(loader: Any, node: yaml.Node) -> Any:
    import yaml

    raise yaml.constructor.ConstructorError(
        None, None, f"could not determine a constructor for the tag '{node.tag}'", node.start_mark
    )


@cache
def _classes() -> tuple[Any, Any]:
    """The safe loader and dumper, built on first use: importing PyYAML costs ~20 ms, which a
    warm hook run (everything from the cache) never needs to pay."""
    import yaml

    try:  # the C parser is ~8x faster; fall back to pure Python where libyaml is absent
        base_loader: Any = yaml.CSafeLoader
        base_dumper: Any = yaml.CSafeDumper
    except AttributeError:  # pragma: no cover - depends on how PyYAML was built
        base_loader, base_dumper = yaml.SafeLoader, yaml.SafeDumper

    class _Loader(base_loader):  # type: ignore[misc]
        """Safe loader: timestamps stay strings (JSON Schema `format: date` works on strings)."""

    # Copy the resolver table so this tweak does not leak into other users of PyYAML.
    _Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base_loader.yaml_implicit_resolvers.items()
    }
    _Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    # Safe, but not JSON: sets, bytes, dates and pairs would break schemas and canonical JSON.
    for tag in ("binary", "set", "omap", "pairs", "timestamp"):
        _Loader.add_constructor(f"tag:yaml.org,2002:{tag}", _refuse_tag)
    return _Loader, base_dumper


class Loaded(NamedTuple):
    """A parsed YAML document and the node tree used to find the line of any value."""

    data: Any
    node: yaml.Node | None
    first_line: int  # line of the YAML text within its file (2 for front matter after the fence)

    def line_of(self, path: tuple[str | int, ...]) -> int:
        """Return the 1-based file line of the value at `path`, or of its nearest parent."""
        import yaml

        node = self.node
        line = node.start_mark.line if node is not None else 0
        for part in path:
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if key_node.value == str(part):
                        node, line = value_node, key_node.start_mark.line
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    break
                node = node.value[part]
                line = node.start_mark.line
            else:
                break
        return self.first_line + line


def _check_size(value: Any) -> None:
    """Count nodes after alias expansion without expanding (memoised by identity)."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(obj: Any, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise DocumentError(f"nested more than {MAX_DEPTH} levels deep", rule="too-deep")
        if not isinstance(obj, dict | list):
            return 1
        key = id(obj)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise DocumentError("refers to itself through an alias", rule="yaml-alias")
        active.add(key)
        children: Iterator[Any] = iter(obj.values()) if isinstance(obj, dict) else iter(obj)
        total = 1
        for child in children:
            total += size(child, depth + 1)
            if total > MAX_NODES:
                raise DocumentError(
                    f"expands to more than {MAX_NODES:,} values (YAML aliases?)", rule="yaml-alias"
                )
        active.discard(key)
        sizes[key] = total
        return total

    size(value, 0)


def load(text: str, *, path: str = "", first_line: int = 1) -> Loaded:
    """Parse one YAML document safely; raise DocumentError with path and line on any problem."""
    import yaml

    if len(text) > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            f"is larger than {MAX_DOCUMENT_BYTES // 1024 // 1024} MB; evidence documents should be "
            "short: move large material elsewhere and reference it",
            path=path,
            line=first_line,
            rule="too-large",
        )
    loader = None
    try:
        _check_depth(text)
        loader = _classes()[0](text)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except DocumentError as exc:
        exc.path, exc.line = path, first_line + exc.line - 1
        raise
    except DuplicateKey as exc:
        raise DocumentError(
            f"key '{exc.key}' appears twice; keep one",
            path=path,
            line=first_line + exc.line - 1,
            rule="duplicate-key",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        problem = exc.problem or "not valid YAML"
        raise DocumentError(
            f"YAML error: {problem}{_hint(problem)}", path=path, line=line, rule="yaml-syntax"
        ) from None
    except RecursionError:
        raise DocumentError(
            f"nested more than {MAX_DEPTH} levels deep: evidence documents need only a few levels",
            path=path,
            line=first_line,
            rule="too-deep",
        ) from None
    except UnicodeError:
        raise DocumentError(
            "contains characters that are not valid Unicode text: save it as UTF-8",
            path=path,
            line=first_line,
            rule="encoding",
        ) from None
    except ValueError as exc:
        if "integer string conversion" not in str(exc):
            raise DocumentError(
                f"YAML error: {exc}".splitlines()[0], path=path, line=first_line, rule="yaml-syntax"
            ) from None
        raise DocumentError(
            "has a number thousands of digits long: put quotes around it if it is text",
            path=path,
            line=first_line,
            rule="yaml-syntax",
        ) from None
    except (yaml.YAMLError, OverflowError) as exc:
        raise DocumentError(
            f"YAML error: {exc}".splitlines()[0], path=path, line=first_line, rule="yaml-syntax"
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    try:
        _check_size(data)
    except DocumentError as exc:
        exc.path, exc.line = path, first_line
        raise
    return Loaded(data=data, node=node, first_line=first_line)


def _check_depth(text: str) -> None:
    """Refuse deep nesting from the event stream, before libyaml's recursive composer can crash."""
    import yaml

    if sum(text.count(c) for c in "[{:-?") <= MAX_DEPTH:
        return  # every level of nesting needs one of these characters: too few, too shallow
    loader = _classes()[0](text)
    depth = 0
    try:
        while True:
            try:
                event = loader.get_event()
            except yaml.MarkedYAMLError as exc:
                # libyaml 0.2.5+ stops its own scanner on very deep nesting ("exceeded maximum
                # nesting depth"): the same finding as ours, whichever of the two gives up first.
                if "nesting depth" not in str(exc.problem):
                    raise
                mark = exc.problem_mark or exc.context_mark
                raise _too_deep((mark.line if mark else 0) + 1) from None
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep((event.start_mark.line if event.start_mark else 0) + 1)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


def _too_deep(line: int) -> DocumentError:
    return DocumentError(
        f"nested more than {MAX_DEPTH} levels deep: evidence documents need only a few levels",
        line=line,
        rule="too-deep",
    )


def _hint(problem: str) -> str:
    if "could not determine a constructor" in problem:
        return " (tags such as !!python/object are not allowed: use plain values)"
    if "mapping values are not allowed" in problem:
        return " (a value containing ': ' needs quotes)"
    if "found character '\\t'" in problem or "cannot start any token" in problem:
        return " (use spaces, not tabs, to indent; put quotes around a value starting with @ or `)"
    if "another document" in problem:
        return " (a second '---' line starts another document: keep one)"
    return ""


def dump(data: Any) -> str:
    """Serialise data as block-style YAML that `load` reads back to the same values."""
    import yaml

    return yaml.dump(
        data,
        Dumper=_classes()[1],
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


_FENCE_RE = re.compile(r"^---[ \t]*\r?$")


class FrontMatter(NamedTuple):
    """A Markdown file split into its YAML front matter and body."""

    yaml_text: str
    body: str
    yaml_first_line: int  # 1-based line of the first YAML line in the file
    body_first_line: int


def split_front_matter(text: str) -> FrontMatter | None:
    """Split `---` fenced YAML front matter from a Markdown body; None when there is none.

    Raises DocumentError when the opening fence has no closing fence.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or not _FENCE_RE.match(lines[0]):
        return None
    for index in range(1, len(lines)):
        if _FENCE_RE.match(lines[index]) or lines[index].rstrip("\r") == "...":
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return FrontMatter(yaml_text, body, 2, index + 2)
    raise DocumentError(
        "front matter starts with '---' on line 1 but has no closing '---' line: add one after "
        "the last key",
        line=1,
        rule="front-matter",
    )
