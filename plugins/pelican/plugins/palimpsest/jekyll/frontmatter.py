"""YAML front matter, read the way Jekyll (Ruby's Psych, YAML 1.1) reads it.

YAML 1.1 matters: ``published: no`` is a boolean there and a string in 1.2,
and ``2023-02-10`` is a date.  Timestamps Psych accepts but ruamel.yaml
leaves as strings (``2010-01-07 13:00:00 +0200``) are converted by
:func:`as_datetime` (from ``common.dates``, the one home for dates).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import ScalarNode

from ..common.dates import as_datetime
from ..errors import DocumentError

__all__ = ["FrontMatter", "YamlPath", "as_datetime", "front_matter_line", "load_yaml", "split_front_matter"]

# Jekyll: %r!\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)!m
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\n?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)


@dataclass
class FrontMatter:
    data: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # line number, in the file, of the body's first line
    present: bool = False
    yaml: str = ""  # the front matter's text, to find a key's line when a value is wrong


class _PsychConstructor(SafeConstructor):
    """Psych's YAML 1.1 booleans: ``yes``/``no``/``on``/``off``, but ``y`` and ``n`` stay text."""


def _psych_bool(constructor: SafeConstructor, node: ScalarNode) -> bool | str:
    value = str(node.value)
    return value if value in ("y", "Y", "n", "N") else bool(constructor.construct_yaml_bool(node))


_PsychConstructor.add_constructor("tag:yaml.org,2002:bool", _psych_bool)


@lru_cache(maxsize=1)
def _yaml() -> YAML:
    """One loader for every document: building it costs as much as parsing a short front matter."""
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 1)
    yaml.Constructor = _PsychConstructor
    return yaml


def load_yaml(text: str, path: Path, first_line: int = 1, what: str = "YAML front matter") -> Any:
    """Parse *text* as YAML 1.1; errors name *path*, the line in that file and *what* it is."""
    try:
        return _yaml().load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        if err.context_mark is not None and mark is not None and mark.index >= len(text.rstrip()):
            mark = err.context_mark  # "unexpected end": point at what was left open
        line = first_line + mark.line if mark is not None else first_line
        problem = err.problem or err.context or "invalid YAML"
        raise DocumentError(path, line, f"invalid {what}: {problem}") from None
    except YAMLError as err:
        raise DocumentError(path, first_line, f"invalid {what}: {err}") from None


def split_front_matter(text: str, path: Path) -> FrontMatter:
    """Separate the front matter from the body and parse it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return FrontMatter(body=text)
    data = load_yaml(match.group(1), path, first_line=2) if match.group(1).strip() else {}
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DocumentError(path, 2, "front matter must be a mapping of keys to values")
    body_line = text.count("\n", 0, match.end()) + 1
    return FrontMatter(data=data, body=text[match.end() :], body_line=body_line, present=True, yaml=match.group(1))


YamlPath = tuple[str | int, ...]


def front_matter_line(front_matter: str, where: YamlPath) -> int | None:
    """The file line of the deepest node along *where* (the front matter starts on line 2)."""
    yaml = YAML(typ="rt")
    yaml.version = (1, 1)
    try:
        node = yaml.load(front_matter)
    except YAMLError:
        return None
    line = None
    for step in where:
        if isinstance(step, int) and isinstance(node, CommentedSeq) and step < len(node):
            line = node.lc.item(step)[0]
            node = node[step]
        elif isinstance(node, CommentedMap):
            key = next((k for k in node if str(k) == str(step)), None)
            if key is None:
                break
            line = node.lc.key(key)[0]
            node = node[key]
        else:
            break
    return None if line is None else line + 2
