"""Build tests/fixtures/jekyll-site with real Jekyll and store what it wrote.

Usage: python tools/jekyll_site_fixture.py

Needs Debian's ``jekyll`` (4.3) with ``ruby-jekyll-feed``, ``ruby-jekyll-sitemap``,
``ruby-jekyll-paginate`` and ``ruby-jekyll-gist``.  ``jemoji`` is not packaged in
Debian: Jekyll builds the fixture without it (its shortcodes stay as text in
Jekyll's output, which changes no file and no URL), through an extra config file
that lists the other plugins.  The site is copied to a temporary folder first, so
that Jekyll writes nothing (``.jekyll-cache``, ``_site``) into the repository.

Writes, into tests/fixtures/jekyll-site.expected/:

* ``files.txt``: every file Jekyll writes, one path a line, relative to ``_site``;
* ``lists.json``: for each page holding lists, list name -> the URL paths it links
  to, in Jekyll's order.  The fixture's own ``_layouts/`` mark their lists with
  ``class="fixture-list" data-list="NAME"``; the feeds give their entries' links,
  the sitemap its ``<loc>``s.  URLs are paths (``/tds/``): the site's ``url`` removed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "tests" / "fixtures" / "jekyll-site"
EXPECTED = ROOT / "tests" / "fixtures" / "jekyll-site.expected"
#: jemoji is not in Debian: Jekyll's build goes without it.
PLUGINS_FOR_JEKYLL = "plugins: [jekyll-feed, jekyll-sitemap, jekyll-paginate, jekyll-gist]\n"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def build(destination: Path) -> None:
    """Real Jekyll's build of the fixture into *destination*."""
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "site"
        shutil.copytree(SITE, source)
        override = Path(scratch) / "without-jemoji.yml"
        override.write_text(PLUGINS_FOR_JEKYLL, encoding="utf-8")
        subprocess.run(
            [
                "jekyll",
                "build",
                "--disable-disk-cache",
                "--source",
                str(source),
                "--destination",
                str(destination),
                "--config",
                f"{source / '_config.yml'},{override}",
            ],
            check=True,
            env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "JEKYLL_ENV": "production", "TZ": "UTC"},
        )


def path_of(url: str) -> str:
    """The path of an absolute or root-relative URL."""
    return urlparse(url).path


def html_lists(page: Path) -> dict[str, list[str]]:
    """The page's ``fixture-list`` elements: name -> linked URL paths."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    lists: dict[str, list[str]] = {}
    for number, element in enumerate(soup.select(".fixture-list")):
        name = str(element.get("data-list") or f"list-{number}")
        lists.setdefault(name, []).extend(path_of(str(a["href"])) for a in element.find_all("a", href=True))
    return lists


def feed_entries(feed: Path) -> list[str]:
    """The URL paths of a jekyll-feed Atom feed's entries."""
    tree = ET.parse(feed)
    return [
        path_of(link.get("href", ""))
        for entry in tree.iter(f"{ATOM}entry")
        for link in entry.iter(f"{ATOM}link")
        if link.get("rel", "alternate") == "alternate"
    ]


def sitemap_urls(sitemap: Path) -> list[str]:
    """The URL paths a jekyll-sitemap sitemap lists."""
    return [path_of(loc.text or "") for loc in ET.parse(sitemap).iter(f"{SITEMAP}loc")]


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "_site"
        build(output)
        files = sorted(path.relative_to(output).as_posix() for path in output.rglob("*") if path.is_file())
        lists: dict[str, dict[str, list[str]]] = {}
        for name in files:
            path = output / name
            if name.endswith(".html"):
                found = html_lists(path)
                if found:
                    lists[name] = found
            elif name == "sitemap.xml":
                lists[name] = {"sitemap": sitemap_urls(path)}
            elif name.endswith(".xml") and (name == "feed.xml" or name.startswith("feed/")):
                lists[name] = {"feed": feed_entries(path)}
    EXPECTED.mkdir(exist_ok=True)
    (EXPECTED / "files.txt").write_text("".join(f"{name}\n" for name in files), encoding="utf-8")
    (EXPECTED / "lists.json").write_text(json.dumps(lists, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{EXPECTED}: {len(files)} files, {sum(len(v) for v in lists.values())} lists on {len(lists)} pages", file=sys.stderr)


if __name__ == "__main__":
    main()
