"""YAML front matter, read the way Jekyll (Ruby's Psych, YAML 1.1) reads it.

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

from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..common.dates import as_datetime
from ..errors import DocumentError
from ..limits import SETTINGS
from .yaml_aliases import BoundedComposer

logger = logging.getLogger(__name__)

__all__ = ["FrontMatter", "YamlPath", "as_datetime", "front_matter_line", "load_yaml", "split_front_matter"]

# Jekyll: %r!\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)!m
_OPENING = re.compile(r"\A---\s*\r?\n")  # utils.rb's has_yaml_header?
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\n?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)


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
    impossible dates (``2024-02-30``) stay text too, and their lines are noted (``not_dates``)."""

    not_dates: list[tuple[int, str]]

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:  # Psych's scalar scanner rescues the same and keeps the text
            self.not_dates.append((node.start_mark.line, str(node.value)))
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


@lru_cache(maxsize=1)
def _yaml() -> YAML:
    """One loader for every document: building it costs as much as parsing a short front matter."""
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 1)
    yaml.Constructor = _PsychConstructor
    yaml.Composer = BoundedComposer  # refuses a "billion laughs" of aliases
    return yaml


def load_yaml(text: str, path: Path, first_line: int = 1, what: str = "YAML front matter") -> Any:
    """Parse *text* as YAML 1.1; errors name *path*, the line in that file and *what* it is; an impossible
    date is kept as text (as Psych keeps it) with a warning at its line."""
    yaml = _yaml()
    constructor = yaml.constructor
    constructor.not_dates = []
    try:
        data = yaml.load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        if err.context_mark is not None and mark is not None and mark.index >= len(text.rstrip()):
            mark = err.context_mark  # "unexpected end": point at what was left open
        line = first_line + mark.line if mark is not None else first_line
        problem = err.problem or err.context or "invalid YAML"
        raise DocumentError(path, line, f"invalid {what}: {problem}") from None
    except YAMLError as err:
        raise DocumentError(path, first_line, f"invalid {what}: {err}") from None
    for line, value in constructor.not_dates:
        logger.warning("%s:%d: %r is not a real date; kept as text, as Jekyll keeps it", path, first_line + line, value)
    return data


def split_front_matter(text: str, path: Path, limit: int | None = None) -> FrontMatter:
    """Separate the front matter from the body and parse it; front matter longer than *limit*
    characters is refused before it is parsed (YAML is read at about 150 KB a second)."""
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
    data = load_yaml(match.group(1), path, first_line=2) if match.group(1).strip() else {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DocumentError(path, 2, "front matter must be a mapping of keys to values")
    body_line = text.count("\n", 0, match.end()) + 1
    return FrontMatter(data=data, body=text[match.end() :], body_line=body_line, present=True, yaml=match.group(1))


YamlPath = tuple[str | int, ...]


def front_matter_line(front_matter: str, where: YamlPath) -> int | None:
    """The file line of the deepest node along *where* (the front matter starts on line 2).

    Only the node tree is built (nothing constructed), so a value that fails to load has a line too."""
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 1)
    try:
        node: Node | None = yaml.compose(front_matter)
    except YAMLError:
        return None
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
