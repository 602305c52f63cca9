"""The page where each person chooses which reminder emails they get."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from tandem.core.forms import add_service_errors
from tandem.core.http import AuthedRequest
from tandem.notifications import services
from tandem.notifications.forms import NotificationPreferenceForm


@login_required
def preferences(request: AuthedRequest) -> HttpResponse:
    preference = services.preference_for(request.user)
    form = NotificationPreferenceForm.for_preference(preference, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_preference_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Notification preferences saved.")
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
