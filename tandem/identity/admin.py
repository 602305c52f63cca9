"""allauth's sign-in records in the admin, read-only: an operator who could add an address,
a second factor or an institutional login to someone else's account could take it over.

Operators may still look at them, and remove a second factor or an institutional link a
person has lost (removing one never grants anyone access).
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.contrib import admin
from django.http import HttpRequest


class LookOnlyAdmin(admin.ModelAdmin):
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.can_delete and super().has_delete_permission(request, obj)


for model in (EmailAddress, Authenticator, SocialAccount, SocialToken):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(EmailAddress)
class EmailAddressAdmin(LookOnlyAdmin):
    list_display = ("email", "user", "primary", "verified")
    search_fields = ("email",)
    fields = ("email", "user", "primary", "verified")


@admin.register(Authenticator)
class AuthenticatorAdmin(LookOnlyAdmin):
    can_delete = True
    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    fields = ("user", "type", "created_at", "last_used_at")  # never the encrypted secrets


@admin.register(SocialAccount)
class SocialAccountAdmin(LookOnlyAdmin):
    can_delete = True
    list_display = ("user", "provider", "uid", "date_joined")
    list_filter = ("provider",)
    fields = ("user", "provider", "uid", "date_joined", "last_login")
