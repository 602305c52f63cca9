"""Outcomes CSV import pages: upload, read the dry-run preview, then apply or discard it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from tandem.core.http import AuthedRequest
from tandem.core.imports import preview_context
from tandem.outcomes import policies, selectors
from tandem.outcomes.csv_import import (
    KIND_COLUMNS,
    OUTCOMES,
    outcome_import_apply,
    outcome_import_discard,
    outcome_import_preview,
)
from tandem.outcomes.forms import OutcomeCsvForm
from tandem.outcomes.models import Departure, Grant


@login_required
def upload(request: AuthedRequest, slug: str) -> HttpResponse:
    program = policies.access_registry(request.user, slug)
    form = OutcomeCsvForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        outcome_import = outcome_import_preview(
            program=program, uploaded_by=request.user, filename=upload.name, content=upload.text
        )
        return redirect("outcomes:import_preview", slug, outcome_import.pk)
    return render(
        request,
        "outcomes/import_upload.html",
        {
            "program": program,
            "form": form,
            "recent": selectors.recent_imports(program),
            "kind_columns": KIND_COLUMNS,
            "reasons": Departure.Reason.values,
            "roles": Grant.Role.values,
        },
    )


@login_required
def preview(request: AuthedRequest, slug: str, import_id: int) -> HttpResponse:
    program = policies.access_registry(request.user, slug)
    outcome_import = program.outcome_imports.filter(pk=import_id).first()
    if outcome_import is None:
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            outcome_import_discard(outcome_import=outcome_import)
            messages.info(request, "Import discarded; nothing was changed.")
            return redirect("outcomes:import_upload", slug)
        try:
            plan = outcome_import_apply(outcome_import=outcome_import, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("outcomes:import_preview", slug, import_id)
        messages.success(
            request,
            f"Imported: {plan.count('created')} added, {plan.count('updated')} updated, "
            f"{plan.count('unchanged')} already recorded.",
        )
        return redirect("outcomes:registry", slug)
    return render(
        request,
        "outcomes/import_preview.html",
        {"program": program, **preview_context(OUTCOMES, outcome_import)},
    )
