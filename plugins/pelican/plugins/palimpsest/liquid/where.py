"""Where a Liquid error is: the line of the tag to fix, through includes.

python-liquid reports a block never closed at the end of the text, which has no line: the tag to fix
is the opening one, found here. An error inside an include is raised again at the include tag
(:class:`IncludeError`), keeping the include file's own line, so that the message names the post's
line and the include's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from liquid import Environment
from liquid.exceptions import LiquidError
from liquid.token import TOKEN_TAG, Token

__all__ = ["IncludeError", "IncludeFrame", "describe_frames", "error_line", "in_include"]

_UNCLOSED = re.compile(r"expected tag end(\w+)")


@dataclass(frozen=True)
class IncludeFrame:
    """One include on the way to an error: its name as written, its file if known, the line in it."""

    name: str
    file: Path | None
    line: int | None


class IncludeError(LiquidError):
    """An error inside an include, raised at the include tag; ``frames`` go from the outermost
    include to the one where the error is."""

    def __init__(self, message: object, *, token: Token | None, frames: tuple[IncludeFrame, ...]):
        super().__init__(message, token=token)
        self.frames = frames


def error_line(err: LiquidError, source: str) -> int | None:
    """The line (from 1) of *err* in *source*; for a block never closed, its opening tag's line."""
    context = err.context()
    if context:
        return context[0]
    unclosed = _UNCLOSED.match(str(err.message))
    return _unclosed_line(source, unclosed.group(1)) if unclosed else None


def _unclosed_line(source: str, block: str) -> int | None:
    """The line of the last ``{% block %}`` of *source* without its ``{% endblock %}``."""
    open_at: list[int] = []
    try:
        for token in Environment().tokenizer()(source):  # python-liquid's own lexer
            if token.kind == TOKEN_TAG and token.value == block:
                open_at.append(token.start_index)
            elif token.kind == TOKEN_TAG and token.value == f"end{block}" and open_at:
                open_at.pop()
    except LiquidError:
        return None
    return source.count("\n", 0, open_at[-1]) + 1 if open_at else None


def in_include(err: LiquidError, name: str, file: Path | None, source: str, tag: Token) -> IncludeError:
    """*err*, raised inside the include *name* (text *source*), as an error at the include *tag*."""
    if isinstance(err, IncludeError):  # from an include within this one: its tag is in *source*
        frames = (IncludeFrame(name, file, error_line(err, source)), *err.frames)
    else:
        frames = (IncludeFrame(name, file, error_line(err, source)),)
    return IncludeError(err.message, token=tag, frames=frames)


def describe_frames(frames: tuple[IncludeFrame, ...], shown: Callable[[IncludeFrame], str]) -> str:
    """``_includes/a.html:3, then _includes/b.html:1``; an include repeated (a loop) is counted once."""
    parts: list[str] = []
    count: list[int] = []
    for frame in frames:
        text = f"{shown(frame)}:{frame.line}" if frame.line else shown(frame)
        if parts and parts[-1] == text:
            count[-1] += 1
        else:
            parts.append(text)
            count.append(1)
    return ", then ".join(part if n == 1 else f"{part} ({n} times nested)" for part, n in zip(parts, count, strict=True))
