"""Members write notes in Markdown; this turns it into safe HTML.

Raw HTML in the source is escaped, not passed through; the result is then cleaned with an
allow-list (nh3), so no script, style, image or event handler can reach a page, and every
link carries rel="noopener noreferrer nofollow".
"""

from __future__ import annotations

from typing import Any

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "del",
}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"


class _NoRawHtml(markdown_lib.Extension):
    """Treat HTML typed into a note as text: drop Markdown's raw-HTML passthrough."""

    def extendMarkdown(self, md: Any) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render_markdown(source: str) -> SafeString:
    html = markdown_lib.markdown(
        source or "", extensions=[_NoRawHtml(), "sane_lists"], output_format="html"
    )
    # Headings from a note sit below the page's own h1/h2, so # becomes h3 at most.
    for level in (2, 1):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3's allow-list just above
