"""Account forms: the invitation sign-up form and the personal API token form."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm
from allauth.core import context as allauth_context
from django import forms

from tandem.accounts.models import ApiToken
from tandem.accounts.services import (
    TOKEN_LIFETIME_DAYS_DEFAULT,
    TOKEN_LIFETIME_DAYS_MAX,
    TOKEN_LIFETIME_DAYS_MIN,
)
from tandem.programs import invitations


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


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, so you can recognise it later."
    )
    scope = forms.ChoiceField(
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text="A read-only token can read through the API but change nothing.",
    )
    lifetime_days = forms.IntegerField(
        label="Expires after (days)",
        min_value=TOKEN_LIFETIME_DAYS_MIN,
        max_value=TOKEN_LIFETIME_DAYS_MAX,
        initial=TOKEN_LIFETIME_DAYS_DEFAULT,
        help_text=f"From {TOKEN_LIFETIME_DAYS_MIN} to {TOKEN_LIFETIME_DAYS_MAX} days.",
    )
