"""Coordinator pages of the outcomes registry: the people, one person's outcomes, entry by
hand, deletion, and publication files. Every person is reached through the policy (404 else).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.core.forms import add_service_errors
from tandem.core.http import AuthedRequest
from tandem.outcomes import policies, selectors, services
from tandem.outcomes.forms import FORMS, PublicationFileForm, RankChangeForm
from tandem.outcomes.publications import publications_import
from tandem.programs.models import Profile
from tandem.programs.selectors import programs_coordinated_by, programs_researched_by


@login_required
def programs(request: AuthedRequest) -> HttpResponse:
    """Where coordinators find each program's registry, and researchers its reports."""
    return render(
        request,
        "outcomes/programs.html",
        {
            "coordinated": programs_coordinated_by(request.user).prefetch_related("cohorts"),
            "researched": programs_researched_by(request.user).prefetch_related("cohorts"),
        },
    )


@login_required
def registry(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_registry(request.user, slug)
    return render(
        request,
        "outcomes/registry.html",
        {
            "program": program,
            "people": selectors.registry_people(program),
            "cohorts": program.cohorts.all(),
        },
    )


@login_required
def person(request: AuthedRequest, slug: str, profile_id: int) -> HttpResponse:
    profile = policies.access_outcome_profile(request.user, slug, profile_id)
    return render(
        request,
        "outcomes/person.html",
        {
            "program": profile.program,
            "profile": profile,
            "sections": selectors.outcome_sections(profile),
        },
    )


RECORDERS: dict[str, Callable[..., Any]] = {
    "departure": services.departure_record,
    "rank-change": services.rank_change_record,
    "fellowship": services.fellowship_match_record,
    "publication": services.publication_record,
    "grant": services.grant_record,
}


def _record(kind: str, profile: Profile, by: Any, values: dict[str, Any]) -> None:
    RECORDERS[kind](profile=profile, by=by, **values)


@login_required
def add(request: AuthedRequest, slug: str, profile_id: int) -> HttpResponse:
    profile = policies.access_outcome_profile(request.user, slug, profile_id)
    kind = request.GET.get("kind", "")
    outcome_kind = selectors.kind_or_404(kind)
    data = request.POST or None
    form = (
        RankChangeForm(data, program=profile.program)
        if kind == "rank-change"
        else FORMS[kind](data)
    )
    if request.method == "POST" and form.is_valid():
        try:
            _record(kind, profile, request.user, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{outcome_kind.label} recorded.")
            return redirect("outcomes:person", slug, profile.pk)
    return render(
        request,
        "outcomes/outcome_form.html",
        {"program": profile.program, "profile": profile, "kind": outcome_kind, "form": form},
    )


@login_required
@require_POST
def delete(request: AuthedRequest, slug: str, profile_id: int) -> HttpResponse:
    profile = policies.access_outcome_profile(request.user, slug, profile_id)
    outcome_kind = selectors.kind_or_404(request.POST.get("kind", ""))
    outcome_id = request.POST.get("outcome_id", "")
    if not outcome_id.isdigit():
        raise Http404
    outcome = policies.access_outcome(profile, outcome_kind, int(outcome_id))
    services.outcome_delete(outcome=outcome)  # type: ignore[arg-type]
    messages.success(request, f"{outcome_kind.label} removed.")
    return redirect("outcomes:person", slug, profile.pk)


@login_required
def publications_upload(request: AuthedRequest, slug: str, profile_id: int) -> HttpResponse:
    profile = policies.access_outcome_profile(request.user, slug, profile_id)
    form = PublicationFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            content = form.cleaned_data["file"].read().decode("utf-8-sig")
            result = publications_import(profile=profile, content=content, by=request.user)
        except UnicodeDecodeError:
            form.add_error("file", "The file is not UTF-8 text.")
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            message = f"{result.added} publication(s) added, {result.already} already recorded."
            if result.skipped:
                message += f" Skipped {len(result.skipped)}: " + "; ".join(result.skipped[:10])
            messages.success(request, message)
            return redirect("outcomes:person", slug, profile.pk)
    return render(
        request,
        "outcomes/publications_upload.html",
        {"program": profile.program, "profile": profile, "form": form},
    )
