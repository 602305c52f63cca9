"""Participant pages: proposed matches, with partners' shared profile fields, to accept or decline.

Every proposal comes through ``access_partnership`` (404 unless the person is a member).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.core.http import AuthedRequest
from tandem.partnerships import services as partnership_services
from tandem.partnerships.models import Partnership
from tandem.partnerships.selectors import access_partnership
from tandem.rounds import selectors


@login_required
def proposals(request: AuthedRequest) -> HttpResponse:
    waiting = [
        selectors.proposal_details(p, request.user)
        for p in selectors.proposals_for_user(request.user)
    ]
    return render(request, "rounds/proposals.html", {"proposals": waiting})


@login_required
def proposal(request: AuthedRequest, partnership_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, partnership_id)
    details = selectors.proposal_details(partnership, request.user)
    return render(request, "rounds/proposal.html", details)


@login_required
@require_POST
def proposal_accept(request: AuthedRequest, partnership_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, partnership_id)
    try:
        answered = partnership_services.partnership_accept(
            partnership=partnership, member=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rounds:proposal", partnership.pk)
    if answered.status == Partnership.Status.ACTIVE:
        messages.success(request, "Everyone accepted: your workspace is open.")
        return redirect("workspace:home", answered.pk)
    messages.success(request, "Accepted. We will tell you when everyone has answered.")
    return redirect("rounds:proposal", partnership.pk)


@login_required
@require_POST
def proposal_decline(request: AuthedRequest, partnership_id: int) -> HttpResponse:
    partnership = access_partnership(request.user, partnership_id)
    try:
        partnership_services.partnership_decline(partnership=partnership, member=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rounds:proposal", partnership.pk)
    messages.success(request, "Declined. Nobody is told a reason, and none is needed.")
    return redirect("rounds:proposals")
