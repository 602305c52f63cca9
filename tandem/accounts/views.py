"""Account pages beyond sign-in: personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.accounts import policies, selectors, services
from tandem.accounts.forms import ApiTokenForm
from tandem.core.http import AuthedRequest


@login_required
def overview(request: AuthedRequest) -> HttpResponse:
    return render(request, "accounts/overview.html")


@login_required
def api_tokens(request: AuthedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        _, new_secret = services.api_token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            lifetime_days=form.cleaned_data["lifetime_days"],
            request=request,
        )
        form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": selectors.api_tokens_of(request.user), "new_secret": new_secret},
    )


@login_required
@require_POST
def api_token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    token = policies.access_api_token(request.user, token_id)
    services.api_token_revoke(token=token, actor=request.user, request=request)
    messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("accounts:api_tokens")
