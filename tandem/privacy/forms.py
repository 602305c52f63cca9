"""Confirming an account deletion: the password, or the address for institution-only accounts."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.accounts.models import User


class AccountDeleteForm(forms.Form):
    confirmation = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            field = self.fields["confirmation"]
            field.label = "Your email address"
            field.help_text = "You sign in through your institution: type your address to confirm."
            field.widget = forms.EmailInput(attrs={"autocomplete": "off"})

    def clean_confirmation(self) -> str:
        value: str = self.cleaned_data["confirmation"]
        if self.user.has_usable_password():
            if not self.user.check_password(value):
                raise forms.ValidationError("That is not your password.")
        elif value.strip().lower() != self.user.email.lower():
            raise forms.ValidationError("That is not the address of this account.")
        return value
