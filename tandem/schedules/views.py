"""Schedule pages: your own schedule and settings, a partnership's windows, the program's
block-schedule upload with its aggregate, and the private calendar feed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.core.forms import add_service_errors
from tandem.core.http import AuthedRequest
from tandem.core.imports import preview_context
from tandem.programs.policies import access_cohort
from tandem.schedules import feeds, matching, policies, reports, selectors, services, subscriptions
from tandem.schedules.forms import (
    FeedForm,
    ProgramRulesForm,
    ProgramScheduleForm,
    ScheduleFileForm,
    ScheduleSettingsForm,
    WindowBookingForm,
)
from tandem.workspace.selectors import agreement_in_force
from tandem.workspace.views.base import render_workspace

SHOWN_BLOCKS = 200
SHOWN_WINDOWS = 12


# ------------------------------------------------------------------ your own schedule
def _mine(request: AuthedRequest, status: int = 200, **context: Any) -> HttpResponse:
    mine = selectors.settings_of(request.user)
    initial = {
        "timezone": mine.timezone,
        "wakes_at": mine.wakes_at,
        "sleeps_at": mine.sleeps_at,
        "meeting_minutes": mine.meeting_minutes,
        "drought_nudges": mine.drought_nudges,
    }
    blocks = selectors.own_blocks(request.user).filter(ends_at__gte=timezone.now())
    page = {
        "settings": mine,
        "settings_form": ScheduleSettingsForm(initial=initial),
        "file_form": ScheduleFileForm(),
        "feed_form": FeedForm(initial={"feed_url": mine.feed_url}),
        "blocks": blocks[:SHOWN_BLOCKS],
        "block_count": blocks.count(),
        "has_feed": selectors.has_calendar_feed(request.user),
        **context,
    }
    return render(request, "schedules/mine.html", page, status=status)


@login_required
def my_schedule(request: AuthedRequest) -> HttpResponse:
    return _mine(request)


@login_required
@require_POST
def my_settings(request: AuthedRequest) -> HttpResponse:
    form = ScheduleSettingsForm(request.POST)
    if form.is_valid():
        try:
            services.schedule_settings_update(
                user=request.user,
                timezone_name=form.cleaned_data["timezone"],
                wakes_at=form.cleaned_data["wakes_at"],
                sleeps_at=form.cleaned_data["sleeps_at"],
                meeting_minutes=form.cleaned_data["meeting_minutes"],
                drought_nudges=form.cleaned_data["drought_nudges"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your scheduling settings are saved.")
            return redirect("schedules:mine")
    return _mine(request, status=422, settings_form=form)


@login_required
@require_POST
def my_upload(request: AuthedRequest) -> HttpResponse:
    form = ScheduleFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["schedule"]
        schedule_upload = services.own_schedule_preview(
            user=request.user, filename=upload.name, text=upload.text, raw=upload.raw
        )
        return redirect("schedules:upload_preview", schedule_upload.pk)
    return _mine(request, status=422, file_form=form)


@login_required
def my_upload_preview(request: AuthedRequest, upload_id: int) -> HttpResponse:
    schedule_upload = policies.access_own_schedule_upload(request.user, upload_id)
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            services.own_schedule_discard(schedule_upload=schedule_upload)
            messages.info(request, "Upload discarded; nothing was changed.")
            return redirect("schedules:mine")
        try:
            count = services.own_schedule_apply(schedule_upload=schedule_upload)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("schedules:upload_preview", upload_id)
        messages.success(request, f"Imported {count} block{'s' if count != 1 else ''}.")
        return redirect("schedules:mine")
    return render(
        request,
        "schedules/mine_preview.html",
        preview_context(services.OWN_SCHEDULE, schedule_upload),
    )


@login_required
@require_POST
def my_feed(request: AuthedRequest) -> HttpResponse:
    form = FeedForm(request.POST)
    if form.is_valid():
        try:
            subscriptions.feed_subscribe(user=request.user, url=form.cleaned_data["feed_url"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved. Tandem reads the subscription in the background.")
            return redirect("schedules:mine")
    return _mine(request, status=422, feed_form=form)


@login_required
@require_POST
def my_clear(request: AuthedRequest) -> HttpResponse:
    count = services.own_schedule_clear(user=request.user)
    messages.success(request, f"Deleted {count} block{'s' if count != 1 else ''}.")
    return redirect("schedules:mine")


@login_required
@require_POST
def my_calendar(request: AuthedRequest) -> HttpResponse:
    if request.POST.get("action") == "revoke":
        services.calendar_feed_revoke(user=request.user)
        messages.success(request, "Your calendar address no longer works.")
        return redirect("schedules:mine")
    token = services.calendar_feed_create(user=request.user)
    # Shown once, on this response only: the address is stored as a hash.
    feed_url = request.build_absolute_uri(f"/calendar/{token}.ics")
    return _mine(request, new_feed_url=feed_url)


def calendar_feed(request: AuthedRequest, token: str) -> HttpResponse:
    """The private feed: its secret address is the only key, so no sign-in is asked."""
    user = feeds.user_for_token(token)
    if user is None:
        raise Http404
    response = HttpResponse(feeds.calendar_for(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------ a partnership's windows
@login_required
def windows(request: AuthedRequest, partnership_id: int) -> HttpResponse:
    partnership = policies.access_windows(request.user, partnership_id)
    form = WindowBookingForm(request.POST or None)
    if request.method == "POST":
        if not agreement_in_force(partnership):
            return redirect("workspace:agreement", partnership.pk)
        if form.is_valid():
            try:
                meeting = services.meeting_from_window(
                    partnership=partnership, by=request.user, starts_at=form.starts_at()
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("schedules:windows", partnership.pk)
            messages.success(request, "Meeting scheduled; everyone gets the invite by email.")
            return redirect("workspace:meeting", partnership.pk, meeting.pk)
        messages.error(request, "Choose one of the windows below.")
    found = selectors.partnership_windows(partnership, weeks=8)
    zone = selectors.settings_of(request.user).timezone
    return render_workspace(
        request,
        partnership,
        "schedules/windows.html",
        {
            "windows": found[:SHOWN_WINDOWS],
            "window_count": len(found),
            "zone": zone,
            "minutes": selectors.meeting_minutes_for(selectors.current_members(partnership)),
        },
    )


# ------------------------------------------------------------------ the program's pages
@login_required
def program_schedules(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program_schedules(request.user, slug)
    form = ProgramScheduleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["schedule"]
        schedule_import = services.schedule_import_preview(
            program=program, uploaded_by=request.user, filename=upload.name, content=upload.text
        )
        return redirect("schedules:program_preview", slug, schedule_import.pk)
    rules = selectors.rules_of(program)
    rules_form = ProgramRulesForm(
        initial={
            "day_starts_at": rules.day_starts_at,
            "day_ends_at": rules.day_ends_at,
            "drought_weeks": rules.drought_weeks,
            **{f"rule_{k}": v for k, v in selectors.kind_rules_of(rules).items()},
        }
    )
    return render(
        request,
        "schedules/program.html",
        {
            "program": program,
            "form": form,
            "rules_form": rules_form,
            "recent": program.schedule_imports.all()[:10],
            "aggregate": reports.window_coverage(program),
            "cohorts": selectors.cohort_minimums(program),
        },
    )


@login_required
@require_POST
def cohort_minimum(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = access_cohort(request.user, slug, cohort_slug)
    try:
        minutes = int(request.POST.get("minutes", ""))
        matching.cohort_minimum_set(cohort=cohort, minutes=minutes)
    except (ValueError, ValidationError):
        messages.error(request, "Give 0 (no minimum) to 6,000 minutes a month.")
    else:
        messages.success(request, f"{cohort.name}: minimum of mutual free time saved.")
    return redirect("schedules:program", slug)


@login_required
@require_POST
def program_rules(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program_schedules(request.user, slug)
    form = ProgramRulesForm(request.POST)
    if form.is_valid():
        try:
            services.program_rules_update(
                program=program,
                kind_rules=form.kind_rules(),
                day_starts_at=form.cleaned_data["day_starts_at"],
                day_ends_at=form.cleaned_data["day_ends_at"],
                drought_weeks=form.cleaned_data["drought_weeks"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Schedule rules saved.")
    else:
        messages.error(request, "Check the schedule rules: every field is needed.")
    return redirect("schedules:program", slug)


@login_required
def program_preview(request: AuthedRequest, slug: str, import_id: int) -> HttpResponse:
    program = policies.access_program_schedules(request.user, slug)
    schedule_import = program.schedule_imports.filter(pk=import_id).first()
    if schedule_import is None:
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            services.schedule_import_discard(schedule_import=schedule_import)
            messages.info(request, "Import discarded; nothing was changed.")
            return redirect("schedules:program", slug)
        try:
            summary = services.schedule_import_apply(
                schedule_import=schedule_import, by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("schedules:program_preview", slug, import_id)
        counts = summary["counts"]
        messages.success(
            request, f"Imported {counts['blocks']} blocks for {counts['people']} people."
        )
        return redirect("schedules:program", slug)
    return render(
        request,
        "schedules/program_preview.html",
        {"program": program, **preview_context(services.BLOCK_SCHEDULE, schedule_import)},
    )
