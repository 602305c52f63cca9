"""Action items: who does what by when; overdue ones stand out."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from tandem.core.forms import add_service_errors
from tandem.core.http import AuthedRequest
from tandem.partnerships.models import Partnership
from tandem.workspace import policies, selectors, services
from tandem.workspace.audit import private_read
from tandem.workspace.forms import ActionItemForm
from tandem.workspace.models import ActionItem, Goal
from tandem.workspace.views.base import render_workspace, run_action, workspace_page


def _form(partnership: Partnership, data: Any = None, **kwargs: Any) -> ActionItemForm:
    goals = list(selectors.goals_of(partnership).filter(status=Goal.Status.ACTIVE))
    return ActionItemForm(data, members=selectors.member_users(partnership), goals=goals, **kwargs)


def _links(partnership: Partnership, form: ActionItemForm) -> dict[str, object]:
    data = dict(form.cleaned_data)
    owner_id = data.pop("owner")
    owner = next(u for u in selectors.member_users(partnership) if u.pk == owner_id)
    goal_id = data.pop("goal")
    goal = policies.access_goal(partnership, goal_id) if goal_id else None
    return {**data, "owner": owner, "goal": goal}


def _record_goal_choices(
    request: AuthedRequest, partnership: Partnership, form: ActionItemForm
) -> None:
    """The goal picker lists goal titles, which are private too."""
    private_read(
        user=request.user,
        partnership=partnership,
        kind="goals",
        count=form.goal_count,
        request=request,
    )


@workspace_page()
def actions(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    meeting_id = request.GET.get("meeting") or request.POST.get("meeting")
    meeting = (
        policies.access_meeting(partnership, int(meeting_id))
        if meeting_id and meeting_id.isdigit()
        else None
    )
    form = _form(partnership, request.POST or None, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_create(
                partnership=partnership,
                by=request.user,
                meeting=meeting,
                **_links(partnership, form),  # type: ignore[arg-type]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action item added.")
            if meeting is not None:
                return redirect("workspace:meeting", partnership.pk, meeting.pk)
            return redirect("workspace:actions", partnership.pk)
    items = list(selectors.action_items_of(partnership))
    private_read(
        user=request.user,
        partnership=partnership,
        kind="action_items",
        count=len(items),
        request=request,
    )
    _record_goal_choices(request, partnership, form)
    return render_workspace(
        request,
        partnership,
        "workspace/actions.html",
        {
            "open_items": [item for item in items if not item.is_done],
            "done_items": [item for item in items if item.is_done],
            "form": form,
            "meeting": meeting,
        },
    )


@workspace_page()
def action_edit(request: AuthedRequest, partnership: Partnership, item_id: int) -> HttpResponse:
    item = policies.access_action_item(partnership, item_id)
    initial = {
        "text": item.text,
        "owner": item.owner_id,
        "due_on": item.due_on,
        "goal": item.goal_id,
        "serves_main_thing": item.serves_main_thing,
    }
    form = _form(partnership, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_update(item=item, by=request.user, **_links(partnership, form))  # type: ignore[arg-type]
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action item saved.")
            return redirect("workspace:actions", partnership.pk)
    private_read(
        user=request.user,
        partnership=partnership,
        kind="action_items",
        count=1,
        request=request,
        object_id=item.pk,
    )
    _record_goal_choices(request, partnership, form)
    return render_workspace(
        request, partnership, "workspace/action_edit.html", {"item": item, "form": form}
    )


@require_POST
@workspace_page()
def action_done(request: AuthedRequest, partnership: Partnership, item_id: int) -> HttpResponse:
    item: ActionItem = policies.access_action_item(partnership, item_id)
    done = request.POST.get("done") != "no"
    run_action(
        request,
        lambda: services.action_item_set_done(item=item, by=request.user, done=done),
        "Done — nice work." if done else "Marked as not done.",
    )
    target = request.POST.get("next", "")
    if target == "meeting" and item.meeting_id:
        return redirect("workspace:meeting", partnership.pk, item.meeting_id)
    return redirect("workspace:actions", partnership.pk)
