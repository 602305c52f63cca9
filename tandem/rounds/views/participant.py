"""Participant pages: proposed matches to accept or decline, and late joiners to agree to.

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
from tandem.partnerships.policies import access_partnership
from tandem.rounds import policies, selectors, services


@login_required
def proposals(request: AuthedRequest) -> HttpResponse:
    waiting = [
        selectors.proposal_details(p, request.user)
        for p in selectors.proposals_for_user(request.user)
    ]
    consents = selectors.placement_consents_for(request.user)
    return render(request, "rounds/proposals.html", {"proposals": waiting, "consents": consents})


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


@login_required
def placement(request: AuthedRequest, placement_id: int) -> HttpResponse:
    """A late joiner the coordinator suggests for the person's group: agree or not."""
    consent = policies.access_placement_consent(request.user, placement_id)
    return render(request, "rounds/placement.html", selectors.placement_details(consent))


@login_required
@require_POST
def placement_answer(request: AuthedRequest, placement_id: int) -> HttpResponse:
    consent = policies.access_placement_consent(request.user, placement_id)
    agree = request.POST.get("answer") == "yes"
    try:
        services.placement_consent_answer(
            placement=consent.placement, member=request.user, agree=agree
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rounds:proposals")
    if agree:
        messages.success(request, "Thank you: they join once every member has agreed.")
    else:
        messages.success(request, "Noted. The placement will not go ahead; nobody is told why.")
    return redirect("rounds:proposals")
