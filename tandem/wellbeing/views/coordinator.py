"""Coordinator pages: support resources, check-in settings and the cohort's aggregate view.

Programs and cohorts come through the program policies (404 for anyone but the program's
coordinators and the operator). Nothing here reads an individual's check-in or reflection:
the cohort view only ever receives the suppressed table from ``report``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.core.forms import add_service_errors
from tandem.core.http import AuthedRequest
from tandem.programs import policies
from tandem.programs.selectors import programs_coordinated_by
from tandem.wellbeing import policies as wellbeing_policies
from tandem.wellbeing import selectors, services
from tandem.wellbeing.forms import ProgramWellbeingForm, SupportResourceForm
from tandem.wellbeing.report import cohort_report


@login_required
def programs(request: AuthedRequest) -> HttpResponse:
    """Where a coordinator finds each program's support page and each cohort's check-ins."""
    coordinated = programs_coordinated_by(request.user).prefetch_related("cohorts")
    return render(request, "wellbeing/programs.html", {"programs": coordinated})


@login_required
def program_support(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    current = selectors.program_wellbeing(program)
    form = ProgramWellbeingForm(
        request.POST or None,
        initial={
            "pulse_every_days": current.pulse_every_days,
            "burnout_threshold": current.burnout_threshold,
            "supported_threshold": current.supported_threshold,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.program_wellbeing_update(program=program, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Check-in settings saved.")
            return redirect("wellbeing:program_support", program.slug)
    return render(
        request,
        "wellbeing/program_support.html",
        {"program": program, "form": form, "resources": selectors.support_resources(program)},
    )


@login_required
def resource_create(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    form = SupportResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_resource_create(program=program, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Support resource added.")
            return redirect("wellbeing:program_support", program.slug)
    return render(request, "wellbeing/resource_form.html", {"program": program, "form": form})


@login_required
def resource_edit(request: AuthedRequest, slug: str, resource_id: int) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    resource = wellbeing_policies.access_support_resource(program, resource_id)
    form = SupportResourceForm.for_resource(resource, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_resource_update(resource=resource, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Support resource saved.")
            return redirect("wellbeing:program_support", program.slug)
    return render(
        request,
        "wellbeing/resource_form.html",
        {"program": program, "form": form, "resource": resource},
    )


@login_required
@require_POST
def resource_delete(request: AuthedRequest, slug: str, resource_id: int) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    services.support_resource_delete(
        resource=wellbeing_policies.access_support_resource(program, resource_id)
    )
    messages.success(request, "Support resource removed.")
    return redirect("wellbeing:program_support", program.slug)


@login_required
def cohort_wellbeing(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = policies.access_cohort(request.user, slug, cohort_slug)
    report = cohort_report(cohort)
    return render(
        request,
        "wellbeing/cohort_report.html",
        {"program": cohort.program, "cohort": cohort, "report": report, "chart": report.chart()},
    )


@login_required
def cohort_wellbeing_svg(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = policies.access_cohort(request.user, slug, cohort_slug)
    return HttpResponse(cohort_report(cohort).chart().svg, content_type="image/svg+xml")


@login_required
def cohort_wellbeing_csv(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = policies.access_cohort(request.user, slug, cohort_slug)
    report = cohort_report(cohort)
    audit_record(
        action=AuditEvent.Action.EXPORT,
        actor=request.user,
        target=cohort,
        request=request,
        format="csv",
        export="wellbeing_aggregate",
    )
    response = HttpResponse(report.csv(), content_type="text/csv; charset=utf-8")
    filename = f"{cohort.program.slug}-{cohort.slug}-checkins.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
