"""The small-cell rule for templates, so no page writes its own number.

``{% load figures %}`` then ``{% suppression_k %}`` (11: the smallest group a figure may show)
or ``{% suppression_threshold %}`` (10: the largest count that is hidden); both accept
``as name`` for use in conditions.
"""

from django import template

from tandem.core.suppression import DEFAULT_THRESHOLD, K

register = template.Library()


@register.simple_tag
def suppression_k() -> int:
    return K


@register.simple_tag
def suppression_threshold() -> int:
    return DEFAULT_THRESHOLD
