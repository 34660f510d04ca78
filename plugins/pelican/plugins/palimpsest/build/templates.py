"""Templates compiled once, kept between builds in ``<output>/.palimpsest-cache/templates/``.

Pelican gives each generator an environment of its own, and each compiles the templates it uses:
the theme's layouts were compiled again by every generator in every build (at 1000 posts, 22
compilations, ~70 ms, the same in a rebuild after one post changed). Jinja's bytecode cache keeps
the compiled code, checked against the template's source; the key also holds what else the code
depends on (:func:`environment_key`), so that another ``JINJA_ENVIRONMENT``, another set of
filters or another Jinja compiles the template again. A cache file that cannot be read is
compiled over, never an error.

A template does not change while a build runs: Jinja's ``auto_reload`` (the template file's time
read at every ``extends`` and ``include``, 9000 times at 1000 posts) is off.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import Environment
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from .cache_folder import CACHE_FOLDER

logger = logging.getLogger(__name__)

__all__ = ["TEMPLATES_FOLDER", "CompiledTemplates", "environment_key", "keep_compiled"]

TEMPLATES_FOLDER = Path(CACHE_FOLDER) / "templates"


def _name(value: Any) -> str:
    """A callable or class by its qualified name (stable across builds), anything else as its repr."""
    if hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    return repr(value)


def environment_key(env: Environment) -> str:
    """What, besides a template's source, its compiled code depends on: Jinja's version, the
    syntax and whitespace options, the extensions, ``finalize``, and the filter and test names
    (compiled code looks them up by name)."""
    parts = [
        jinja2.__version__,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        str(env.line_statement_prefix),
        str(env.line_comment_prefix),
        str(env.trim_blocks),
        str(env.lstrip_blocks),
        env.newline_sequence,
        str(env.keep_trailing_newline),
        str(env.optimized),
        str(env.is_async),
        _name(env.undefined),
        _name(env.finalize),
        _name(env.code_generator_class),
        _name(env.context_class),
        *sorted(env.extensions),
        "filters",
        *sorted(env.filters),
        "tests",
        *sorted(env.tests),
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


class CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's file system bytecode cache for one environment: the key of a template is its name,
    its file, whether it is autoescaped and :func:`environment_key`."""

    def __init__(self, env: Environment, directory: Path):
        super().__init__(str(directory), "%s.jinja")
        self.env = env

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        autoescape = self.env.autoescape(name) if callable(self.env.autoescape) else self.env.autoescape
        parts = [environment_key(self.env), name, filename or "", str(bool(autoescape))]
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception as err:  # a damaged or foreign file: compiled again, and written over
            logger.debug("compiled template %s not used: %s", bucket.key, err)
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError as err:  # the cache is an optimisation: the build goes on without it
            logger.debug("compiled template %s not kept: %s", bucket.key, err)


def keep_compiled(env: Environment, output_path: str | os.PathLike[str], *, cache: bool = True) -> None:
    """Set up *env* for one build writing to *output_path*: no reload checks, and (with *cache*)
    its compiled templates kept in :data:`TEMPLATES_FOLDER`."""
    env.auto_reload = False
    if cache:
        env.bytecode_cache = CompiledTemplates(env, Path(output_path) / TEMPLATES_FOLDER)
