"""A participant's surveys: the open ones, and the form to answer (or change) one.

Waves are reached only through ``access_open_wave``: a wave of a cohort the person is not
actively enrolled in, or one that is not open today, is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from tandem.core.forms import add_service_errors
from tandem.core.http import AuthedRequest
from tandem.programs.selectors import programs_coordinated_by
from tandem.surveys import policies, selectors, services
from tandem.surveys.forms import response_form


@login_required
def survey_list(request: AuthedRequest) -> HttpResponse:
    """Open surveys to answer; for coordinators, also where each program's surveys are."""
    return render(
        request,
        "surveys/list.html",
        {
            "open_waves": selectors.open_waves_for(request.user),
            "programs": programs_coordinated_by(request.user),
        },
    )


@login_required
def answer(request: AuthedRequest, wave_id: int) -> HttpResponse:
    wave = policies.access_open_wave(request.user, wave_id)
    items = selectors.items_of(wave.survey.version)
    previous = selectors.own_answers(wave, request.user)
    form = response_form(items, data=request.POST or None, initial=previous)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.response_submit(wave=wave, user=request.user, answers=form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Thank you — your answers are saved.")
                return redirect("surveys:list")
        status = 400
    return render(
        request,
        "surveys/answer.html",
        {"wave": wave, "survey": wave.survey, "form": form, "answered": bool(previous)},
        status=status,
    )
