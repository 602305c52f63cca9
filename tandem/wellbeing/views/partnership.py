"""Pages inside a partnership's workspace: kudos, the marathon and what members chose to share.

Every view opens the partnership through the workspace's door (``access_workspace``: 404 for
anyone who is not or was not a member, and for partnerships without a workspace) and renders
in the workspace's frame, with its breadcrumb and tabs; sending and sharing need a current
membership.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.core.forms import add_service_errors
from tandem.core.http import AuthedRequest
from tandem.wellbeing import selectors, services
from tandem.wellbeing.forms import KudosForm
from tandem.wellbeing.timeline import timeline_by_month
from tandem.workspace.audit import private_read
from tandem.workspace.policies import access_workspace
from tandem.workspace.views.base import render_workspace


@login_required
def kudos(request: AuthedRequest, partnership_id: int) -> HttpResponse:
    partnership = access_workspace(request.user, partnership_id)
    partners = selectors.current_partners(partnership, request.user)
    can_send = selectors.current_member(partnership, request.user) is not None
    form = KudosForm(request.POST or None, partners=partners)
    if request.method == "POST" and can_send and form.is_valid():
        recipient_id = form.cleaned_data.get("recipient")
        recipient = next((p for p in partners if p.pk == recipient_id), None)
        try:
            services.kudos_send(
                partnership=partnership,
                sender=request.user,
                message=form.cleaned_data["message"],
                recipient=recipient,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Kudos sent.")
            return redirect("wellbeing:kudos", partnership.pk)
    return render_workspace(
        request,
        partnership,
        "wellbeing/kudos.html",
        {
            "title": "Kudos",
            "form": form,
            "can_send": can_send,
            "kudos": selectors.kudos_for(partnership),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def marathon(request: AuthedRequest, partnership_id: int) -> HttpResponse:
    partnership = access_workspace(request.user, partnership_id)
    months = timeline_by_month(partnership, request.user)
    counts = {
        kind: sum(month.count(kind) for month in months)
        for kind in ("kudos", "check-in", "milestone", "meeting")
    }
    # Milestones carry goal titles, pair-private text the workspace audits wherever it is read.
    private_read(
        user=request.user,
        partnership=partnership,
        kind="milestones",
        count=counts["milestone"],
        request=request,
    )
    return render_workspace(
        request,
        partnership,
        "wellbeing/marathon.html",
        {
            "title": "The marathon",
            "months": months,
            "kudos_count": counts["kudos"],
            "checkin_count": counts["check-in"],
            "milestone_count": counts["milestone"],
            "meeting_count": counts["meeting"],
        },
    )


@login_required
def shared(request: AuthedRequest, partnership_id: int) -> HttpResponse:
    """Check-ins and journal entries that members chose to share with this partnership."""
    partnership = access_workspace(request.user, partnership_id)
    pulses = selectors.shared_pulses_for(partnership, request.user)
    reflections = list(selectors.shared_reflections_for(partnership, request.user))
    if pulses or any(entry.author_id != request.user.pk for entry in reflections):
        audit_record(
            action=AuditEvent.Action.PRIVATE_READ,
            actor=request.user,
            target=partnership,
            request=request,
            shared_pulses=len(pulses),
            shared_reflections=len(reflections),
        )
    return render_workspace(
        request,
        partnership,
        "wellbeing/shared.html",
        {
            "title": "Shared with each other",
            "pulses": pulses,
            "reflections": reflections,
            "is_current": selectors.current_member(partnership, request.user) is not None,
        },
    )
