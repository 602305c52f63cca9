"""Coordinator pages: the survey builder, scheduling surveys, and results in aggregate.

Programs come through ``policies.access_program`` (404 for anyone but the program's
coordinators and the operator); instruments, items and surveys through the ``access_*``
selectors scoped to that program. Results receive only the suppressed report: no page here
reads a person's answers, and free text is never read at all.
"""

from __future__ import annotations

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
from tandem.programs import policies
from tandem.surveys import policies as surveys_policies
from tandem.surveys import selectors, services
from tandem.surveys.forms import (
    ImportForm,
    InstrumentForm,
    ItemForm,
    LibraryForm,
    SurveyForm,
    WaveForm,
)
from tandem.surveys.report import CHARTS, survey_report


@login_required
def program_surveys(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    return render(
        request,
        "surveys/program.html",
        {
            "program": program,
            "instruments": selectors.instruments_of(program),
            "surveys": selectors.surveys_of(program),
            "library_form": LibraryForm(),
        },
    )


@login_required
def instrument_create(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    form = InstrumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            instrument = services.instrument_create(program=program, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Instrument created. Now add its questions.")
            return redirect("surveys:instrument", program.slug, instrument.pk)
    return render(request, "surveys/instrument_form.html", {"program": program, "form": form})


@login_required
@require_POST
def instrument_library(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    form = LibraryForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the instruments Tandem ships.")
        return redirect("surveys:program", program.slug)
    instrument = services.instrument_from_library(program=program, slug=form.cleaned_data["slug"])
    messages.success(request, f"Added “{instrument.name}” to the program's instruments.")
    return redirect("surveys:instrument", program.slug, instrument.pk)


@login_required
def instrument_import(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    form = ImportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            instrument = services.instrument_import(program=program, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = instrument.latest_version.items.count()
            messages.success(request, f"Imported {count} questions. Check them below.")
            return redirect("surveys:instrument", program.slug, instrument.pk)
    return render(request, "surveys/instrument_import.html", {"program": program, "form": form})


@login_required
def instrument_detail(request: AuthedRequest, slug: str, instrument_id: int) -> HttpResponse:
    """The instrument's questions in order, and its description and scoring to edit."""
    program = policies.access_program(request.user, slug)
    instrument = surveys_policies.access_instrument(program, instrument_id)
    form = InstrumentForm.for_instrument(instrument, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.instrument_update(instrument=instrument, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Instrument saved.")
            return redirect("surveys:instrument", program.slug, instrument.pk)
    version = instrument.latest_version
    return render(
        request,
        "surveys/instrument.html",
        {
            "program": program,
            "instrument": instrument,
            "version": version,
            "items": selectors.items_of(version),
            "score_range": selectors.version_score_range(version),
            "form": form,
        },
    )


@login_required
def item_add(request: AuthedRequest, slug: str, instrument_id: int) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    instrument = surveys_policies.access_instrument(program, instrument_id)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_add(instrument=instrument, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Question added.")
            return redirect("surveys:instrument", program.slug, instrument.pk)
    return render(
        request,
        "surveys/item_form.html",
        {"program": program, "instrument": instrument, "form": form},
    )


@login_required
def item_edit(
    request: AuthedRequest, slug: str, instrument_id: int, question_id: int
) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    instrument = surveys_policies.access_instrument(program, instrument_id)
    item = surveys_policies.access_item(instrument, question_id)
    form = ItemForm.for_item(item, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(item=item, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Question saved.")
            return redirect("surveys:instrument", program.slug, instrument.pk)
    return render(
        request,
        "surveys/item_form.html",
        {"program": program, "instrument": instrument, "item": item, "form": form},
    )


@login_required
@require_POST
def item_move(
    request: AuthedRequest, slug: str, instrument_id: int, question_id: int
) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    instrument = surveys_policies.access_instrument(program, instrument_id)
    item = surveys_policies.access_item(instrument, question_id)
    services.item_move(item=item, up=request.POST.get("direction") != "down")
    return redirect("surveys:instrument", program.slug, instrument.pk)


@login_required
@require_POST
def item_delete(
    request: AuthedRequest, slug: str, instrument_id: int, question_id: int
) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    instrument = surveys_policies.access_instrument(program, instrument_id)
    services.item_delete(item=surveys_policies.access_item(instrument, question_id))
    messages.success(request, "Question removed.")
    return redirect("surveys:instrument", program.slug, instrument.pk)


@login_required
def survey_create(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    form = SurveyForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(
                program=program, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Survey scheduled.")
            return redirect("surveys:results", program.slug, survey.pk)
    return render(request, "surveys/survey_form.html", {"program": program, "form": form})


@login_required
def results(request: AuthedRequest, slug: str, survey_id: int) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    survey = surveys_policies.access_survey(program, survey_id)
    report = survey_report(survey)
    return render(
        request,
        "surveys/results.html",
        {
            "program": program,
            "survey": survey,
            "report": report,
            "charts": {name: report.chart(name) for name in CHARTS},
        },
    )


@login_required
def chart_svg(request: AuthedRequest, slug: str, survey_id: int) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    survey = surveys_policies.access_survey(program, survey_id)
    name = request.GET.get("chart", "rates")
    if name not in CHARTS:
        raise Http404
    return HttpResponse(survey_report(survey).chart(name).svg, content_type="image/svg+xml")


@login_required
def chart_csv(request: AuthedRequest, slug: str, survey_id: int) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    survey = surveys_policies.access_survey(program, survey_id)
    name = request.GET.get("chart", "rates")
    if name not in CHARTS:
        raise Http404
    audit_record(
        action=AuditEvent.Action.EXPORT,
        actor=request.user,
        target=survey,
        request=request,
        format="csv",
        export=f"survey_{name}",
    )
    response = HttpResponse(survey_report(survey).csv(name), content_type="text/csv; charset=utf-8")
    filename = f"{program.slug}-survey-{survey.pk}-{name}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def wave_edit(request: AuthedRequest, slug: str, survey_id: int, wave_id: int) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    survey = surveys_policies.access_survey(program, survey_id)
    wave = surveys_policies.access_wave(survey, wave_id)
    form = WaveForm(
        request.POST or None,
        initial={"label": wave.label, "opens_on": wave.opens_on, "closes_on": wave.closes_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.wave_update(wave=wave, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Wave dates saved.")
            return redirect("surveys:results", program.slug, survey.pk)
    return render(
        request,
        "surveys/wave_form.html",
        {"program": program, "survey": survey, "wave": wave, "form": form},
    )
