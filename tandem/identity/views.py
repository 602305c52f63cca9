"""Pages of sign-in identity: proving an existing account is one's own before an institution's
sign-in is linked to it, and the admin's own sign-in and password pages replaced by the site's
(the site's sign-in asks for the second factor; its password change ends the other sessions)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tandem.identity import linking

ADMIN_ROOT = "/admin/"


def link_required(request: HttpRequest) -> HttpResponse:
    """An institution asserted the address of an existing account: ask for proof."""
    pending = linking.institution_link_pending(request)
    if pending is None:
        return redirect("account_login")
    if request.method == "POST":
        user = linking.institution_link_send(request, pending)
        return render(request, "identity/link_sent.html", {"pending": pending, "email": user.email})
    sign_in_first = f"{reverse('account_login')}?{urlencode({'next': pending.connect_url})}"
    return render(
        request, "identity/link_required.html", {"pending": pending, "sign_in_first": sign_in_first}
    )


def link_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed link: a button, so that mail scanners opening links link nothing."""
    if request.method != "POST":
        return render(request, "identity/link_confirm.html")
    try:
        _, pending = linking.institution_link_confirm(request, token)
    except ValidationError as error:
        return render(
            request, "identity/link_failed.html", {"reason": " ".join(error.messages)}, status=400
        )
    messages.success(
        request, f"Your {pending.institution} sign-in is linked. Sign in through it now."
    )
    return redirect("account_login")


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
