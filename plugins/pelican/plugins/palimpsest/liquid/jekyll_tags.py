"""Jekyll's tags that name other files: ``post_url``, ``link``, ``include_relative``, and
jekyll-gist's ``gist``.

``post_url`` and ``link`` look the target up in the site's documents (jekyll/documents.py) and give
its URL with ``baseurl`` (Jekyll 4); a target that does not exist is an error at the tag's line, as
in Jekyll.  ``include_relative`` reads from the document's own folder, never outside the site.

``gist``: jekyll-gist writes ``<noscript><pre>CODE</pre></noscript>`` (the code fetched from
GitHub at build time) then ``<script src="https://gist.github.com/ID.js"> </script>``.  A build
here never uses the network, so the ``<noscript>`` fallback is a link to the gist instead of its
code; the ``<script>`` is jekyll-gist's, byte for byte.  ``gist: {noscript: false}`` leaves the
fallback out, as in jekyll-gist.
"""

from __future__ import annotations

import html
import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TextIO

from liquid.ast import Node
from liquid.exceptions import LiquidError, LiquidSyntaxError, TemplateNotFoundError
from liquid.stream import TokenStream
from liquid.tag import Tag
from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG, Token

from ..jekyll.containment import JEKYLL_EXCLUDES, jekyll_excluded
from ..jekyll.documents import SiteVariables
from .filters import relative_url
from .include_tag import JekyllIncludeNode, JekyllIncludeTag
from .stash import context_stash

if TYPE_CHECKING:
    from liquid.context import RenderContext
    from liquid.template import BoundTemplate

    from ..jekyll.site import JekyllSite

__all__ = ["GistTag", "IncludeRelativeTag", "LinkTag", "PostUrlTag"]

# post_url.rb's PostComparer::MATCHER: optional folders, the date, the slug.
_POST_NAME = re.compile(r"^(.+/)*(\d+-\d+-\d+)-(.*)$")
# jekyll-gist's determine_arguments.
_GIST_ARGUMENTS = re.compile(r"\A(\S+|.*(?=/).+)\s?(\S*)\Z")


def _jekyll_site(context: RenderContext, token: Token) -> JekyllSite:
    site = context.globals.get("site")
    if isinstance(site, SiteVariables) and site.jekyll is not None:
        return site.jekyll
    raise LiquidError("this tag needs the site's documents, which are not known here", token=token)


def _argument(stream: TokenStream, tag: str) -> tuple[Token, str]:
    token = stream.eat(TOKEN_TAG)
    expression = stream.current
    if expression.kind != TOKEN_EXPRESSION or not expression.value.strip():
        raise LiquidSyntaxError(f"{tag} needs an argument", token=token)
    return token, expression.value.strip()


class _TextNode(Node):
    """A tag whose output is computed from its argument and the site."""

    __slots__ = ("argument",)

    def __init__(self, token: Token, argument: str):
        super().__init__(token)
        self.argument = argument
        self.blank = False

    def __str__(self) -> str:
        return f"{{% {self.token.value} {self.argument} %}}"

    def text(self, context: RenderContext) -> str:
        raise NotImplementedError

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        buffer.write(self.text(context))
        return True


class PostUrlNode(_TextNode):
    def text(self, context: RenderContext) -> str:
        name = self.argument.removeprefix("/")
        match = _POST_NAME.match(name)
        if match is None:
            raise LiquidError(f"post_url: {self.argument!r} does not contain valid date and/or title", token=self.token)
        folders, date, slug = match.group(1) or "", match.group(2), match.group(3)
        basename = rf"{re.escape(date)}-{re.escape(slug)}\.[^.]+"
        pattern = re.compile(rf"^_posts/{re.escape(folders)}{basename}|^{re.escape(folders)}_posts/?{basename}")
        site = _jekyll_site(context, self.token)
        for post in site.documents.collections.get("posts", []):
            if pattern.match(str(post["relative_path"])):
                return str(relative_url(post.get("url"), context=context))
        message = f"could not find post \"{self.argument}\" in tag 'post_url': make sure the post exists and the name is correct"
        raise LiquidError(message, token=self.token)


class PostUrlTag(Tag):
    name = "post_url"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        return PostUrlNode(*_argument(stream, self.name))


class LinkNode(_TextNode):
    def text(self, context: RenderContext) -> str:
        target = self.argument
        if "{{" in target:
            target = context.env.from_string(target).render(**dict(context.globals)).strip()
        relative = target.removeprefix("/")
        site = _jekyll_site(context, self.token)
        document = site.documents.by_path.get(relative)
        if document is not None and _written(site, document):
            return str(relative_url(document.get("url"), context=context))
        if _static_file(site, relative):
            return str(relative_url("/" + relative, context=context))
        message = f"could not find document '{target}' in tag 'link': make sure the document exists and the path is correct"
        raise LiquidError(message, token=self.token)


def _written(site: JekyllSite, document: dict[str, Any]) -> bool:
    """Whether Jekyll writes the document (a page, or a collection with ``output``)."""
    label = document.get("collection")
    collection = site.collections.get(str(label)) if label else None
    return collection is None or collection.output


def _static_file(site: JekyllSite, relative: str) -> bool:
    """A file Jekyll copies as it is: inside the site, no special or excluded part."""
    parts = PurePosixPath(relative).parts
    if not parts or ".." in parts or any(part.startswith((".", "_", "#")) for part in parts):
        return False
    exclude = site.config.get("exclude")
    patterns = [*JEKYLL_EXCLUDES, *(str(item) for item in exclude or [] if isinstance(exclude, list))]
    if jekyll_excluded(relative, patterns):
        return False
    path = site.root / relative
    return path.is_file() and path.resolve().is_relative_to(site.root)


class LinkTag(Tag):
    name = "link"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        return LinkNode(*_argument(stream, self.name))


class IncludeRelativeNode(JekyllIncludeNode):
    """``include`` from the document's folder (include_relative.rb), inside the site only."""

    def file(self, context: RenderContext, name: str) -> Path | None:
        site = _jekyll_site(context, self.token)
        page = context.globals.get("page")
        document_path = str(page.get("path") or "") if isinstance(page, dict) else ""
        folder = (site.root / document_path).parent if document_path else site.root
        path = folder / name
        return path if path.resolve().is_relative_to(site.root) else None

    def template(self, context: RenderContext, name: str) -> BoundTemplate:
        path = self.file(context, name)
        if path is None:
            raise LiquidError(f"include_relative: {name!r} is outside the site; only files of the site can be included", token=self.token)
        if not path.is_file():
            raise TemplateNotFoundError(f"include_relative: no file {name!r} next to this document", token=self.token)
        return context.env.from_string(path.read_bytes().decode("utf-8"), name=str(path))


class IncludeRelativeTag(JekyllIncludeTag):
    name = "include_relative"
    node_class = IncludeRelativeNode


class GistNode(_TextNode):
    def text(self, context: RenderContext) -> str:
        match = _GIST_ARGUMENTS.match(self.argument)
        if match is None:
            raise LiquidError(f"gist: invalid arguments {self.argument!r}; write {{% gist user/1234567 [file] %}}", token=self.token)
        gist, file = (self._value(context, part.strip()) for part in match.groups())
        url = f"https://gist.github.com/{gist}.js" + (f"?file={file}" if file else "")
        script = f'<script src="{url}"> </script>'
        site = context.globals.get("site")
        settings = site.get("gist") if isinstance(site, dict) else None
        if isinstance(settings, dict) and settings.get("noscript") is False:
            output = script
        else:
            page = html.escape(f"https://gist.github.com/{gist}" + (f"#file-{file}" if file else ""))
            label = html.escape(f"{gist}" + (f" ({file})" if file else ""))
            output = f'<noscript><p><a href="{page}">Gist {label}</a></p></noscript>{script}'
        stash = context_stash(context)
        return stash.store(output) if stash is not None else output

    @staticmethod
    def _value(context: RenderContext, part: str) -> str:
        """jekyll-gist reads an argument that names a variable as that variable."""
        if part and part in context.globals:
            return str(context.globals[part])
        try:
            value = context.resolve(part) if part and part.isidentifier() else None
        except (LiquidError, KeyError):
            value = None
        return part if value is None or not isinstance(value, (str, int)) else str(value)


class GistTag(Tag):
    name = "gist"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        return GistNode(*_argument(stream, self.name))
