"""Language codes: ``zh-CN``, ``fr_FR``, ``en`` … as the two letters the library works with."""

from __future__ import annotations

# The languages the library speaks itself (UI words, update phrases, table words).
LANGUAGES = ("zh", "fr", "en")
DEFAULT_LANGUAGE = "en"


def primary_subtag(code: object, default: str = DEFAULT_LANGUAGE) -> str:
    """``zh-Hans-CN`` / ``fr_FR`` / ``EN`` → ``zh`` / ``fr`` / ``en``; empty or missing → *default*."""
    short = str(code or "").replace("_", "-").split("-")[0].strip().lower()
    return short or default


def supported_language(code: object) -> str:
    """One of :data:`LANGUAGES`: the code's language when the library speaks it, else English."""
    short = primary_subtag(code)
    return short if short in LANGUAGES else DEFAULT_LANGUAGE
