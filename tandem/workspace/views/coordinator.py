"""Coordinator pages of the workspace area: the program's agreement template, and a cohort's
partnerships with counts and dates only — never what members wrote."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from tandem.core.forms import SearchForm, add_service_errors
from tandem.core.http import AuthedRequest
from tandem.core.pagination import ROWS_PER_PAGE, page_of
from tandem.programs import policies
from tandem.workspace import selectors, services
from tandem.workspace.forms import AgreementTextForm
from tandem.workspace.models import DEFAULT_AGREEMENT


@login_required
def agreement_template(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    form = AgreementTextForm(
        request.POST or None, initial={"text": selectors.agreement_template_text(program)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_template_update(
                program=program, text=form.cleaned_data["text"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Agreement template saved; new partnerships start from it.")
            return redirect("workspace_staff:agreement_template", program.slug)
    return render(
        request,
        "workspace/agreement_template.html",
        {"program": program, "form": form, "default_text": DEFAULT_AGREEMENT},
    )


@login_required
def cohort_partnerships(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = policies.access_cohort(request.user, slug, cohort_slug)
    search = SearchForm(request.GET)
    terms = search.terms()
    partnerships = selectors.cohort_partnerships(cohort, terms)
    page, query = page_of(request, partnerships, ROWS_PER_PAGE)
    return render(
        request,
        "workspace/cohort_partnerships.html",
        {
            "program": cohort.program,
            "cohort": cohort,
            "rows": selectors.partnership_rows(page),
            "page": page,
            "query": query,
            "search": search,
            # The paginator has counted them all already unless a search narrowed the list.
            "partnerships": cohort.partnerships.count() if terms else page.paginator.count,
        },
    )
