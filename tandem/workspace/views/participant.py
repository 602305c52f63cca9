"""Workspace pages for the members: agreement, notes, goals, meetings, actions, exit.

Every page opens the partnership through ``workspace_page`` (members only, 404 otherwise);
reads of private content are written to the audit log, one event per page and kind.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from tandem.core.forms import add_service_errors
from tandem.core.http import AuthedRequest
from tandem.partnerships.models import Partnership
from tandem.partnerships.services import partnership_exit
from tandem.workspace import policies, selectors, services
from tandem.workspace.audit import private_read
from tandem.workspace.forms import AgreementTextForm
from tandem.workspace.prompts import agenda_prompt
from tandem.workspace.views.base import render_workspace, run_action, workspace_page


@login_required
def workspace_list(request: AuthedRequest) -> HttpResponse:
    partnerships = selectors.workspaces_for(request.user)
    return render(request, "workspace/list.html", {"partnerships": partnerships})


@workspace_page()
def home(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    overdue = list(selectors.overdue_action_items(partnership))
    private_read(
        user=request.user,
        partnership=partnership,
        kind="action_items",
        count=len(overdue),
        request=request,
    )
    upcoming = selectors.next_meeting(partnership)
    return render_workspace(
        request,
        partnership,
        "workspace/home.html",
        {
            "main_things": selectors.main_things(partnership),
            "focus": selectors.focus_for(partnership),
            "nudge_below": round(100 * selectors.FOCUS_NUDGE_BELOW),
            "next_meeting": upcoming,
            "next_prompt": agenda_prompt(upcoming.number) if upcoming else None,
            "overdue": overdue,
        },
    )


@workspace_page(needs_agreement=False)
def agreement(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    if policies.can_write(partnership) and not selectors.agreement_versions(partnership):
        services.agreement_start(partnership=partnership)
    pending = selectors.agreement_pending(partnership)
    if (
        request.method == "POST"
        and pending is not None
        and run_action(
            request,
            lambda: services.agreement_sign(version=pending, user=request.user),
            "You signed the agreement.",
        )
    ):
        return redirect("workspace:agreement", partnership.pk)
    versions = selectors.agreement_versions(partnership)
    in_force = selectors.agreement_in_force(partnership)
    private_read(
        user=request.user,
        partnership=partnership,
        kind="agreement",
        count=len(versions),
        request=request,
    )
    return render_workspace(
        request,
        partnership,
        "workspace/agreement.html",
        {
            "current": selectors.agreement_current(partnership),
            "pending": pending,
            "signed_pending": pending is not None
            and any(s.user_id == request.user.pk for s in pending.signatures.all()),
            "versions": versions,
            "in_force": in_force,
            "hide_tabs": not in_force,
        },
    )


@workspace_page()
def agreement_amend(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    current = selectors.agreement_current(partnership)
    form = AgreementTextForm(
        request.POST or None, initial={"text": current.text if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_propose(
                partnership=partnership, user=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your proposal is signed by you and waits for the others.")
            return redirect("workspace:agreement", partnership.pk)
    private_read(
        user=request.user,
        partnership=partnership,
        kind="agreement",
        count=1 if current else 0,
        request=request,
    )
    return render_workspace(request, partnership, "workspace/agreement_amend.html", {"form": form})


@workspace_page()
def accountability(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    return render_workspace(
        request,
        partnership,
        "workspace/accountability.html",
        {"summary": selectors.accountability_for(partnership)},
    )


@workspace_page(needs_agreement=False)
def exit_partnership(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    if request.method == "POST":
        try:
            partnership_exit(partnership=partnership, member=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("workspace:home", partnership.pk)
        messages.success(
            request,
            "Your partnership has ended. Your partner has been told kindly, with no reason "
            "given. Its workspace is now closed to every member.",
        )
        # The workspace no longer opens for anyone, so the person lands on their list.
        return redirect("workspace:list")
    return render_workspace(request, partnership, "workspace/exit.html", {})
