"""Settings for publishing: the demo's settings with the site's real, absolute URL."""

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(_HERE))
from pelicanconf import *  # noqa: E402,F403

from pelican.plugins.palimpsest.jekyll.site import JekyllSite  # noqa: E402
from pelican.plugins.palimpsest.settings import settings_from_jekyll  # noqa: E402

SITEURL = settings_from_jekyll(JekyllSite.load(_HERE / "content"), _HERE / "output")["SITEURL"]
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
