"""Pelican settings for the demo blog: a Jekyll-style site in content/."""

from pathlib import Path

from pelican.plugins.palimpsest.jekyll.site import JekyllSite
from pelican.plugins.palimpsest.resources import THEME_PATH
from pelican.plugins.palimpsest.settings import settings_from_jekyll

_HERE = Path(__file__).resolve().parent

# The site's own _config.yml gives the paths, URL, language and collections,
# exactly as `palimpsest build` would read them ...
globals().update(settings_from_jekyll(JekyllSite.load(_HERE / "content"), _HERE / "output"))

# ... and ordinary Pelican settings can follow.
THEME = str(THEME_PATH)
PLUGINS = ["pelican.plugins.palimpsest"]

# Each feature of pelican-palimpsest can be switched off here.
PALIMPSEST_FEATURES = {
    "jekyll": True,
    "notices": True,
    "updates": True,
    "tables": True,
    "revisions": True,
    "search": True,
}

DEFAULT_PAGINATION = 10

# Developing locally: links relative to the output folder; publishconf.py sets the real URL.
SITEURL = ""
RELATIVE_URLS = True
