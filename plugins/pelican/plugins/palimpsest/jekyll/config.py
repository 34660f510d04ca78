"""``_config.yml``: read once, every bad value explained at its own line.

A file that cannot be read at all (not UTF-8, not YAML, not a mapping) is a :class:`DocumentError`
at its line: nothing is built, since the site's ``exclude:``, permalinks and URL are unknown and a
build with Jekyll's defaults could publish what the author left out.  A bad value of one key is
read as real Jekyll 4.3 reads it where Jekyll reads it (``timezone`` unknown: UTC; an invalid
``defaults`` set: skipped), with a warning; where Jekyll aborts or the key is this library's own
(``paginate: lots``, ``reading_speed: {latin: fast}``), it is an error and the default is used, so
the rest of the site builds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..common.dates import as_datetime
from ..errors import DocumentError
from .frontmatter import YamlPath, decode_source, front_matter_line, load_yaml

logger = logging.getLogger(__name__)

# Jekyll's deprecated ``defaults`` scope types (FrontmatterDefaults#update_deprecated_types).
_DEPRECATED_TYPES = {"page": "pages", "post": "posts", "draft": "drafts"}
_KNOWN_TYPES = ("pages", "posts", "drafts")


def read_config(path: Path) -> dict[str, Any]:
    """The keys of the ``_config.yml`` at *path*, bad values reported and replaced (see the module)."""
    text = decode_source(path.read_bytes(), path)
    loaded = load_yaml(text, path, what="YAML")
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise DocumentError(path, 1, f"_config.yml must be a mapping of keys to values, not a {_kind(loaded)}")
    return ConfigCheck(path, text).checked(loaded)


class ConfigCheck:
    """The checks of one ``_config.yml``: each reports at the line of the key it checks."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text

    def line(self, where: YamlPath) -> int:
        found = front_matter_line(self.text, where)  # counts from line 2, where front matter starts
        return found - 1 if found else 1

    def error(self, where: YamlPath, message: str) -> None:
        logger.error("%s:%d: %s", self.path, self.line(where), message)

    def warning(self, where: YamlPath, message: str) -> None:
        logger.warning("%s:%d: %s", self.path, self.line(where), message)

    def checked(self, config: dict[str, Any]) -> dict[str, Any]:
        config = dict(config)
        checks: dict[str, Callable[[Any], Any]] = {
            "paginate": self.paginate,
            "timezone": self.timezone,
            "reading_speed": self.reading_speed,
            "words_per_minute": self.words_per_minute,
            "defaults": self.defaults,
            "collections": self.collections,
            "include": lambda value: self.paths("include", value),
            "exclude": lambda value: self.paths("exclude", value),
            "palimpsest": self.palimpsest,
        }
        for key, check in checks.items():
            if config.get(key) is not None:
                config[key] = check(config[key])
                if config[key] is None:  # bad: the default applies
                    del config[key]
        if config.get("defaults"):
            self.unknown_types(config["defaults"], _labels(config.get("collections")))
        return config

    def paginate(self, value: Any) -> int | None:
        """Posts per page; jekyll-paginate takes ``value.to_i`` and fails on anything not positive."""
        number = positive_integer(value)
        if number is None:
            self.error(("paginate",), f"paginate must be a positive number of posts per page, not {value!r}; default used")
        return number

    def timezone(self, value: Any) -> str | None:
        """Jekyll sets ``TZ`` to the name; the C library reads a name it does not know as UTC."""
        name = str(value)
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
        else:
            return name
        self.warning(("timezone",), f"unknown time zone {name!r}; dates are read as UTC, as Jekyll reads them")
        return None

    def reading_speed(self, value: Any) -> dict[str, int] | None:
        """This library's ``reading_speed: {latin: words, cjk: characters}`` per minute."""
        if not isinstance(value, dict):
            self.error(("reading_speed",), f"reading_speed must be a mapping like {{latin: 200, cjk: 500}}, not {value!r}; default used")
            return None
        speeds = {}
        for key, speed in value.items():
            number = positive_integer(speed)
            if str(key) not in ("latin", "cjk"):
                self.error(("reading_speed", str(key)), f"reading_speed has no {key!r} (only latin and cjk); it is ignored")
            elif number is None:
                self.error(("reading_speed", str(key)), f"reading_speed.{key} must be a positive number, not {speed!r}; default used")
            else:
                speeds[str(key)] = number
        return speeds

    def palimpsest(self, value: Any) -> dict[str, Any] | None:
        """This library's own section: ``palimpsest: {features: {search: false, revisions: false}}``
        switches features off for ``palimpsest build`` (``PALIMPSEST_FEATURES`` of a ``pelicanconf.py``)."""
        from ..features import FEATURES_BY_NAME

        if not isinstance(value, dict):
            self.error(("palimpsest",), f"palimpsest must be a mapping like {{features: {{search: false}}}}, not {value!r}; ignored")
            return None
        chosen = value.get("features")
        if chosen is None:
            return value
        if not isinstance(chosen, dict):
            self.error(("palimpsest", "features"), f"palimpsest.features must map feature names to true or false, not {chosen!r}; ignored")
            return {**value, "features": {}}
        features: dict[str, bool] = {}
        for name, on in chosen.items():
            if str(name) not in FEATURES_BY_NAME:
                known = ", ".join(FEATURES_BY_NAME)
                self.error(("palimpsest", "features", str(name)), f"palimpsest.features has no {name!r} (known: {known}); ignored")
            elif not isinstance(on, bool):
                self.error(("palimpsest", "features", str(name)), f"palimpsest.features.{name} must be true or false, not {on!r}; ignored")
            else:
                features[str(name)] = on
        return {**value, "features": features}

    def words_per_minute(self, value: Any) -> int | None:
        number = positive_integer(value)
        if number is None:
            self.error(("words_per_minute",), f"words_per_minute must be a positive number, not {value!r}; default used")
        return number

    def defaults(self, value: Any) -> list[dict[str, Any]]:
        """Jekyll's front matter defaults: a set needs ``values:``, a mapping; its ``scope:`` a mapping."""
        if not isinstance(value, list):
            self.warning(("defaults",), "defaults must be a list of {scope, values} sets; it is ignored, as Jekyll ignores it")
            return []
        sets = []
        for index, entry in enumerate(value):
            where: YamlPath = ("defaults", index)
            if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
                self.warning(where, "an invalid front matter default set (it needs values: a mapping) is ignored, as Jekyll ignores it")
                continue
            if "date" in entry["values"] and as_datetime(entry["values"]["date"]) is None:  # Jekyll aborts
                self.error((*where, "values", "date"), f"a default date must be a date, not {entry['values']['date']!r}; ignored")
                entry = {**entry, "values": {k: v for k, v in entry["values"].items() if k != "date"}}
            scope = entry.get("scope")
            if scope is None:
                sets.append(entry)
                continue
            if not isinstance(scope, dict):
                self.error((*where, "scope"), f"a defaults scope must be a mapping like {{type: posts}}, not {scope!r}; set ignored")
                continue
            scope = dict(scope)
            kind = scope.get("type")
            if kind is not None:
                kind = str(kind)
                if kind in _DEPRECATED_TYPES:
                    new = _DEPRECATED_TYPES[kind]
                    self.warning((*where, "scope", "type"), f"scope type {kind!r} is deprecated; read as {new!r}, as Jekyll reads it")
                    kind = new
                scope["type"] = kind
            path = scope.get("path")
            if path is not None and not isinstance(path, str):
                self.warning((*where, "scope", "path"), f"a scope path must be text, not {path!r}; it applies everywhere, as in Jekyll")
                scope["path"] = ""
            sets.append({**entry, "scope": scope})
        return sets

    def collections(self, value: Any) -> dict[str, Any] | None:
        """``collections:``, a mapping of labels to options or a list of labels, as a mapping."""
        if isinstance(value, list):
            value = {label: {} for label in value if self.label(("collections", value.index(label)), label)}
        if not isinstance(value, dict):
            self.error(("collections",), f"collections must be a mapping of names to options, not {value!r}; none are read")
            return None
        return {str(label): options for label, options in value.items() if self.label(("collections", str(label)), label)}

    def label(self, where: YamlPath, label: Any) -> bool:
        """Whether *label* can name a collection (a folder ``_label``)."""
        if isinstance(label, (str, int)) and not isinstance(label, bool) and str(label).strip("./") and "/" not in str(label):
            return True
        self.error(where, f"a collection is named by a word, not {label!r}; it is ignored")
        return False

    def paths(self, key: str, value: Any) -> list[str] | None:
        """``include:`` / ``exclude:``: a list of paths (a lone path read as a list of one)."""
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return [str(value)]
        if not isinstance(value, list):
            self.error((key,), f"{key} must be a list of paths, not {value!r}; it is ignored")
            return None
        kept = []
        for index, item in enumerate(value):
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                kept.append(str(item))
            else:
                self.error((key, index), f"{key} lists paths, not {item!r}; it is ignored")
        return kept

    def unknown_types(self, sets: list[dict[str, Any]], collections: set[str]) -> None:
        """Warn of a scope ``type`` naming no collection: Jekyll applies the set to nothing, silently."""
        for index, entry in enumerate(sets):
            kind = (entry.get("scope") or {}).get("type")
            if kind is not None and kind not in _KNOWN_TYPES and kind not in collections:
                where: YamlPath = ("defaults", index, "scope", "type")
                known = ", ".join(sorted({*_KNOWN_TYPES, *collections}))
                self.warning(where, f"scope type {kind!r} is no collection ({known}); the set applies to nothing")


def positive_integer(value: Any) -> int | None:
    """*value* as a positive whole number (``10`` or ``"10"``); anything else is none."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = int(value)
    except (ValueError, OverflowError):
        return None
    return number if number > 0 else None


def _labels(collections: Any) -> set[str]:
    """The labels of ``collections:`` (a mapping or a list of labels)."""
    return {str(label) for label in collections} if isinstance(collections, (dict, list)) else set()


def _kind(value: Any) -> str:
    return "list" if isinstance(value, list) else "text" if isinstance(value, str) else type(value).__name__
