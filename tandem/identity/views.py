"""The admin's own sign-in and password pages, replaced by the site's: the site's sign-in asks
for the second factor and counts failures, and its password change ends the other sessions."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

ADMIN_ROOT = "/admin/"


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """/admin/login/: never a password form of its own."""
    wanted = request.GET.get("next", "")
    target = wanted if wanted.startswith(ADMIN_ROOT) and "//" not in wanted else ADMIN_ROOT
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(target)
        raise PermissionDenied  # signed in, but not an operator: no loop back to sign-in
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


@login_required
def admin_password_change(request: HttpRequest) -> HttpResponse:
    """/admin/password_change/: the operator changes their own password like everyone else."""
    return redirect("account_change_password")
