"""A small privacy crawler: every page an actor can reach, to search for planted markers.

It visits seed pages, follows every same-site link and image on the pages it gets, fills
each URL pattern's parameters with ids and slugs from the database (so pages no link leads to
are tried too), and opens the admin's changelists and change pages. GET only, so it changes
nothing. Meant to be replaced by the shared privacy crawler once that exists.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

LINK = re.compile(r"""(?:href|src)="(/[^"#]*)""")
SKIP = ("/static/", "/accounts/logout", "/admin/logout", "/admin/jsi18n", "/api/v1/docs")
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
# URL parameter names that do not spell their model's name.
ALIASES = {"resource_id": "wellbeing.SupportResource", "import_id": "programs.RosterImport"}
MAX_PER_PATTERN = 60


@dataclass
class Crawl:
    statuses: dict[str, int] = field(default_factory=dict)
    bodies: dict[str, str] = field(default_factory=dict)

    def pages_containing(self, marker: str) -> list[str]:
        return [url for url, body in self.bodies.items() if marker in body]

    @property
    def ok(self) -> set[str]:
        return {url for url, status in self.statuses.items() if status == 200}


def _routes(patterns: Iterable[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        route = getattr(entry.pattern, "_route", None)
        if route is None:  # a regular expression pattern (the admin's catch-all): skip
            continue
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(route))
        else:
            yield prefix + str(route)


def _model_for(name: str) -> type[models.Model] | None:
    if name in ALIASES:
        return apps.get_model(ALIASES[name])
    wanted = name.removesuffix("_id").replace("_", "")
    for model in apps.get_models():
        if model._meta.model_name == wanted:
            return model
    return None


def _candidates(name: str) -> list[str] | None:
    from tandem.programs.models import Cohort, Program

    if name in ("slug", "program_slug"):
        return list(Program.objects.values_list("slug", flat=True))
    if name == "cohort_slug":
        return sorted(set(Cohort.objects.values_list("slug", flat=True)))
    if name == "token":
        return list(Cohort.objects.values_list("join_token", flat=True))
    if name.endswith("_id"):
        model = _model_for(name)
        if model is None:
            return None
        return [str(pk) for pk in model._default_manager.values_list("pk", flat=True)[:20]]
    return None


def filled_urls() -> list[str]:
    """Every URL pattern with its parameters filled from the database."""
    urls = []
    for route in _routes(get_resolver().url_patterns):
        names = [match.group("name") for match in PARAMETER.finditer(route)]
        options = [_candidates(name) for name in names]
        if any(option is None for option in options):
            continue
        for values in itertools.islice(itertools.product(*options), MAX_PER_PATTERN):  # type: ignore[arg-type]
            filled = route
            for value in values:
                filled = PARAMETER.sub(value, filled, count=1)
            urls.append("/" + filled)
    return urls


def admin_urls(objects_per_model: int = 5) -> list[str]:
    urls = []
    for model in admin.site._registry:
        label = f"{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"admin:{label}_changelist"))
        for pk in model._default_manager.values_list("pk", flat=True)[:objects_per_model]:
            urls.append(reverse(f"admin:{label}_change", args=[pk]))
    return urls


def _admin_detour(link: str) -> bool:
    """Admin filters, sorting, history and delete pages: the changelists and change pages
    already tried hold everything the admin shows."""
    if not link.startswith("/admin/"):
        return False
    return "?" in link or link.endswith(("/history/", "/delete/", "/password/", "/add/"))


def crawl(client: Client, *, seeds: Iterable[str], max_pages: int = 1500) -> Crawl:
    """Visit the seeds, everything linked from what is reached, and every filled pattern."""
    found = Crawl()
    queue = deque([*seeds, *filled_urls(), *admin_urls()])
    while queue and len(found.statuses) < max_pages:
        url = queue.popleft()
        if url in found.statuses or url.startswith(SKIP):
            continue
        response = client.get(url)
        found.statuses[url] = response.status_code
        if response.status_code != 200:
            continue
        body = response.content.decode("utf-8", errors="replace")
        found.bodies[url] = body
        for link in LINK.findall(body):
            link = link.replace("&amp;", "&")
            if link not in found.statuses and not _admin_detour(link):
                queue.append(link)
    return found
