"""The small-cell thresholds for templates: ``{% load privacy %}`` then ``{% privacy "k" %}``.

Pages say "fewer than {% privacy "k" %} people" rather than a number, so the threshold is
written once (``tandem.core.suppression``) and every page follows it.
"""

from __future__ import annotations

from django import template

from tandem.core.suppression import template_values

register = template.Library()


@register.simple_tag
def privacy(name: str) -> object:
    """One threshold by name: ``k`` (smallest group shown), ``small_max`` (largest hidden
    count) or ``small_cell_note`` (the sentence under a suppressed table)."""
    return template_values()[name]
