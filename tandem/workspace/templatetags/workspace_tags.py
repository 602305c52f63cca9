"""Template tags for the workspace: Markdown rendering of members' own text, and its tabs."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from tandem.workspace.markdown import render_markdown
from tandem.workspace.sections import ShownSection
from tandem.workspace.sections import workspace_sections as sections_shown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(source: str) -> SafeString:
    return render_markdown(source)


@register.simple_tag(takes_context=True)
def workspace_sections(context: template.Context, partnership_id: int) -> list[ShownSection]:
    """The workspace tabs for the page being rendered."""
    match = getattr(context.get("request"), "resolver_match", None)
    return sections_shown(
        partnership_id=partnership_id,
        view_name=match.view_name if match else "",
        writable=bool(context.get("writable")),
    )
