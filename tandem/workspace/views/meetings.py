"""Meetings: schedule (with an emailed invite), download the .ics, record how it went."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from tandem.core.forms import add_service_errors
from tandem.core.http import AuthedRequest
from tandem.partnerships.models import Partnership
from tandem.workspace import policies, selectors, services
from tandem.workspace.audit import private_read
from tandem.workspace.calendar import meeting_ics
from tandem.workspace.forms import MeetingForm, MeetingRecordForm
from tandem.workspace.models import Meeting
from tandem.workspace.prompts import agenda_prompt
from tandem.workspace.views.base import render_workspace, workspace_page


@workspace_page()
def meetings(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(
                partnership=partnership,
                by=request.user,
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                timezone_name=form.cleaned_data["timezone"],
                location=form.cleaned_data["location"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Meeting scheduled; everyone gets the invite by email.")
            return redirect("workspace:meeting", partnership.pk, meeting.pk)
    now = timezone.now()
    found = list(selectors.meetings_of(partnership))
    return render_workspace(
        request,
        partnership,
        "workspace/meetings.html",
        {
            "upcoming": [m for m in found if m.starts_at >= now and m.status == "scheduled"],
            "past": [m for m in reversed(found) if m.starts_at < now or m.status != "scheduled"],
            "form": form,
            "counts": selectors.meeting_counts(partnership),
        },
    )


@workspace_page()
def meeting_detail(
    request: AuthedRequest, partnership: Partnership, meeting_id: int
) -> HttpResponse:
    meeting = policies.access_meeting(partnership, meeting_id)
    form = MeetingRecordForm(
        request.POST or None, initial={"status": meeting.status, "notes": meeting.notes}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Meeting saved.")
            return redirect("workspace:meeting", partnership.pk, meeting.pk)
    items = list(selectors.action_items_of(partnership).filter(meeting=meeting))
    private_read(
        user=request.user,
        partnership=partnership,
        kind="meeting",
        count=1 + len(items),
        request=request,
        object_id=meeting.pk,
    )
    return render_workspace(
        request,
        partnership,
        "workspace/meeting_detail.html",
        {
            "meeting": meeting,
            "prompt": agenda_prompt(meeting.number),
            "form": form,
            "items": items,
            "started": meeting.starts_at <= timezone.now(),
            "status_scheduled": Meeting.Status.SCHEDULED,
        },
    )


@workspace_page()
def meeting_edit(request: AuthedRequest, partnership: Partnership, meeting_id: int) -> HttpResponse:
    meeting = policies.access_meeting(partnership, meeting_id)
    form = MeetingForm.for_meeting(meeting, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                meeting=meeting,
                by=request.user,
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                timezone_name=form.cleaned_data["timezone"],
                location=form.cleaned_data["location"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Meeting changed; everyone gets the new invite by email.")
            return redirect("workspace:meeting", partnership.pk, meeting.pk)
    return render_workspace(
        request, partnership, "workspace/meeting_edit.html", {"meeting": meeting, "form": form}
    )


@workspace_page()
def meeting_invite(
    request: AuthedRequest, partnership: Partnership, meeting_id: int
) -> HttpResponse:
    meeting = policies.access_meeting(partnership, meeting_id)
    private_read(
        user=request.user,
        partnership=partnership,
        kind="meeting",
        count=1 if meeting.location else 0,
        request=request,
        object_id=meeting.pk,
    )
    response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tandem-meeting-{meeting.number}.ics"'
    return response
