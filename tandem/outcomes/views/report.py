"""The cohort's evaluation report, for the program's coordinators and researchers (404 else):
today's figures, the button that saves them as a version, and the saved versions."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from tandem.core.http import AuthedRequest
from tandem.outcomes import policies, selectors, services
from tandem.outcomes.rendering import report_context
from tandem.outcomes.report import evaluation_report

MAIN = re.compile(r"<main>\n?(.*)</main>", re.DOTALL)


@login_required
def report(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = policies.access_report_cohort(request.user, slug, cohort_slug)
    context = report_context(evaluation_report(cohort))
    context["saved_versions"] = list(selectors.report_versions(cohort))
    # A researcher's way back is their studies, not the coordinators' program pages.
    context["manages"] = policies.can_manage_program(request.user, cohort.program)
    return render(request, "outcomes/report_page.html", context)


@login_required
@require_POST
def report_save(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    """Save today's report as the cohort's next version (groups and end of follow-up fixed)."""
    cohort = policies.access_report_cohort(request.user, slug, cohort_slug)
    version = services.report_version_save(cohort=cohort, by=request.user, request=request)
    messages.success(request, f"Saved as version {version.number}.")
    return redirect("outcomes:report_version", slug, cohort_slug, version.number)


@login_required
def report_version(
    request: AuthedRequest, slug: str, cohort_slug: str, number: int
) -> HttpResponse:
    """A saved version exactly as it was saved (its stored file's body, not recomputed)."""
    cohort = policies.access_report_cohort(request.user, slug, cohort_slug)
    version = selectors.report_version(cohort, number)
    found = MAIN.search(version.html)
    body = mark_safe(found.group(1) if found else "")  # noqa: S308 - rendered and escaped when saved
    return render(
        request,
        "outcomes/report_version.html",
        {
            "program": cohort.program,
            "cohort": cohort,
            "version": version,
            "body": body,
            "saved_versions": list(selectors.report_versions(cohort)),
        },
    )
