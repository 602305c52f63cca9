"""Coordinator pages: programs, cohorts, people and invitations.

Every view resolves its program or cohort through the policy helpers, which answer 404 to
anyone who is not a coordinator of that program.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.core.cohort_hub import stages_for
from tandem.core.forms import SearchForm, add_service_errors
from tandem.core.http import AuthedRequest
from tandem.core.pagination import ROWS_PER_PAGE, page_of
from tandem.core.standing import departed
from tandem.engine.defaults import DEFAULT_LADDER, DEFAULT_TOPICS
from tandem.engine.roster import slot_words, slots_in_order
from tandem.programs import policies, selectors, services
from tandem.programs.forms import (
    CohortForm,
    InviteParticipantsForm,
    InviteStaffForm,
    ProgramForm,
)
from tandem.programs.models import Enrollment, Invitation, ProgramRole


@login_required
def program_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "programs/program_list.html",
        {
            "programs": selectors.programs_coordinated_by(request.user),
            "can_create": policies.can_create_program(request.user),
        },
    )


@login_required
def program_create(request: AuthedRequest) -> HttpResponse:
    if not policies.can_create_program(request.user):
        raise Http404
    form = ProgramForm(
        request.POST or None,
        initial={"ladder": list(DEFAULT_LADDER), "topics": list(DEFAULT_TOPICS)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(creator=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Program “{program.name}” created.")
            return redirect("programs:detail", program.slug)
    return render(request, "programs/program_form.html", {"form": form})


@login_required
def program_detail(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "cohorts": selectors.cohorts_with_counts(program),
            "roles": program.roles.select_related("user").order_by("role", "user__full_name"),
            "invitations": selectors.pending_invitations(program).exclude(
                role=Invitation.Role.PARTICIPANT
            ),
            "staff_form": InviteStaffForm(),
            # Some pages (the engagement list) open to the program's coordinators only.
            "is_coordinator": policies.has_role(
                request.user, program, ProgramRole.Role.COORDINATOR
            ),
        },
    )


@login_required
def program_edit(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    form = ProgramForm.for_program(program, request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "slug"}
        try:
            services.program_update(program=program, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Program settings saved.")
            return redirect("programs:detail", program.slug)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


@login_required
@require_POST
def staff_invite(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    form = InviteStaffForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            services.invitation_create(
                program=program,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
    else:
        messages.error(request, "Enter a valid email address and role.")
    return redirect("programs:detail", program.slug)


@login_required
def people(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    profiles = list(program.profiles.select_related("user").order_by("user__full_name"))
    left = departed(program, [p.user_id for p in profiles], today=timezone.localdate())
    return render(
        request,
        "programs/people.html",
        {
            "program": program,
            "rows": [(profile, left.get(profile.user_id)) for profile in profiles],
        },
    )


@login_required
def person_detail(request: AuthedRequest, slug: str, profile_id: int) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    profile = policies.access_member_profile(program, profile_id)
    enrollments = Enrollment.objects.filter(user=profile.user, cohort__program=program)
    return render(
        request,
        "programs/person_detail.html",
        {
            "program": program,
            "profile": profile,
            "availability": [slot_words(s) for s in slots_in_order(profile.availability)],
            "enrollments": enrollments.select_related("cohort"),
        },
    )


@login_required
def cohort_create(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_program(request.user, slug)
    form = CohortForm(request.POST or None, initial={"mode": "pairs", "enrolment_open": True})
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(program=program, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Cohort “{cohort.name}” created.")
            return redirect("programs:cohort", program.slug, cohort.slug)
    return render(request, "programs/cohort_form.html", {"form": form, "program": program})


@login_required
def cohort_detail(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = policies.access_cohort(request.user, slug, cohort_slug)
    search = SearchForm(request.GET)
    terms = search.terms()
    page, query = page_of(request, selectors.enrollments_in(cohort, terms), ROWS_PER_PAGE)
    profiles = selectors.profiles_by_user(cohort.program, [e.user_id for e in page])
    left = departed(cohort.program, [e.user_id for e in page], today=timezone.localdate())
    rows = [
        (enrollment, profiles.get(enrollment.user_id), left.get(enrollment.user_id))
        for enrollment in page
    ]
    return render(
        request,
        "programs/cohort_detail.html",
        {
            "program": cohort.program,
            "cohort": cohort,
            "rows": rows,
            "page": page,
            "query": query,
            "search": search,
            # The paginator has counted everyone already unless a search narrowed the list.
            "enrolled": cohort.enrollments.count() if terms else page.paginator.count,
            "invitations": cohort.invitations.filter(accepted_at__isnull=True),
            "invite_form": InviteParticipantsForm(),
            "stages": stages_for(cohort, request.user),
            "join_url": request.build_absolute_uri(
                reverse("participant:join", args=[cohort.join_token])
            ),
        },
    )


@login_required
def cohort_edit(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = policies.access_cohort(request.user, slug, cohort_slug)
    form = CohortForm.for_cohort(cohort, request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "slug"}
        try:
            services.cohort_update(cohort=cohort, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Cohort saved.")
            return redirect("programs:cohort", slug, cohort.slug)
    return render(
        request,
        "programs/cohort_form.html",
        {"form": form, "program": cohort.program, "cohort": cohort},
    )


@login_required
@require_POST
def cohort_invite(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = policies.access_cohort(request.user, slug, cohort_slug)
    form = InviteParticipantsForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "programs/cohort_invite_error.html",
            {"program": cohort.program, "cohort": cohort, "invite_form": form},
            status=400,
        )
    emails = form.cleaned_data["emails"]
    with transaction.atomic():
        for email in emails:
            services.invitation_create(
                program=cohort.program,
                cohort=cohort,
                email=email,
                invited_by=request.user,
            )
    messages.success(request, f"{len(emails)} invitation(s) sent.")
    return redirect("programs:cohort", slug, cohort.slug)
