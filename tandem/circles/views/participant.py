"""Members' pages of a circle (plan, sessions, attendance) and a participant's speed event.

Circles open through ``access_circle`` (the workspace door): 404 for anyone not seated.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.circles import policies, selectors, services
from tandem.circles.forms import PlanForm, RankingForm, SessionMoveForm
from tandem.circles.models import SpeedEvent
from tandem.core.forms import add_service_errors
from tandem.core.http import AuthedRequest
from tandem.partnerships.models import Partnership
from tandem.workspace import selectors as workspace_selectors
from tandem.workspace.policies import require_writable
from tandem.workspace.views.base import render_workspace, run_action


def circle_page(view: Callable[..., HttpResponse]) -> Any:
    """Open the circle for a seated member (404 otherwise), as every workspace page does."""

    @login_required
    @functools.wraps(view)
    def wrapper(request: AuthedRequest, partnership_id: int, **kwargs: Any) -> HttpResponse:
        partnership = policies.access_circle(request.user, partnership_id)
        if request.method == "POST":
            require_writable(partnership)
        if not workspace_selectors.agreement_in_force(partnership):
            return redirect("workspace:agreement", partnership.pk)
        return view(request, partnership, **kwargs)

    return wrapper


@circle_page
def plan(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    """The circle's sessions; before there is a plan, the form that makes it from a guide."""
    program = partnership.cohort.program
    current = selectors.plan_of(partnership)
    choices = services.guide_choices(program)
    form = None
    status = 200
    if current is None:
        form = PlanForm(request.POST or None, choices=choices)
        if request.method == "POST" and form.is_valid():
            try:
                services.circle_plan_create(
                    partnership=partnership,
                    by=request.user,
                    guide_ref=form.cleaned_data["guide"],
                    first_at=form.first_at(),
                    every_days=form.cleaned_data["every_days"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The circle's plan is ready.")
                return redirect("circles:plan", partnership.pk)
        if request.method == "POST":
            status = 422
    return render_workspace(
        request,
        partnership,
        "circles/plan.html",
        {
            "plan": current,
            "form": form,
            "choices": choices,
            "rows": selectors.session_rows(partnership, request.user),
            "rotating": services.rotating_facilitation(program),
        },
        status=status,
    )


@require_POST
@circle_page
def facilitator(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    volunteer = request.POST.get("volunteer") == "1"
    run_action(
        request,
        lambda: services.circle_facilitator_set(
            partnership=partnership, by=request.user, volunteer=volunteer
        ),
        "You are the circle's facilitator." if volunteer else "You stepped down as facilitator.",
    )
    return redirect("circles:plan", partnership.pk)


@circle_page
def session(request: AuthedRequest, partnership: Partnership, session_id: int) -> HttpResponse:
    """A session's topic, prompts and attendance; a POST moves it to another date."""
    _, found = policies.access_circle_session(request.user, partnership.pk, session_id)
    local = timezone.localtime(found.starts_at)
    form = SessionMoveForm(
        request.POST or None,
        initial={"starts_date": local.date(), "starts_time": local.time().replace(second=0)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.circle_session_move(session=found, starts_at=form.starts_at())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The session is moved; everyone is reminded again.")
            return redirect("circles:session", partnership.pk, found.pk)
    rows = selectors.session_rows(partnership, request.user)
    row = next(r for r in rows if r.session.pk == found.pk)
    return render_workspace(
        request,
        partnership,
        "circles/session.html",
        {"row": row, "move_form": form},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@circle_page
def attendance(request: AuthedRequest, partnership: Partnership, session_id: int) -> HttpResponse:
    _, found = policies.access_circle_session(request.user, partnership.pk, session_id)
    attended = request.POST.get("attended") == "yes"
    run_action(
        request,
        lambda: services.attendance_report(session=found, user=request.user, attended=attended),
        "Thank you: your attendance is recorded.",
    )
    return redirect("circles:session", partnership.pk, found.pk)


# ---------------------------------------------------------------------- speed mentoring
def _met(event: SpeedEvent, user: User) -> list[User]:
    ids = services.met_ids(event, user)
    people = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    return [people[pk] for pk in ids if pk in people]


@login_required
def speed_mine(request: AuthedRequest, event_id: int) -> HttpResponse:
    """A participant's own rounds; after the last round, their ranking of whom they met."""
    event = policies.access_event_as_participant(request.user, event_id)
    ranked = selectors.ranking_of(event, request.user)
    form = RankingForm(request.POST or None, met=_met(event, request.user), ranked=ranked)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.speed_ranking_submit(
                    event=event, user=request.user, ranked_ids=form.ranked_ids()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, "Your ranking is saved. You can change it until the match."
                )
                return redirect("circles:speed_mine", event.pk)
        status = 422
    return render(
        request,
        "circles/speed_mine.html",
        {
            "event": event,
            "rounds": selectors.my_rounds(event, request.user),
            "ends_at": selectors.round_ends_at(event),
            "form": form,
            "ranked": bool(ranked),
        },
        status=status,
    )
