"""Study pages: the coordinator's protocol and randomisation, the participant's consent, and
the researcher's de-identified exports (researchers of the program only, rate-limited, audited).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.core.forms import add_service_errors
from tandem.core.http import AuthedRequest
from tandem.core.ratelimit import rate_limit_consume
from tandem.programs import policies
from tandem.programs.models import Cohort
from tandem.programs.selectors import programs_researched_by
from tandem.research import exports, randomisation, selectors, services
from tandem.research import policies as research_policies
from tandem.research.forms import ConsentForm, ExportForm, StudyProtocolForm
from tandem.research.models import StudyAllocation


@login_required
def protocol(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = policies.access_cohort(request.user, slug, cohort_slug)
    current = selectors.protocol_for(cohort)
    initial = (
        {
            "title": current.title,
            "information": current.information,
            "outcomes": current.outcomes,
            "longitudinal": current.longitudinal,
        }
        if current
        else {}
    )
    form = StudyProtocolForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.study_protocol_save(cohort=cohort, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Study protocol saved.")
            return redirect("research:protocol", cohort.program.slug, cohort.slug)
    context = {
        "program": cohort.program,
        "cohort": cohort,
        "protocol": current,
        "form": form,
        "arms": selectors.arm_counts(current) if current else {},
        "consenting": len(selectors.consenting_user_ids(current)) if current else 0,
    }
    return render(request, "research/protocol.html", context)


@login_required
@require_POST
def randomise(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = policies.access_cohort(request.user, slug, cohort_slug)
    current = selectors.protocol_for(cohort)
    if current is None:
        raise Http404
    try:
        counts = services.study_randomise(protocol=current, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Randomised: {counts.get(randomisation.ARMS[0], 0)} matched now, "
            f"{counts.get(randomisation.ARMS[1], 0)} on the waitlist.",
        )
    return redirect("research:protocol", cohort.program.slug, cohort.slug)


@login_required
def studies(request: AuthedRequest) -> HttpResponse:
    """A participant's studies, and a researcher's programs."""
    return render(
        request,
        "research/studies.html",
        {
            "studies": selectors.studies_for_participant(request.user),
            "programs": programs_researched_by(request.user),
        },
    )


@login_required
def consent(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    current = research_policies.access_protocol_as_participant(request.user, slug, cohort_slug)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.research_consent_record(
                protocol=current, user=request.user, decision=form.cleaned_data["decision"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your answer is saved. You can change it at any time.")
            return redirect("research:consent", slug, cohort_slug)
    allocation = StudyAllocation.objects.filter(protocol=current, user=request.user).first()
    return render(
        request,
        "research/consent.html",
        {
            "protocol": current,
            "cohort": current.cohort,
            "form": form,
            "decision": selectors.consent_decision(current, request.user),
            "history": selectors.consent_history(current, request.user),
            "allocation": allocation,
        },
    )


@login_required
def exports_page(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program(request.user, slug, for_research=True)
    return render(
        request,
        "research/exports.html",
        {
            "program": program,
            "cohorts": selectors.research_cohorts(program),
            "form": ExportForm(),
            "k": exports.K,
        },
    )


@login_required
def export_download(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    program = policies.access_program(request.user, slug, for_research=True)
    try:
        cohort = Cohort.objects.select_related("program").get(program=program, slug=cohort_slug)
    except Cohort.DoesNotExist:
        raise Http404 from None
    form = ExportForm(request.GET)
    if not form.is_valid():
        return HttpResponse("Choose a format: csv or redcap.", status=400)
    fmt = form.cleaned_data["format"]
    if not rate_limit_consume(
        scope="research-export", key=str(request.user.pk), rate=settings.TANDEM_EXPORT_RATE_LIMIT
    ):
        return HttpResponse("Too many exports in a short time; try again later.", status=429)
    dataset = exports.build_dataset(cohort)
    audit_record(
        action=AuditEvent.Action.EXPORT,
        actor=request.user,
        target=cohort,
        request=request,
        format=fmt,
        export="research_deidentified",
        records=len(dataset.records),
    )
    response = HttpResponse(
        exports.zip_bytes(exports.export_files(dataset, fmt)), content_type="application/zip"
    )
    filename = f"{program.slug}-{cohort.slug}-research-{fmt}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
