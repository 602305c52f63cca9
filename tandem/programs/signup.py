"""Sign-up is by invitation only: an emailed invitation or an open cohort's join link.

The pending invitation or join link is kept in the session between the link and the
sign-up form, and applied once the account exists (tandem.programs.receivers). An
invitation's link proves the address; a join link proves nothing, so that account joins only
once its address is confirmed.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import SignupForm
from allauth.core import context as allauth_context
from django import forms
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.urls import reverse

from tandem.accounts.models import User
from tandem.core.mail import queue_rendered_email_on_commit
from tandem.programs import invitations


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Account e-mails (address confirmation, password reset, security notices) are
        rendered as allauth renders them, then queued: the worker sends them after the commit.
        """
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, full_context)
        queue_rendered_email_on_commit(
            to=list(message.to),
            template=template_prefix,
            subject=str(message.subject),
            body=str(message.body),
        )

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


class InvitationSignupForm(SignupForm):
    full_name = forms.CharField(max_length=200, label="Full name")

    field_order = ["full_name", "email", "password1", "password2"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # allauth does not hand the request to the sign-up form; it keeps it in a context var.
        request = allauth_context.request
        pending = invitations.pending_from_session(request) if request is not None else None
        self.invited_email = pending.email if pending is not None else None
        if pending is not None and pending.invitation is not None:
            # A roster's spelling of the name is only a suggestion; the person decides.
            self.fields["full_name"].initial = pending.invitation.full_name
        if self.invited_email:
            self.fields["email"].initial = self.invited_email
            self.fields["email"].help_text = "The address your invitation was sent to."
            self.fields["email"].widget.attrs["readonly"] = True

    def clean_email(self) -> str:
        email: str = super().clean_email()
        if self.invited_email and email.lower() != self.invited_email.lower():
            raise forms.ValidationError("Sign up with the address your invitation was sent to.")
        return email
