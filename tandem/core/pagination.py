"""Long lists on pages: one page of rows, and the links to the others."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

# Rows of a long list on one page: a coordinator's cohort of thousands stays quick to load and
# to scroll on a phone; the search box finds anyone on any page.
ROWS_PER_PAGE = 100


def page_of(
    request: HttpRequest, items: QuerySet[Any] | Sequence[Any], per_page: int
) -> tuple[Page[Any], str]:
    """The page ?page= asks for (the last one when past the end, the first when not a number),
    and the request's other query parameters, for links that keep the user's filters."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
