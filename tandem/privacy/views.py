"""A person's own data: download all of it, or delete the account."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.core.http import AuthedRequest
from tandem.core.ratelimit import rate_limit_consume
from tandem.privacy import services
from tandem.privacy.forms import AccountDeleteForm


@login_required
def my_data(request: AuthedRequest) -> HttpResponse:
    return render(request, "privacy/my_data.html", {"form": AccountDeleteForm(user=request.user)})


@login_required
@require_POST
def my_data_download(request: AuthedRequest) -> HttpResponse:
    allowed = rate_limit_consume(
        scope="personal-data", key=str(request.user.pk), rate=settings.TANDEM_EXPORT_RATE_LIMIT
    )
    if not allowed:
        return render(request, "privacy/too_many.html", status=429)
    kind = "zip" if request.POST.get("format") == "zip" else "json"
    data = services.personal_data_collect(request.user)
    audit_record(
        action=AuditEvent.Action.PERSONAL_DATA_DOWNLOADED,
        actor=request.user,
        target=request.user,
        request=request,
        format=kind,
    )
    if kind == "zip":
        response = HttpResponse(services.personal_data_zip(data), content_type="application/zip")
    else:
        response = HttpResponse(services.personal_data_json(data), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="tandem-my-data.{kind}"'
    return response


@login_required
def account_delete(request: AuthedRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.account_delete(user=user, request=request)
        messages.success(request, "Your account and your data have been deleted.")
        return redirect("home")
    return render(request, "privacy/account_delete.html", {"form": form})
