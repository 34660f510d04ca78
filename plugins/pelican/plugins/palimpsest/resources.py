"""Where the files shipped with the package live: the theme and the includes."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
THEME_PATH = _PACKAGE / "theme"  # a Pelican theme: templates/ and static/
INCLUDES_PATH = _PACKAGE / "includes"  # Liquid includes used when a site has none of that name
