"""Sign-up is by invitation only: an emailed invitation or an open cohort's join link.

The pending invitation or join link is kept in the session between the link and the
sign-up form, and applied once the account exists (tandem.programs.receivers). An
invitation's link proves the address; a join link proves nothing, so that account joins only
once its address is confirmed.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from tandem.accounts.models import User
from tandem.programs import invitations


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return invitations.pending_from_session(request) is not None

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> User:
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", "")
        user.email = user.email.lower()
        if commit:
            user.save()
            pending = invitations.pending_from_session(request)
            if pending is not None and pending.email and pending.email.lower() == user.email:
                # The emailed invitation proved the address (a join link proves nothing).
                self.stash_verified_email(request, user.email)
        return user

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return "/"

    def get_email_verification_redirect_url(self, email_address: Any) -> str:
        """After a join link's sign-up, the confirmed address leads back to the join page."""
        pending = invitations.pending_from_session(self.request)
        if pending is not None and pending.invitation is None and pending.cohort is not None:
            return reverse("participant:join", args=[pending.cohort.join_token])
        return super().get_email_verification_redirect_url(email_address)
