"""Where the bundled Jinja2 theme lives (the repository's top-level ``theme/``)."""

from pathlib import Path

THEME_PATH = Path(__file__).resolve().parent / "theme"
