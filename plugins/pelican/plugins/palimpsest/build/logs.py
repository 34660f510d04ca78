"""Log records captured while some work runs, to be said later, in the order a serial build says them.

A document rendered in a worker process, or taken from the content cache, logs
nothing itself: its records are kept (:func:`capture`), made portable (message
formatted, traceback as text: :func:`portable`) and handled by the parent at
the point a serial build would have logged them (:func:`replay`), so that the
messages, their order and the CLI's error count are the same.
"""

from __future__ import annotations

import logging
import pickle
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["Capture", "capture", "portable", "replay"]


class Capture(logging.Handler):
    """A handler that keeps every record it is given."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(portable(record))


@contextmanager
def capture() -> Iterator[list[logging.LogRecord]]:
    """While the block runs, records reaching the root logger are kept (in the list given) instead of
    handled; loggers that do not propagate keep their own handlers.  Pelican's repeated-message
    filter forgets what it saw meanwhile: it judges the records when they are replayed."""
    root = logging.getLogger()
    handler = Capture()
    saved = root.handlers[:]
    root.handlers[:] = [handler]
    seen = _seen_messages()
    try:
        yield handler.records
    finally:
        root.handlers[:] = saved
        seen.restore()


class _SeenMessages:
    """Pelican's repeated-message filter (``LimitFilter``) as it was: what a capture let through is
    still new to it when replayed, as it would be in a serial build."""

    def __init__(self, limit_filter: Any) -> None:
        self._filter = limit_filter
        self._raised = set(limit_filter._raised_messages) if limit_filter is not None else set()
        self._counts = dict(limit_filter._group_count) if limit_filter is not None else {}

    def restore(self) -> None:
        if self._filter is not None:
            self._filter._raised_messages.clear()
            self._filter._raised_messages.update(self._raised)
            self._filter._group_count.clear()
            self._filter._group_count.update(self._counts)


def _seen_messages() -> _SeenMessages:
    log = sys.modules.get("pelican.log")  # only when Pelican's logging is in use
    return _SeenMessages(getattr(log, "LimitFilter", None))


_FORMATTER = logging.Formatter()
_KEPT = ("name", "msg", "levelname", "levelno", "pathname", "filename", "module", "lineno", "funcName", "exc_text", "stack_info")


def portable(record: logging.LogRecord) -> logging.LogRecord:
    """*record* as it can be pickled: message formatted, traceback as text, extras that cannot be pickled dropped."""
    if record.args:
        record.msg, record.args = record.getMessage(), None
    else:
        record.msg = str(record.msg)
    if record.exc_info:
        record.exc_text = record.exc_text or _FORMATTER.formatException(record.exc_info)
        record.exc_info = None
    try:
        pickle.dumps(record)
    except Exception:  # an extra= value of some other library's making: the message is what matters
        plain = logging.makeLogRecord({})
        for name in _KEPT:
            setattr(plain, name, getattr(record, name, None))
        plain.args = None
        return plain
    return record


def replay(records: Iterable[logging.LogRecord]) -> None:
    """Handle *records* now, as their loggers would have: their filters (Pelican's repeated-message
    filter), the handlers they reach, and ``pelican --fatal``'s stop on a warning or an error."""
    from pelican.log import FilteredMessage

    for record in records:
        now = time.time()
        record.created, record.msecs = now, (now - int(now)) * 1000
        record.relativeCreated = (now - logging._startTime) * 1000  # type: ignore[attr-defined]
        logger = logging.getLogger(record.name)
        try:
            logger.handle(record)
        except FilteredMessage:  # Pelican's loggers say a filtered record so
            continue
        fatal = getattr(type(logger), "fatal_lvl", None)
        if isinstance(fatal, int) and record.levelno >= fatal and record.levelno != logging.CRITICAL:
            raise RuntimeError("Warning or error encountered")  # as Pelican's FatalLogger does


class WarningSeen(logging.Handler):
    """Notes whether a WARNING or worse was logged while installed (the record is still said as usual)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True

    def __enter__(self) -> WarningSeen:
        self.seen = False
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger().removeHandler(self)
