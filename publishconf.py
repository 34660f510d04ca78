"""Settings for publishing: the demo's settings with the site's real, absolute URL."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pelicanconf import *  # noqa: E402,F403
from pelicanconf import _HERE  # noqa: E402

SITEURL = settings_from_jekyll(JekyllSite.load(_HERE / "content"), _HERE / "output")["SITEURL"]  # noqa: F405
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
