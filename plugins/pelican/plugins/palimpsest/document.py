"""The pipeline for one document: file -> front matter -> Liquid -> Markdown -> enhancements.

``render_document`` is shared by the Pelican reader, ``palimpsest render``
and the tests, so every entry point renders a file the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .build.rendered import RenderedDocument
from .common.text import escape_html, visible_text
from .errors import DocumentError
from .features import DOCUMENT_FEATURES, MarkdownPlugin, document_parts, markdown_plugins
from .jekyll.config import positive_integer
from .jekyll.frontmatter import FrontMatter, decode_source, split_front_matter
from .jekyll.page import derive_page
from .jekyll.site import DocumentPlace, JekyllSite
from .jekyll.values import check_page_values, ruby_text
from .kramdown import KramdownOptions, render_markdown
from .limits import SETTINGS
from .liquid import has_liquid_markup
from .reading_time import CJK_CHARACTERS_PER_MINUTE, WORDS_PER_MINUTE, jekyll_reading_minutes, reading_minutes
from .report import note_unknown_tag

if TYPE_CHECKING:  # the Liquid stack loads with the first document that holds Liquid markup
    from liquid.exceptions import LiquidError

    from .liquid.include_tag import BuiltinInclude
    from .liquid.stash import HtmlStash
    from .liquid.where import IncludeFrame


@dataclass
class DocumentContext:
    """One document on its way through the pipeline: the features' hooks read and fill it."""

    path: Path
    site: JekyllSite
    front: FrontMatter
    page: dict[str, Any]  # Jekyll's ``page`` variables, which become the metadata
    lang: str | None
    kramdown: KramdownOptions
    includes: dict[str, BuiltinInclude] = field(default_factory=dict)  # includes served in Python
    env: dict[str, Any] = field(default_factory=dict)  # markdown-it's render env: what the plugins found


def read_source(path: Path) -> str:
    """The file's text; undecodable bytes are an error naming the line."""
    return decode_source(path.read_bytes(), path)


def render_document(
    path: Path,
    site: JekyllSite,
    *,
    plain: bool = False,
    text: str | None = None,
    features: Iterable[str] = DOCUMENT_FEATURES,
) -> RenderedDocument:
    """Render *path* (or *text*, as if it were *path*'s content) within *site*.

    *features* names the features to apply (see ``features.py``); *plain*
    turns them all off and gives exactly what Jekyll + kramdown produce.
    """
    path = Path(path)
    names = frozenset(features)
    parts = () if plain else document_parts(names)
    source = read_source(path) if text is None else text
    front = split_front_matter(source, path, site.limits.front_matter_size)
    place = site.place(path)
    page: dict[str, Any] = dict(site.front_matter_defaults(place))
    page.update(front.data)
    derive_page(page, path, site, place, front)
    check_page_values(page, path, front)
    lang = page.get("lang") or site.config.get("locale") or site.config.get("lang")
    kramdown = KramdownOptions.from_config(site.kramdown_config)
    document = DocumentContext(path, site, front, page, ruby_text(lang) if lang else None, kramdown)
    for part in parts:
        for hook in part.before_liquid:
            hook(document)

    stash: HtmlStash | None = None  # what Liquid's tags produced: none without Liquid markup
    body = front.body
    if front.present and has_liquid_markup(body):
        body, stash = _render_liquid(document, source, place)
    document.env.update(lang=lang, source_path=str(path), line_offset=front.body_line - 1)
    excerpt_env = dict(document.env)  # what the plugins start from, for a separated excerpt's own render
    _check_size(body, path, front, site)
    # an HTML page (``index.html`` with front matter) is Liquid only, as Jekyll converts it
    html = render_markdown(body, kramdown, document.env, () if plain else markdown_plugins(names)) if _is_markdown(path) else body
    if stash:
        html = stash.restore(html)
    for part in parts:
        for hook in part.after_markdown:
            hook(document)
    page.setdefault("headings", document.env.get("headings", []))  # for a theme's table of contents
    if "excerpt" in page:  # the front matter's own excerpt is text: HTML like a rendered one
        page["excerpt"] = escape_html(ruby_text(page["excerpt"]))
    else:
        excerpt = _excerpt(body, html, site, kramdown, () if plain else markdown_plugins(names), excerpt_env)
        page["excerpt"] = stash.restore(excerpt) if stash else excerpt
    page["reading_time"] = _reading_time(visible_text(html), page, site)
    return RenderedDocument(path, html, page, front.body_line)


def _is_markdown(path: Path) -> bool:
    """Whether Jekyll converts *path* with kramdown: an ``.html`` page is Liquid only."""
    return path.suffix.lower() not in (".html", ".htm")


_BLOCK_START = re.compile(r"^<(p|h[1-6]|ul|ol|blockquote|div|table)\b", re.MULTILINE)


def _excerpt(
    body: str, html: str, site: JekyllSite, kramdown: KramdownOptions, plugins: tuple[MarkdownPlugin, ...], env: dict[str, Any]
) -> str:
    """Jekyll's excerpt: what comes before ``excerpt_separator`` (a blank line by default), rendered
    with the same features as the body (math as MathML, emoji) so that it reads the same."""
    separator = str(site.config.get("excerpt_separator") or "\n\n")
    if separator.strip():  # e.g. <!--more-->: render what precedes it
        return render_markdown(body.split(separator, 1)[0], kramdown, dict(env), plugins) if separator in body else html
    return _first_block(html)


def _first_block(html: str) -> str:
    """The first block element of *html* that starts a line, up to its first end tag.  Linear: an
    element whose end tag is missing is searched for once (no later one of that name can have it)."""
    unclosed: set[str] = set()
    for start in _BLOCK_START.finditer(html):
        name = start.group(1)
        if name in unclosed:
            continue
        end = html.find(f"</{name}>", start.end())
        if end < 0:
            unclosed.add(name)
            continue
        return html[start.start() : end + len(name) + 3]
    return ""


def _reading_time(text: str, page: dict[str, Any], site: JekyllSite) -> int:
    """A page's own ``words_per_minute`` reproduces Jekyll's number; otherwise count by script."""
    own = positive_integer(page.get("words_per_minute"))  # page.words_per_minute, front matter or defaults
    if own is not None:
        return jekyll_reading_minutes(text, own)
    speeds = site.config.get("reading_speed")
    speeds = speeds if isinstance(speeds, dict) else {}
    latin = positive_integer(speeds.get("latin")) or positive_integer(site.config.get("words_per_minute"))
    return reading_minutes(text, latin or WORDS_PER_MINUTE, positive_integer(speeds.get("cjk")) or CJK_CHARACTERS_PER_MINUTE)


def _check_size(body: str, path: Path, front: FrontMatter, site: JekyllSite) -> None:
    """Markdown costs time in proportion to its length (about ten seconds a million characters of
    table): a body beyond the limit is refused at the line where it crosses it, rather than hold the build."""
    bound = site.limits.markdown_size
    if len(body) > bound:
        line = front.body_line + body.count("\n", 0, bound)
        raise DocumentError(
            path, line, f"{len(body)} characters to render as Markdown, more than {bound} (set {SETTINGS['markdown_size']} to allow more)"
        )


def _render_liquid(document: DocumentContext, source: str, place: DocumentPlace) -> tuple[str, HtmlStash]:
    """The document's body through Liquid, and the HTML its tags set aside for after Markdown; a
    Liquid error is the document's, at the line of the tag at fault."""
    from liquid.exceptions import LiquidError

    from .liquid.environment import jekyll_environment, render_liquid
    from .liquid.stash import HtmlStash
    from .liquid.where import IncludeError, describe_frames

    path, site, front, page = document.path, document.site, document.front, document.page
    stash = HtmlStash(source)
    try:
        body = render_liquid(
            jekyll_environment(site.include_dirs, site.limits),
            front.body,
            {"site": site.variables, "page": site.page_variables(page, place), "content": ""},
            document.kramdown,
            stash,
            document.includes,
        )
    except IncludeError as err:
        where = describe_frames(err.frames, lambda frame: _shown(frame, site))
        last = err.frames[-1]  # the include that holds the tag (the migration report names it)
        note_unknown_tag(str(err.message), last.file or path, last.line if last.file else _liquid_line(err, front))
        raise DocumentError(path, _liquid_line(err, front), f"Liquid error in {where}: {err.message}") from None
    except LiquidError as err:
        note_unknown_tag(str(err.message), path, _liquid_line(err, front))
        raise DocumentError(path, _liquid_line(err, front), f"Liquid error: {err.message}") from None
    return body, stash


def _liquid_line(err: LiquidError, front: FrontMatter) -> int:
    """The file line of the tag at fault (of the include tag, for an error inside an include)."""
    from .liquid.where import error_line

    return front.body_line + (error_line(err, front.body) or 1) - 1


def _shown(frame: IncludeFrame, site: JekyllSite) -> str:
    """An include file as the site's author knows it: its path in the site, else its name."""
    if frame.file is not None and frame.file.is_relative_to(site.root):
        return frame.file.relative_to(site.root).as_posix()
    return frame.name
