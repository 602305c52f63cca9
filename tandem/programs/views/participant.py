"""Participant pages: home, profile, joining a cohort and accepting an invitation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.accounts.selectors import email_confirmed
from tandem.core.forms import add_service_errors
from tandem.core.http import AuthedRequest
from tandem.core.next_steps import next_steps_for
from tandem.programs import invitations, policies, selectors, services
from tandem.programs.forms import ProfileForm
from tandem.programs.models import Cohort, Invitation


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    user: User = request.user
    return render(
        request,
        "programs/home.html",
        {
            "enrollments": selectors.enrollments_of(user),
            "profiles": selectors.profiles_of(user),
            "open_cohorts": selectors.open_cohorts_for(user),
            "coordinated": selectors.programs_coordinated_by(user),
            "researched": selectors.programs_researched_by(user),
            "next_steps": next_steps_for(user, today=timezone.localdate()),
        },
    )


@login_required
def profile_edit(request: AuthedRequest, program_slug: str) -> HttpResponse:
    profile = policies.access_own_profile(request.user, program_slug)
    form = ProfileForm.for_profile(profile, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(profile=profile, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Profile saved — {profile.completeness}% complete.")
            return redirect("participant:profile", program_slug)
    return render(request, "programs/profile_form.html", {"form": form, "profile": profile})


def join(request: HttpRequest, token: str) -> HttpResponse:
    """An open cohort's shareable join link."""
    cohort = Cohort.objects.select_related("program").filter(join_token=token).first()
    if cohort is None:
        raise Http404
    if not cohort.enrolment_open:
        return render(request, "programs/join_closed.html", {"cohort": cohort}, status=410)
    if not request.user.is_authenticated:
        invitations.remember_join(request, cohort)
        return render(request, "programs/join_anonymous.html", {"cohort": cohort})
    confirmed = email_confirmed(request.user)
    if request.method == "POST":
        try:
            services.enrollment_self_enrol(cohort=cohort, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("participant:join", token)
        messages.success(request, f"You have joined {cohort.name}. Please complete your profile.")
        return redirect("participant:profile", cohort.program.slug)
    already = cohort.enrollments.filter(user=request.user).exists()
    return render(
        request,
        "programs/join.html",
        {"cohort": cohort, "already": already, "confirmed": confirmed},
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation email."""
    found = services.invitation_for_token(token)
    if found is None:
        raise Http404
    if not found.is_usable:
        return render(request, "programs/invitation_used.html", {"invitation": found}, status=410)
    if not request.user.is_authenticated:
        invitations.remember_invitation(request, token)
        existing = User.objects.filter(email__iexact=found.email).first()
        if existing is None:
            return redirect("account_signup")
        if not existing.has_usable_password():
            return _first_password(request, found, existing)
        return redirect(f"{reverse('account_login')}?next={request.path}")
    user: User = request.user
    if user.email.lower() != found.email.lower():
        return render(
            request, "programs/invitation_other_user.html", {"invitation": found}, status=403
        )
    if request.method == "POST":
        services.invitation_accept(invitation=found, user=user)
        invitations.forget(request)
        messages.success(request, f"Welcome to {found.program.name}.")
        if found.cohort is not None:
            return redirect("participant:profile", found.program.slug)
        return redirect("programs:detail", found.program.slug)
    return render(request, "programs/invitation.html", {"invitation": found})


def _first_password(request: HttpRequest, found: Invitation, user: User) -> HttpResponse:
    """A person enrolled from a roster chooses a password, and is signed in."""
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            services.invitation_accept(invitation=found, user=user)
        invitations.forget(request)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to {found.program.name}. Please check your profile.")
        return redirect("participant:profile", found.program.slug)
    return render(request, "programs/invitation_password.html", {"invitation": found, "form": form})
