"""Engagement pages: a member's first-contact page and its buttons, the mailed link's page
(no sign-in), and the coordinator's at-risk list and rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.core.http import AuthedRequest
from tandem.engagement import policies, selectors, services
from tandem.engagement.forms import AnswerForm, RulesForm
from tandem.engagement.models import ContactCheck
from tandem.schedules.selectors import settings_of
from tandem.workspace.views.base import render_workspace


@login_required
def partnership(request: AuthedRequest, partnership_id: int) -> HttpResponse:
    found = policies.access_partnership_engagement(request.user, partnership_id)
    helped = selectors.help_offered(found, request.user)
    nudge = selectors.nudge_offered(found, request.user)
    return render_workspace(
        request,
        found,
        "engagement/partnership.html",
        {
            "title": "First contact",
            "status": selectors.status_of(found),
            "started": selectors.has_started(found),
            "check": selectors.latest_check(found, request.user),
            "answers": ContactCheck.Answer.choices,
            "help_offered": helped,
            "nudge_offered": nudge,
            "may_nudge": selectors.may_nudge(found, request.user),
            "windows": selectors.windows_for(found) if nudge else [],
            "zone": settings_of(request.user).timezone,
        },
    )


@login_required
@require_POST
def answer(request: AuthedRequest, partnership_id: int) -> HttpResponse:
    found = policies.access_partnership_engagement(request.user, partnership_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the three answers.")
        return redirect("engagement:partnership", found.pk)
    try:
        services.member_answer(
            partnership=found, member=request.user, answer=form.cleaned_data["answer"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Thank you: your answer is recorded.")
    return redirect("engagement:partnership", found.pk)


@login_required
@require_POST
def nudge(request: AuthedRequest, partnership_id: int) -> HttpResponse:
    found = policies.access_partnership_engagement(request.user, partnership_id)
    try:
        services.partner_nudge(partnership=found, member=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Tandem has sent your partner a friendly reminder.")
    return redirect("engagement:partnership", found.pk)


@login_required
def rematch(request: AuthedRequest, partnership_id: int) -> HttpResponse:
    """A confirmation page; its POST ends the partnership with a no-fault rematch."""
    found = policies.access_partnership_engagement(request.user, partnership_id)
    if request.method == "POST":
        try:
            services.rematch_request(partnership=found, member=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("engagement:partnership", found.pk)
        messages.success(
            request, "Your partnership has ended without fault; you will be matched again first."
        )
        return redirect("home")
    return render_workspace(
        request,
        found,
        "engagement/rematch.html",
        {"title": "No-fault rematch", "offered": selectors.help_offered(found, request.user)},
    )


def link(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed link: answers one check of one member, signs nobody in."""
    check = policies.check_from_token(token)
    if check is None:
        return render(request, "engagement/link_invalid.html", status=404)
    chosen = request.GET.get("answer", "")
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            services.check_answer(check=check, answer=form.cleaned_data["answer"])
            return render(
                request,
                "engagement/link_done.html",
                {
                    "check": check,
                    "help_offered": selectors.help_offered(check.partnership, check.member),
                },
            )
        chosen = ""
    return render(
        request,
        "engagement/link.html",
        {"check": check, "answers": ContactCheck.Answer.choices, "chosen": chosen},
    )


@login_required
def at_risk(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program_engagement(request.user, slug)
    rows = selectors.at_risk_rows(program)
    cohort = request.GET.get("cohort", "")
    if cohort:
        rows = [row for row in rows if row.cohort_slug == cohort]
    return render(
        request,
        "engagement/at_risk.html",
        {"program": program, "rows": rows, "rules": selectors.rules_of(program), "cohort": cohort},
    )


@login_required
def rules(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program_engagement(request.user, slug)
    form = RulesForm(request.POST or None, instance=selectors.rules_of(program))
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_update(
                program=program,
                at_risk_day=form.cleaned_data["at_risk_day"],
                rematch_day=form.cleaned_data["rematch_day"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The engagement rules are saved.")
            return redirect("engagement:at_risk", program.slug)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "engagement/rules.html", {"program": program, "form": form}, status=status
    )
