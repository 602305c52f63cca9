"""Account forms: the personal API token form (the invitation sign-up form lives in programs)."""

from __future__ import annotations

from django import forms

from tandem.accounts.models import ApiToken
from tandem.accounts.services import (
    TOKEN_LIFETIME_DAYS_DEFAULT,
    TOKEN_LIFETIME_DAYS_MAX,
    TOKEN_LIFETIME_DAYS_MIN,
)


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
