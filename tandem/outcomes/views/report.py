"""The cohort's evaluation report, for the program's coordinators and researchers (404 else)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from tandem.core.http import AuthedRequest
from tandem.outcomes import policies, selectors
from tandem.outcomes.rendering import report_context
from tandem.outcomes.report import evaluation_report


@login_required
def report(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = policies.access_report_cohort(request.user, slug, cohort_slug)
    context = report_context(evaluation_report(cohort))
    context["saved_versions"] = list(selectors.report_versions(cohort))
    # A researcher's way back is their studies, not the coordinators' program pages.
    context["manages"] = policies.can_manage_program(request.user, cohort.program)
    return render(request, "outcomes/report_page.html", context)
