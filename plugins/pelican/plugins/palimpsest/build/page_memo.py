"""The page memo (``PALIMPSEST_PAGE_MEMO = True``): a page is not rendered again when nothing it read
changed; one changed post renders again the pages that show it, not every page.

While the theme renders a page, each read is noted (:class:`_Reads`): a name of the template's
context (:class:`WatchingContext`), an attribute of a document (the build's documents get a watching
class of the same name: :func:`watch`), and, as the content cache notes them (:mod:`.recording`), the
include files and the site's documents its Liquid read.  The entry keeps those reads and one digest of
what they gave.  The next build takes the same reads before rendering the page: the same digest,
template and build (library, theme, Python, settings), and the output file as it was left, and the
page is not rendered (:meth:`PageMemo.unchanged`).  Values are compared by :func:`_feed`: data, Pelican's
tags, categories, authors and paginators, dataclasses by their fields, a document by its source file
(its attributes are reads of their own), functions by name.  A value it cannot compare, a document's
method, the clock, a document changed or a warning while rendering: that page is rendered in every
build; a warning, and no entry of the build is kept (the theme says each problem once per build).

Off by default: with this theme a page renders in about as much time as its reads take to compare
(1000 posts: 0.37 s of rendering against 0.18 s of comparing, and recording costs a cold build 0.3 s).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import enum
import hashlib
import logging
import os
import pickle
import types
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import Any

from jinja2.runtime import Context
from jinja2.utils import missing

from ..common.atomic import replace_atomically

logger = logging.getLogger(__name__)

__all__ = ["MEMO_FILE", "MEMO_SETTING", "PageMemo", "Unusable", "WatchingContext", "digest", "watch"]

MEMO_SETTING = "PALIMPSEST_PAGE_MEMO"  # True: pages whose reads gave the same are not rendered again
MEMO_FILE = "pages.pickle"  # in <output>/.palimpsest-cache/
FORMAT = 1


class _Missing:
    """What a read of a name or an attribute that is not there gave."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()
_OWN_MAPPINGS = "pelican.plugins.palimpsest."  # dict subclasses whose lazy keys note their reads (recording.py)
_ACTIVE: _Reads | None = None  # the reads of the page being rendered


class Unusable(Exception):
    """A value the memo cannot compare between builds: the page is rendered in every build."""


def _hash() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=16)


class Known:
    """The build's watched documents (their tokens, by ``id``) and the digests taken once per build."""

    def __init__(self, tokens: dict[int, str] | None = None):
        self.tokens = tokens or {}
        self.lists: dict[int, tuple[tuple[int, ...], bytes]] = {}  # a list of documents: its ids, its digest
        self.constants: dict[int, tuple[Any, bytes]] = {}  # the theme's site values: the same all build long


def _feed(h: hashlib.blake2b, value: Any, known: Known, depth: int = 0) -> None:
    """A canonical form of *value* into *h*, each kind tagged (``1``, ``"1"``, ``Markup("1")`` differ)."""
    kind = type(value)
    if kind is str:
        h.update(b"\0str:" + value.encode("utf-8", "surrogatepass"))
        return
    token = known.tokens.get(id(value))
    if token is not None:  # a watched document: its attributes are reads of their own
        h.update(f"\0document:{token}".encode("utf-8", "surrogatepass"))
        return
    if kind is list and value and _feed_documents(h, value, known):
        return
    if depth > 40:
        raise Unusable("a value nested too deep")
    h.update(f"\0{kind.__module__}.{kind.__qualname__}:".encode())
    if value is MISSING or value is None or kind in (bool, int, float, complex, decimal.Decimal):
        h.update(repr(value).encode())
    elif isinstance(value, str):
        h.update(value.encode("utf-8", "surrogatepass"))
    elif isinstance(value, bytes):
        h.update(value)
    elif isinstance(value, (dt.datetime, dt.time)):
        h.update(f"{value.isoformat()}|{value.tzname()}|{value.fold}".encode())
    elif isinstance(value, dt.date):
        h.update(value.isoformat().encode())
    elif isinstance(value, (dt.timedelta, dt.tzinfo, PurePath, enum.Enum)):
        h.update(str(value).encode())
    elif isinstance(value, (list, tuple, range)):
        h.update(f"{len(value)}[".encode())
        for item in value:
            _feed(h, item, known, depth + 1)
    elif isinstance(value, (set, frozenset)):
        h.update("".join(sorted(digest(item, known, depth + 1) for item in value)).encode())
    elif kind in (dict, OrderedDict, types.MappingProxyType) or (isinstance(value, dict) and kind.__module__.startswith(_OWN_MAPPINGS)):
        h.update(f"{len(value)}{{".encode())
        for key, item in value.items():
            _feed(h, key, known, depth + 1)
            _feed(h, item, known, depth + 1)
    elif isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type, types.ModuleType)):
        h.update(f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value.__name__)}".encode())
    elif (cached := known.constants.get(id(value))) is not None and cached[0] is value:
        h.update(cached[1])
    else:
        parts, constant = _parts(value)
        inner = _hash() if constant else h
        _feed(inner, parts, known, depth + 1)
        if constant:  # taken once per build
            known.constants[id(value)] = (value, inner.digest())
            h.update(inner.digest())


def _feed_documents(h: hashlib.blake2b, value: list[Any], known: Known) -> bool:
    """A list of watched documents (the articles, a page's posts) in one go: its digest taken once
    while it holds the same documents in the same order.  False when it holds anything else."""
    ids = tuple(map(id, value))
    cached = known.lists.get(id(value))
    if cached is None or cached[0] != ids:
        listed = [known.tokens.get(i) for i in ids]
        if None in listed:
            return False
        text = "\0".join(listed)  # type: ignore[arg-type]
        cached = known.lists[id(value)] = (ids, hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest())
    h.update(b"\0documents:" + cached[1])
    return True


def _parts(value: Any) -> tuple[tuple[Any, ...], bool]:
    """What an object a template gets shows (Pelican's by their data, a dataclass by its fields), and
    whether it stays the same all build long."""
    from pelican.paginator import Page, Paginator
    from pelican.urlwrappers import URLWrapper

    from ..theme_context import CUSTOM_INCLUDES, ThemeSite

    if isinstance(value, URLWrapper):
        return (value.name, value.slug), False
    if isinstance(value, Paginator):
        return (value.name, value.url, value.object_list, value.per_page, value.orphans), False
    if isinstance(value, Page):
        return (value.full_name, value.base_url, value.object_list, value.number, _parts(value.paginator)[0]), False
    if isinstance(value, ThemeSite):  # site_variables: read by the Liquid includes, which note their reads
        custom = tuple(file_token(str(value.root / relative)) for relative in CUSTOM_INCLUDES.values())
        return (str(value.root), value.config, value.data, value.include_dirs, value.kramdown, value.limits, value.navigation, custom), True
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple(getattr(value, field.name) for field in dataclasses.fields(value)), False
    if hasattr(value, "pattern") and hasattr(value, "flags") and type(value).__name__ == "Pattern":
        return (value.pattern, value.flags), False
    raise Unusable(f"a {type(value).__qualname__} value")


def digest(value: Any, known: Known | None = None, depth: int = 0) -> str:
    """The digest of *value* (:class:`Unusable` when it cannot be compared between builds)."""
    h = _hash()
    _feed(h, value, known or Known(), depth)
    return str(h.hexdigest())


def file_token(path: str) -> str:
    """The digest of a file's bytes, ``missing`` when there is none."""
    try:
        with open(path, "rb") as file:
            return str(hashlib.blake2b(file.read(), digest_size=16).hexdigest())
    except OSError:
        return "missing"


class Places:
    """The site's folder and the library's, named by a marker in what the memo keeps: an output folder
    may be published whole, with no path of the machine that built it."""

    def __init__(self, site: str | Path | None = None):
        from ..resources import THEME_PATH

        self.folders = [
            (f"\0{name}\0", os.path.abspath(folder)) for name, folder in (("site", site), ("library", THEME_PATH.parent)) if folder
        ]

    def portable(self, path: str) -> str:
        for marker, folder in self.folders:
            if path.startswith(folder + os.sep):
                return marker + path[len(folder) :]
        return path

    def local(self, path: str) -> str:
        for marker, folder in self.folders:
            if path.startswith(marker):
                return folder + path[len(marker) :]
        return path


class _Reads:
    """What one page's rendering read, in order (its digest is taken after, by :meth:`PageMemo.digest`)."""

    def __init__(self, tokens: Mapping[int, str], root: Mapping[str, Any], globals_: Mapping[str, Any]):
        self.tokens, self.root, self.globals = tokens, root, globals_
        self.keys: dict[tuple[Any, ...], None] = {}  # each read once, in the order first made
        self.inside = False  # in a document's own code: its reads make its value, not the page's
        self.unusable: str | None = None
        self.changed = False  # the rendering set a document's attribute

    def name(self, key: str, value: Any) -> None:
        """A name of the context: noted when it is the page's own, not a variable a template set."""
        own = self.root[key] if key in self.root else self.globals.get(key, MISSING)
        if own is value:
            self.keys["n", key] = None

    def attribute(self, document: Any, name: str) -> None:
        token = self.tokens.get(id(document))
        if token is None:
            self.unusable = "a document the memo does not know"
        else:
            self.keys["a", token, name] = None


def _watched_getattribute(self: Any, name: str) -> Any:
    reads = _ACTIVE
    if reads is None or reads.inside or name.startswith("__"):
        return object.__getattribute__(self, name)
    reads.inside = True
    try:
        value = object.__getattribute__(self, name)
    except AttributeError:
        reads.inside = False
        reads.attribute(self, name)
        raise
    finally:
        reads.inside = False
    if isinstance(value, types.MethodType) and value.__self__ is self:  # what its calls give is not known
        reads.unusable = f"a call of a document's {name}"
    reads.attribute(self, name)
    return value


def _watched_setattr(self: Any, name: str, value: Any) -> None:
    reads = _ACTIVE
    if reads is not None and not reads.inside:
        reads.changed = True
        reads.unusable = f"the rendering set a document's {name}"
    object.__setattr__(self, name, value)


_WATCHING: dict[type, type] = {}  # a document class -> its watching subclass


def watch(documents: Iterable[Any], places: Places | None = None) -> dict[int, str]:
    """Give each document a watching class (a subclass of the same name: Pelican finds settings by
    class name); its token (class and source file) by ``id``.  One with no source file, or sharing
    its token with another, is not watched: a page that reads it is rendered in every build."""
    from pelican.contents import Content, Static

    found: dict[str, dict[int, Any]] = {}
    for document in documents:
        if isinstance(document, Content) and not isinstance(document, Static) and isinstance(document.source_path, str):
            name = (places or Places()).portable(document.source_path)
            found.setdefault(f"{type(document).__name__}:{name}", {})[id(document)] = document
    tokens: dict[int, str] = {}
    for token, same in found.items():
        (document,) = same.values() if len(same) == 1 else (None,)
        if document is None or hasattr(type(document), "__getattr__"):
            continue
        cls = type(document)
        if cls not in _WATCHING.values():
            if cls not in _WATCHING:
                namespace = {"__getattribute__": _watched_getattribute, "__setattr__": _watched_setattr, "__module__": cls.__module__}
                _WATCHING[cls] = type(cls.__name__, (cls,), namespace)
                _WATCHING[cls].__qualname__ = cls.__qualname__
            document.__class__ = _WATCHING[cls]
        tokens[id(document)] = token
    return tokens


def unwatch(documents: Iterable[Any]) -> None:
    """The documents' own classes back."""
    plain = {watching: cls for cls, watching in _WATCHING.items()}
    for document in documents:
        if type(document) in plain:
            document.__class__ = plain[type(document)]


class WatchingContext(Context):
    """Jinja's context: each name a template looks up (or tests) is a read of the page being rendered."""

    def resolve_or_missing(self, key: str) -> Any:
        if key in self.vars:
            return self.vars[key]
        reads = _ACTIVE
        value = self.parent.get(key, MISSING)
        if reads is not None and not reads.inside:
            reads.name(key, value)
        return missing if value is MISSING else value

    def __contains__(self, name: str) -> bool:
        return self.resolve_or_missing(name) is not missing


class PageMemo:
    """The pages of the last build into an output folder with their reads, and those of this build."""

    def __init__(self, folder: Path, build_key: str, site_documents: Callable[[], str], places: Places):
        self.file = folder / MEMO_FILE
        self.places = places  # entries name the site's and the library's files by a marker
        self.build_key = build_key
        self.site_documents = site_documents  # the digest of every document (a Liquid read site.posts)
        self.previous = self._load()
        self.entries: dict[str, dict[str, Any]] = {}
        self.known = Known()
        self.documents: dict[str, Any] = {}
        self.kept = self.unusable = 0
        self.clock = self.warned = self.changed = False

    def _load(self) -> dict[str, Any]:
        """The last build's entries by absolute path (none when unreadable or from another build).
        A pickle this module wrote, inside the output folder (the content cache's rule)."""
        try:
            with open(self.file, "rb") as file:
                stored = pickle.load(file)
            if stored.get("format") != FORMAT or stored.get("build") != self.build_key:
                return {}
            folder = self.file.parent.parent
            return {str(folder / relative): entry for relative, entry in stored["pages"].items()}
        except Exception:  # unreadable, truncated, of another version: no memo, every page rendered
            return {}

    def start(self, documents: Iterable[Any]) -> None:
        """Watch the build's documents (before its first page is written)."""
        listed = list(documents)
        self.known = Known(watch(listed, self.places))
        self.documents = {token: document for document in listed if (token := self.known.tokens.get(id(document)))}

    def unchanged(self, path: str, template: str, root: Mapping[str, Any], globals_: Mapping[str, Any]) -> bool:
        """Whether the page at *path* (absolute) would be rendered as it is: then its entry is kept."""
        entry = self.previous.get(path)
        if not isinstance(entry, dict) or entry.get("template") != template or path in self.entries:
            return False
        try:
            state = os.stat(path)
        except OSError:
            return False
        if [state.st_size, state.st_mtime_ns] != entry.get("file") or self._replay(entry["keys"], root, globals_) != entry.get("digest"):
            return False
        self.entries[path] = entry
        self.kept += 1
        return True

    def _replay(self, keys: Iterable[tuple[Any, ...]], root: Mapping[str, Any], globals_: Mapping[str, Any]) -> str | None:
        """One digest of what the reads give now (None when one of them cannot be compared)."""
        h = _hash()
        try:
            for key in keys:
                _feed(h, self._value(key, root, globals_), self.known)
        except Exception as err:  # a read that fails now, a value that cannot be compared
            logger.debug("page memo: a read gives no digest (%s)", err)
            return None
        return str(h.hexdigest())

    def _value(self, key: tuple[Any, ...], root: Mapping[str, Any], globals_: Mapping[str, Any]) -> Any:
        kind = key[0]
        if kind == "n":
            return root[key[1]] if key[1] in root else globals_.get(key[1], MISSING)
        if kind == "f":
            return file_token(self.places.local(key[1]))
        if kind == "w":
            return self.site_documents()
        document = self.documents[key[1]]
        if kind == "a":
            try:
                return getattr(document, key[2])
            except AttributeError:
                return MISSING
        raise Unusable(f"an unknown read {kind!r}")

    @contextmanager
    def recording(self, path: str, template: str, root: Mapping[str, Any], globals_: Mapping[str, Any]) -> Iterator[None]:
        """Render the page inside the block: its reads are noted and kept as its entry."""
        from .logs import WarningSeen
        from .recording import recording

        global _ACTIVE
        reads = _Reads(self.known.tokens, root, globals_)
        outer, _ACTIVE = _ACTIVE, reads
        try:
            with WarningSeen() as watcher, recording() as uses:
                yield
        finally:
            _ACTIVE = outer
        for file in sorted(uses.files):
            reads.keys["f", self.places.portable(file)] = None
        if uses.site_wide:
            reads.keys["w",] = None
        self.clock |= uses.clock
        self.warned |= watcher.seen
        self.changed |= reads.changed
        if uses.clock or watcher.seen:
            reads.unusable = "the clock (site.time)" if uses.clock else "a warning"
        keys = list(reads.keys)
        digest = None if reads.unusable else self._replay(keys, root, globals_)
        if digest is None or path in self.entries:
            self.unusable += 1
            self.entries.pop(path, None)
            logger.debug("page memo: %s is rendered in every build: %s", path, reads.unusable or "a read gives no digest, or written twice")
            return
        self.entries[path] = {"template": template, "keys": keys, "digest": digest}

    def save(self) -> None:
        """Keep this build's entries with their files' sizes and times (none after a warning or a
        rendering that changed a document)."""
        if self.warned or self.changed:
            self.file.unlink(missing_ok=True)
            return
        if self.kept == len(self.entries) == len(self.previous):
            return  # every page kept as it was: the memo is the last build's
        pages: dict[str, Any] = {}
        folder = self.file.parent.parent
        for path, entry in sorted(self.entries.items()):
            try:
                state = os.stat(path)
            except OSError:
                continue
            pages[os.path.relpath(path, folder)] = {**entry, "file": [state.st_size, state.st_mtime_ns]}
        memo = {"format": FORMAT, "build": self.build_key, "pages": pages}
        replace_atomically(self.file, pickle.dumps(memo, protocol=pickle.HIGHEST_PROTOCOL))

    def finish(self) -> None:
        """The documents' own classes back (the build is over)."""
        unwatch(self.documents.values())
