"""Coordinators' pages: session guides and their builder, circle attendance in suppressed
counts, and speed-mentoring events. Programs and cohorts open through ``access_program`` and
``access_cohort``: 404 for anyone but the program's coordinators and the operator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.circles import policies, selectors, services
from tandem.circles.forms import (
    CircleSettingsForm,
    GuideForm,
    GuideSessionFormSet,
    SpeedEventForm,
    session_initial,
)
from tandem.circles.guides import GuideTopic
from tandem.circles.models import SessionGuide
from tandem.core.forms import add_service_errors
from tandem.core.http import AuthedRequest
from tandem.core.suppression import SMALL_CELL_NOTE
from tandem.programs.models import Program
from tandem.programs.policies import access_cohort, access_program


@login_required
def guides(request: AuthedRequest, slug: str) -> HttpResponse:
    program = access_program(request.user, slug)
    return render(
        request,
        "circles/guides.html",
        {
            "program": program,
            "choices": services.guide_choices(program),
            "own": {g.pk: g for g in SessionGuide.objects.filter(program=program)},
            "settings_form": CircleSettingsForm(
                initial={"rotating_facilitation": services.rotating_facilitation(program)}
            ),
        },
    )


@require_POST
@login_required
def circle_settings(request: AuthedRequest, slug: str) -> HttpResponse:
    program = access_program(request.user, slug)
    form = CircleSettingsForm(request.POST)
    form.is_valid()
    services.circle_settings_update(
        program=program, rotating_facilitation=form.cleaned_data.get("rotating_facilitation", False)
    )
    messages.success(request, "Circle settings saved. New circle plans follow them.")
    return redirect("circles:guides", program.slug)


@require_POST
@login_required
def guide_copy(request: AuthedRequest, slug: str) -> HttpResponse:
    program = access_program(request.user, slug)
    try:
        guide = services.guide_copy(
            program=program, by=request.user, source_ref=request.POST.get("source", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("circles:guides", program.slug)
    messages.success(request, "Copied. Edit your program's copy below.")
    return redirect("circles:guide_edit", program.slug, guide.pk)


def _builder(request: AuthedRequest, program: Program, guide: SessionGuide | None) -> HttpResponse:
    if guide is None:
        initial_guide: dict[str, str] = {}
        initial_sessions: list[dict[str, str]] = []
    else:
        initial_guide = {"title": guide.title, "summary": guide.summary}
        initial_sessions = session_initial(
            [
                GuideTopic(s.topic, (s.prompt_one, s.prompt_two, s.prompt_three))
                for s in guide.sessions.all()
            ]
        )
    data = request.POST if request.method == "POST" else None
    form = GuideForm(data, initial=initial_guide)
    sessions = GuideSessionFormSet(data, initial=initial_sessions, prefix="sessions")
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        topics = [t for t in (f.topic_or_none() for f in sessions.forms) if t is not None]
        try:
            saved = services.guide_save(
                program=program,
                by=request.user,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                topics=topics,
                guide=guide,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Guide saved. Circles of the program can now choose it.")
            return redirect("circles:guide_edit", program.slug, saved.pk)
    return render(
        request,
        "circles/guide_edit.html",
        {"program": program, "guide": guide, "form": form, "sessions": sessions},
        status=422 if request.method == "POST" else 200,
    )


@login_required
def guide_new(request: AuthedRequest, slug: str) -> HttpResponse:
    return _builder(request, access_program(request.user, slug), None)


@login_required
def guide_edit(request: AuthedRequest, slug: str, guide_id: int) -> HttpResponse:
    program = access_program(request.user, slug)
    return _builder(request, program, policies.access_program_guide(program, guide_id))


@login_required
def cohort_circles(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    """Attendance across the cohort's circles, in counts with small cells suppressed."""
    cohort = access_cohort(request.user, slug, cohort_slug)
    return render(
        request,
        "circles/cohort_circles.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "counts": selectors.circles_in(cohort),
            "table": selectors.cohort_attendance(cohort),
            "note": SMALL_CELL_NOTE,
        },
    )


@login_required
def speed_events(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = access_cohort(request.user, slug, cohort_slug)
    form = SpeedEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.speed_event_create(cohort=cohort, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The event and its rotation are ready.")
            return redirect("circles:speed_event", slug, cohort_slug, event.pk)
    return render(
        request,
        "circles/speed_events.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "events": selectors.events_of(cohort),
            "form": form,
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
def speed_event(request: AuthedRequest, slug: str, cohort_slug: str, event_id: int) -> HttpResponse:
    """The event as it runs: the current round, its timer and tables; then the rankings."""
    cohort = access_cohort(request.user, slug, cohort_slug)
    event = policies.access_cohort_event(cohort, event_id)
    return render(
        request,
        "circles/speed_event.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "event": event,
            "rounds": selectors.schedule_of(event),
            "ends_at": selectors.round_ends_at(event),
            "ranked": event.rankings.count(),
        },
    )


@require_POST
@login_required
def speed_advance(
    request: AuthedRequest, slug: str, cohort_slug: str, event_id: int
) -> HttpResponse:
    cohort = access_cohort(request.user, slug, cohort_slug)
    event = policies.access_cohort_event(cohort, event_id)
    try:
        services.speed_event_advance(event=event)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("circles:speed_event", slug, cohort_slug, event.pk)


@require_POST
@login_required
def speed_match(request: AuthedRequest, slug: str, cohort_slug: str, event_id: int) -> HttpResponse:
    cohort = access_cohort(request.user, slug, cohort_slug)
    event = policies.access_cohort_event(cohort, event_id)
    try:
        run = services.speed_event_match(event=event, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("circles:speed_event", slug, cohort_slug, event.pk)
    messages.success(request, "A draft match from the rankings is ready for your review.")
    return redirect("rounds:run", run.pk)
