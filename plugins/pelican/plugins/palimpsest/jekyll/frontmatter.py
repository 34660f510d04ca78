"""YAML front matter, read the way Jekyll (Ruby's Psych, YAML 1.1) reads it.

Through the same parser, libyaml (ruamel.yaml.clib), once per document and build; ruamel's
pure-Python parser only says where and why a text is refused, and finds the line of a value
that is reported (:func:`front_matter_line`), both rare.

YAML 1.1 matters: ``published: no`` is a boolean there and a string in 1.2,
and ``2023-02-10`` is a date.  Timestamps Psych accepts but ruamel.yaml
leaves as strings (``2010-01-07 13:00:00 +0200``) are converted by
:func:`as_datetime` (from ``common.dates``, the one home for dates).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from _ruamel_yaml import CParser  # type: ignore[import-not-found]  # libyaml (ruamel.yaml.clib)
from ruamel.yaml import YAML
from ruamel.yaml.composer import ComposerError
from ruamel.yaml.constructor import ConstructorError, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from ..common.dates import as_datetime
from ..errors import DocumentError
from ..limits import SETTINGS
from .yaml_aliases import YAML_ALIAS_LIMIT, YAML_DEPTH_LIMIT, BoundedComposer, aliases_within_bound, may_be_too_deep, too_deep_at

logger = logging.getLogger(__name__)

__all__ = [
    "FrontMatter",
    "YamlPath",
    "as_datetime",
    "decode_source",
    "front_matter_line",
    "front_matter_text",
    "load_yaml",
    "normal_source",
    "split_front_matter",
]

# Jekyll: %r!\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)!m
_OPENING = re.compile(r"\A---\s*\r?\n")  # utils.rb's has_yaml_header?
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\n?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)


def normal_source(text: str) -> str:
    """A file's text as Jekyll reads it: a byte order mark dropped, CRLF read as LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def decode_source(data: bytes, path: Path) -> str:
    """*data* as UTF-8 text (:func:`normal_source`); undecodable bytes are an error at their line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise DocumentError(path, line, f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})") from None
    return normal_source(text)


@dataclass
class FrontMatter:
    data: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # line number, in the file, of the body's first line
    present: bool = False
    yaml: str = ""  # the front matter's text, to find a key's line when a value is wrong


class _PsychConstructor(SafeConstructor):
    """Psych's YAML 1.1 booleans: ``yes``/``no``/``on``/``off``, but ``y`` and ``n`` stay text;
    ``1e3`` stays text (Psych's floats have a dot);
    impossible dates (``2024-02-30``) stay text too, and where they are is noted (``not_dates``)."""

    not_dates: list[tuple[int, str]]  # (character index, text)

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:  # Psych's scalar scanner rescues the same and keeps the text
            self.not_dates.append((node.start_mark.index, str(node.value)))
            return str(node.value)

    def construct_yaml_str(self, node: Any) -> Any:
        value = super().construct_yaml_str(node)
        found = _SURROGATE.search(value) if isinstance(value, str) else None
        if found:
            problem = f"\\u{ord(found.group(0)):04x} is a lone surrogate, which no UTF-8 file can hold"
            raise ConstructorError(None, None, problem, node.start_mark)
        return value

    def check_mapping_key(self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any) -> bool:
        try:  # ruamel turns a list key into a tuple, which may still hold a list ([[]]: x)
            hash(key)
        except TypeError:
            raise ConstructorError(None, None, "a key must be text, a number or a date", key_node.start_mark) from None
        return bool(super().check_mapping_key(node, key_node, mapping, key, value))


_SURROGATE = re.compile("[\ud800-\udfff]")
# Psych's base-10 float: a dot in the mantissa, and a sign in any exponent (``1e3`` is text there).
_PSYCH_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_,]*)?\.[0-9]*(?:[eE][-+][0-9]+)?")


def _psych_float(constructor: SafeConstructor, node: ScalarNode) -> float | str:
    value = str(node.value)
    if ("e" in value or "E" in value) and not _PSYCH_FLOAT.fullmatch(value):
        return value  # ruamel would read 1e400 as infinity (and warn on stderr); Psych keeps the text
    return float(constructor.construct_yaml_float(node))


def _psych_bool(constructor: SafeConstructor, node: ScalarNode) -> bool | str:
    value = str(node.value)
    return value if value in ("y", "Y", "n", "N") else bool(constructor.construct_yaml_bool(node))


_PsychConstructor.add_constructor("tag:yaml.org,2002:bool", _psych_bool)
_PsychConstructor.add_constructor("tag:yaml.org,2002:float", _psych_float)
_PsychConstructor.add_constructor("tag:yaml.org,2002:timestamp", _PsychConstructor.construct_yaml_timestamp)
_PsychConstructor.add_constructor("tag:yaml.org,2002:str", _PsychConstructor.construct_yaml_str)


# YAML 1.1's implicit types by first character, built once: ruamel builds the table for each loader,
# which costs more than the parse of a short front matter. (ruamel's resolve() adds the entries for any
# first character, the None key, to the list it finds: there are none in YAML 1.1, so none is changed.)
_YAML_11_TYPES = VersionedResolver(version=(1, 1)).versioned_resolver


class _LibyamlLoader(CParser, _PsychConstructor, VersionedResolver):  # type: ignore[misc]
    """libyaml's parser and composer (C, as Psych's), then the Psych constructor above: one per text."""

    processing_version = (1, 1)  # Psych knows YAML 1.1's implicit types only, whatever a %YAML line says
    versioned_resolver = _YAML_11_TYPES

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        self._parser = self._composer = self  # where ruamel's constructor and resolver look for them
        _PsychConstructor.__init__(self, loader=self)
        VersionedResolver.__init__(self, version=(1, 1), loadumper=self)
        self.allow_duplicate_keys = False
        self.not_dates = []


def _yaml() -> YAML:
    """The pure-Python loader, for the exact message and line of an error: a new one each time, as
    one that failed may keep a ``%YAML`` directive's version for the next text."""
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 1)
    yaml.Constructor = _PsychConstructor
    yaml.Composer = BoundedComposer  # refuses a "billion laughs" of aliases
    return yaml


_Loaded = tuple[Any, list[tuple[int, str]]]  # the data, and the impossible dates kept as text (line, text)


def _lines(text: str, index: int) -> int:
    """Lines of *text* before character *index*: a file's own count (libyaml also breaks at U+2028, U+0085)."""
    return text.count("\n", 0, index)


def _load_libyaml(text: str) -> _Loaded | Exception:
    """*text* through libyaml, or why it (or a bound) refuses it."""
    loader = _LibyamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        if "&" in text and not aliases_within_bound(node):
            return ComposerError(None, None, f"YAML aliases expand beyond {YAML_ALIAS_LIMIT} nodes, or into themselves", None)
        data = loader.construct_document(node)
        return data, [(_lines(text, index), value) for index, value in loader.not_dates]
    except (YAMLError, ValueError, OverflowError, RecursionError) as err:
        return err
    finally:
        loader.dispose()


def _mark(err: MarkedYAMLError, text: str) -> Any:
    """Where an error is: where the parser stopped, or what was left open if that is the end of *text*."""
    mark = err.problem_mark or err.context_mark
    if err.context_mark is not None and mark is not None and mark.index >= len(text.rstrip()):
        mark = err.context_mark  # "unexpected end": point at what was left open
    return mark


def _load_pure(text: str, path: Path, first_line: int, what: str) -> _Loaded:
    """*text* through ruamel's pure-Python loader: an error's line, and the words Psych's would not give."""
    yaml = _yaml()
    constructor = yaml.constructor
    constructor.not_dates = []
    try:
        data = yaml.load(text)
    except MarkedYAMLError as err:
        mark = _mark(err, text)
        line = first_line + mark.line if mark is not None else first_line
        problem = err.problem or err.context or "invalid YAML"
        raise DocumentError(path, line, f"invalid {what}: {problem}") from None
    except YAMLError as err:
        raise DocumentError(path, first_line, f"invalid {what}: {err}") from None
    except (ValueError, OverflowError) as err:  # int() of more digits than Python converts
        raise DocumentError(path, first_line, f"invalid {what}: {err}") from None
    return data, [(_lines(text, index), value) for index, value in constructor.not_dates]


def _load(text: str, path: Path, first_line: int, what: str) -> _Loaded:
    """Parse *text* once, with libyaml; the pure loader runs only on what libyaml or the bounds refuse."""
    if may_be_too_deep(text):
        try:
            deep = too_deep_at(_LibyamlLoader(text))
        except YAMLError:
            deep = None  # a syntax error: the pure loader reports it, before it gets that deep
        if deep is not None:
            message = f"invalid {what}: collections nested deeper than {YAML_DEPTH_LIMIT} levels"
            raise DocumentError(path, first_line + _lines(text, deep), message)
    loaded = _load_libyaml(text)
    if not isinstance(loaded, Exception):
        return loaded
    _load_pure(text, path, first_line, what)  # raises, with the pure parser's words and line
    # Read by the pure parser, refused by libyaml: libyaml is what Jekyll reads YAML with.
    mark = _mark(loaded, text) if isinstance(loaded, MarkedYAMLError) else None
    line = first_line + _lines(text, int(mark.index)) if mark is not None else first_line
    raise DocumentError(path, line, f"invalid {what}: {getattr(loaded, 'problem', None) or loaded} (libyaml, as Jekyll's Psych)")


def _warn_not_dates(path: Path, first_line: int, not_dates: list[tuple[int, str]]) -> None:
    for line, value in not_dates:
        logger.warning("%s:%d: %r is not a real date; kept as text, as Jekyll keeps it", path, first_line + line, value)


def load_yaml(text: str, path: Path, first_line: int = 1, what: str = "YAML front matter") -> Any:
    """Parse *text* as YAML 1.1; errors name *path*, the line in that file and *what* it is; an impossible
    date is kept as text (as Psych keeps it) with a warning at its line."""
    data, not_dates = _load(text, path, first_line, what)
    _warn_not_dates(path, first_line, not_dates)
    return data


# Front matter parsed for a document's scan (``site.posts``…), kept for the reader of the same
# file: (path, front matter text) -> the data (a private copy) and its impossible dates. An entry
# is taken out when used; the oldest go first past _SHARED_LIMIT.
_SHARED: dict[tuple[str, str], _Loaded] = {}
_SHARED_LIMIT = 20_000


def _fresh(value: Any) -> Any:
    """A copy of loaded YAML whose lists, mappings and sets are its own (scalars are immutable)."""
    if isinstance(value, dict):
        return {key: _fresh(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_fresh(item) for item in value]
    if isinstance(value, set):
        return set(value)
    return value


def _front_matter_data(yaml: str, path: Path, share: bool) -> Any:
    key = (str(path), yaml)
    shared = _SHARED.pop(key, None)
    if shared is not None:
        data, not_dates = shared
        _warn_not_dates(path, 2, not_dates)
        return _fresh(data)
    data, not_dates = _load(yaml, path, 2, "YAML front matter")
    _warn_not_dates(path, 2, not_dates)
    if share and isinstance(data, dict):
        while len(_SHARED) >= _SHARED_LIMIT:
            del _SHARED[next(iter(_SHARED))]
        _SHARED[key] = (_fresh(data), not_dates)
    return data


def front_matter_text(text: str) -> str | None:
    """The YAML between a document's ``---`` lines (its line 2 onwards), None without front matter."""
    match = _FRONT_MATTER.match(text)
    return match.group(1) if match else None


def split_front_matter(text: str, path: Path, limit: int | None = None, *, share: bool = False) -> FrontMatter:
    """Separate the front matter from the body and parse it; front matter longer than *limit*
    characters is refused before it is parsed. *share*: the reader will read this file too (the
    scan of ``site.posts``), so the parse is kept for it: a document's YAML is parsed once a build."""
    match = _FRONT_MATTER.match(text)
    if not match:
        if _OPENING.match(text):  # Jekyll reads such a file as having no front matter at all
            logger.warning("%s:1: front matter is not closed (no closing '---' line); read as text", path)
        return FrontMatter(body=text)
    if limit is not None and len(match.group(1)) > limit:
        line = 2 + match.group(1).count("\n", 0, limit)
        setting = SETTINGS["front_matter_size"]
        raise DocumentError(
            path, line, f"front matter of {len(match.group(1))} characters, more than {limit} (set {setting} to allow more)"
        )
    data = _front_matter_data(match.group(1), path, share) if match.group(1).strip() else {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DocumentError(path, 2, "front matter must be a mapping of keys to values")
    body_line = text.count("\n", 0, match.end()) + 1
    return FrontMatter(data=data, body=text[match.end() :], body_line=body_line, present=True, yaml=match.group(1))


YamlPath = tuple[str | int, ...]


@lru_cache(maxsize=4)
def _lines_tree(front_matter: str) -> Node | None:
    """The node tree of *front_matter* (pure parser, nothing constructed), kept for the next lookups
    in the same document: built only when a value is reported at its line."""
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 1)
    try:
        node: Node | None = yaml.compose(front_matter)
    except (YAMLError, RecursionError):
        return None
    return node


def front_matter_line(front_matter: str, where: YamlPath) -> int | None:
    """The file line of the deepest node along *where* (the front matter starts on line 2).

    Only the node tree is built (nothing constructed), so a value that fails to load has a line too."""
    node = _lines_tree(front_matter)
    line = None
    for step in where:
        if isinstance(step, int) and isinstance(node, SequenceNode) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line
        elif isinstance(node, MappingNode):
            pair = next(((k, v) for k, v in node.value if isinstance(k, ScalarNode) and str(k.value) == str(step)), None)
            if pair is None:
                break
            line = pair[0].start_mark.line
            node = pair[1]
        else:
            break
    return None if line is None else line + 2
