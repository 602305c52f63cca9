"""Shared goals around each person's main thing: milestones, comments and cheers."""

from __future__ import annotations

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
from tandem.workspace.forms import CommentForm, GoalForm, MilestoneForm
from tandem.workspace.views.base import render_workspace, run_action, workspace_page


@workspace_page()
def goals(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(
                partnership=partnership, owner=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Goal added.")
            return redirect("workspace:goal", partnership.pk, goal.pk)
    found = list(selectors.goals_of(partnership))
    private_read(
        user=request.user, partnership=partnership, kind="goals", count=len(found), request=request
    )
    return render_workspace(
        request,
        partnership,
        "workspace/goals.html",
        {"goals": found, "form": form, "main_things": selectors.main_things(partnership)},
    )


@workspace_page()
def goal_detail(request: AuthedRequest, partnership: Partnership, goal_id: int) -> HttpResponse:
    goal = policies.access_goal(partnership, goal_id)
    comment_form = CommentForm(request.POST or None)
    if request.method == "POST" and comment_form.is_valid():
        try:
            services.goal_comment_add(
                goal=goal, author=request.user, body=comment_form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(comment_form, error)
        else:
            messages.success(request, "Comment added.")
            return redirect("workspace:goal", partnership.pk, goal.pk)
    comments = list(selectors.goal_comments(goal))
    private_read(
        user=request.user,
        partnership=partnership,
        kind="goal",
        count=1 + len(comments),
        request=request,
        object_id=goal.pk,
    )
    return render_workspace(
        request,
        partnership,
        "workspace/goal_detail.html",
        {
            "goal": goal,
            "milestones": list(goal.milestones.all()),
            "comments": comments,
            "cheers": list(selectors.goal_cheers(goal)),
            "comment_form": comment_form,
            "milestone_form": MilestoneForm(),
            "is_owner": goal.owner_id == request.user.pk,
        },
    )


@workspace_page()
def goal_edit(request: AuthedRequest, partnership: Partnership, goal_id: int) -> HttpResponse:
    goal = policies.access_goal(partnership, goal_id)
    form = GoalForm.for_goal(goal, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(goal=goal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Goal saved.")
            return redirect("workspace:goal", partnership.pk, goal.pk)
    private_read(
        user=request.user,
        partnership=partnership,
        kind="goal",
        count=1,
        request=request,
        object_id=goal.pk,
    )
    return render_workspace(
        request, partnership, "workspace/goal_edit.html", {"goal": goal, "form": form}
    )


@require_POST
@workspace_page()
def milestone_add(request: AuthedRequest, partnership: Partnership, goal_id: int) -> HttpResponse:
    goal = policies.access_goal(partnership, goal_id)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Describe the milestone in a few words.")
    else:
        run_action(
            request,
            lambda: services.milestone_add(goal=goal, by=request.user, **form.cleaned_data),
            "Milestone added.",
        )
    return redirect("workspace:goal", partnership.pk, goal.pk)


@require_POST
@workspace_page()
def milestone_reach(
    request: AuthedRequest, partnership: Partnership, goal_id: int, milestone_id: int
) -> HttpResponse:
    goal = policies.access_goal(partnership, goal_id)
    milestone = policies.access_milestone(goal, milestone_id)
    reached = request.POST.get("reached") != "no"
    run_action(
        request,
        lambda: services.milestone_set_reached(
            milestone=milestone, by=request.user, reached=reached
        ),
        "Milestone reached — well done." if reached else "Milestone reopened.",
    )
    return redirect("workspace:goal", partnership.pk, goal.pk)


@require_POST
@workspace_page()
def goal_cheer(request: AuthedRequest, partnership: Partnership, goal_id: int) -> HttpResponse:
    goal = policies.access_goal(partnership, goal_id)
    run_action(request, lambda: services.goal_cheer(goal=goal, user=request.user), "Cheered!")
    return redirect("workspace:goal", partnership.pk, goal.pk)
