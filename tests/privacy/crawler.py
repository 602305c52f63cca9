"""A crawler that visits everything a signed-in test client can reach, for privacy tests.

It starts from the home page and from every URL pattern it can fill in with objects from the
test database, follows every same-site link and embedded resource (``href`` and ``src``: pages,
chart images, CSV downloads) in the HTML it gets back, GETs every API route in the OpenAPI
schema, and (for staff) every Django admin changelist, change form and history page. Tests
then assert that a marker planted in private content appears in none of the bodies — and that
the crawl really went somewhere, so a broken crawler cannot pass.

Every URL parameter of the project is in ``PARAMETERS``; a route whose parameter is missing
is listed in ``CrawlResult.unfilled`` (tests assert there are none). A test that needs another
parameter for a while can call ``register_parameter("pulse_id", "wellbeing.Pulse")``.
GET only, so crawling changes nothing.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlsplit

from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from django.urls.resolvers import RoutePattern, URLPattern, URLResolver

# URL parameter name → (model label, field whose values fill it).
PARAMETERS: dict[str, tuple[str, str]] = {
    "slug": ("programs.Program", "slug"),
    "program_slug": ("programs.Program", "slug"),
    "cohort_slug": ("programs.Cohort", "slug"),
    "profile_id": ("programs.Profile", "pk"),
    "import_id": ("programs.RosterImport", "pk"),
    "upload_id": ("schedules.OwnScheduleImport", "pk"),
    "session_id": ("circles.CircleSession", "pk"),
    "event_id": ("circles.SpeedEvent", "pk"),
    "guide_id": ("circles.SessionGuide", "pk"),
    "number": ("outcomes.ReportVersion", "number"),
    "token": ("programs.Cohort", "join_token"),
    "token_id": ("accounts.ApiToken", "pk"),
    "partnership_id": ("partnerships.Partnership", "pk"),
    "note_id": ("workspace.Note", "pk"),
    "goal_id": ("workspace.Goal", "pk"),
    "milestone_id": ("workspace.Milestone", "pk"),
    "meeting_id": ("workspace.Meeting", "pk"),
    "item_id": ("workspace.ActionItem", "pk"),
    "pulse_id": ("wellbeing.Pulse", "pk"),
    "reflection_id": ("wellbeing.Reflection", "pk"),
    "kudos_id": ("wellbeing.Kudos", "pk"),
    "resource_id": ("wellbeing.SupportResource", "pk"),
    "run_id": ("rounds.MatchRun", "pk"),
    "placement_id": ("rounds.Placement", "pk"),
    "other_id": ("rounds.MatchRun", "pk"),
    "group_id": ("rounds.MatchGroup", "pk"),
    "person_id": ("accounts.User", "pk"),
    "user_id": ("accounts.User", "pk"),
    "instrument_id": ("surveys.Instrument", "pk"),
    "question_id": ("surveys.Item", "pk"),
    "survey_id": ("surveys.Survey", "pk"),
    "wave_id": ("surveys.SurveyWave", "pk"),
    # Only allauth's security-key pages use a bare <pk> (a person's own second factor).
    "pk": ("mfa.Authenticator", "pk"),
}

# Never fetched: signing out would end the crawl's session.
SKIP = re.compile(r"logout|/static/|^/admin/.*\?|/admin/logout")
MAX_COMBINATIONS = 200
_PLACEHOLDER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_API_PLACEHOLDER = re.compile(r"\{(?P<name>[^}]+)\}")


def register_parameter(name: str, model_label: str, field_name: str = "pk") -> None:
    PARAMETERS[name] = (model_label, field_name)


@dataclass
class Page:
    url: str
    status: int
    body: str


@dataclass
class CrawlResult:
    pages: dict[str, Page] = field(default_factory=dict)
    unfilled: set[str] = field(default_factory=set)

    @property
    def ok_urls(self) -> set[str]:
        return {url for url, page in self.pages.items() if page.status == 200}

    def containing(self, marker: str) -> list[str]:
        return sorted(url for url, page in self.pages.items() if marker in page.body)


def _values(name: str) -> list[str] | None:
    source = PARAMETERS.get(name)
    if source is None:
        return None
    label, field_name = source
    try:
        model = apps.get_model(label)
    except LookupError:
        return []
    return [str(value) for value in model._base_manager.values_list(field_name, flat=True)]


def _fill(route: str, placeholder: re.Pattern[str], result: CrawlResult) -> list[str]:
    names = [match.group("name") for match in placeholder.finditer(route)]
    if not names:
        return [route]
    choices = []
    for name in names:
        values = _values(name)
        if values is None:
            result.unfilled.add(route)
            return []
        choices.append(values)
    urls = []
    for combination in itertools.islice(itertools.product(*choices), MAX_COMBINATIONS):
        remaining = iter(combination)
        urls.append(placeholder.sub(lambda _match, rest=remaining: next(rest), route))  # type: ignore[misc]
    return urls


def _routes(patterns: Iterable[Any], prefix: str = "") -> Iterable[str]:
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue  # regex routes (allauth's keyed links) need secrets we do not have
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue  # the admin is crawled from its registry below
            yield from _routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


class _Links(HTMLParser):
    """Every link and embedded resource: ``<a href>``, ``<img src>``, ``<link href>`` …"""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.hrefs.append(value)


def _same_site(href: str) -> str | None:
    href = urldefrag(href)[0]
    if href.startswith("http://testserver"):
        href = href[len("http://testserver") :]
    if not href.startswith("/") or href.startswith("//"):
        return None
    return href


def _admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        try:
            urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        except NoReverseMatch:
            continue
        for pk in model._base_manager.values_list("pk", flat=True)[:20]:
            for view in ("change", "history"):
                with contextlib.suppress(NoReverseMatch):
                    urls.append(reverse("admin:{}_{}_{}".format(*info, view), args=[pk]))
    return urls


def crawl(
    client: Client,
    *,
    start: Iterable[str] = (),
    include_admin: bool = True,
    max_pages: int = 3000,
) -> CrawlResult:
    """GET everything reachable by ``client``; returns every response body by URL."""
    result = CrawlResult()
    queue: deque[str] = deque(["/", *start])
    for route in _routes(get_resolver().url_patterns):
        queue.extend("/" + url for url in _fill(route, _PLACEHOLDER, result))
    schema = client.get("/api/v1/openapi.json")
    if schema.status_code == 200:
        for path, operations in schema.json()["paths"].items():
            if "get" in operations:
                queue.extend(_fill(path, _API_PLACEHOLDER, result))
    if include_admin:
        queue.extend(_admin_urls())
    while queue and len(result.pages) < max_pages:
        url = queue.popleft()
        if url in result.pages or SKIP.search(url):
            continue
        response = client.get(url)
        body = response.content.decode("utf-8", errors="replace")
        result.pages[url] = Page(url=url, status=response.status_code, body=body)
        location = response.get("Location")
        if location and (target := _same_site(location)):
            queue.append(target)
        if "html" in response.get("Content-Type", ""):
            parser = _Links()
            parser.feed(body)
            for href in parser.hrefs:
                target = _same_site(href)
                if target and urlsplit(target).path:
                    queue.append(target)
    return result
