"""Roster import pages: upload a CSV, read the dry-run preview, then apply or discard it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from tandem.core.http import AuthedRequest
from tandem.core.imports import preview_context
from tandem.programs import policies
from tandem.programs.forms import RosterUploadForm
from tandem.programs.roster import ROSTER, roster_apply, roster_discard, roster_preview


@login_required
def upload(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = policies.access_cohort(request.user, slug, cohort_slug)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["roster"]
        roster_import = roster_preview(
            program=cohort.program,
            cohort=cohort,
            uploaded_by=request.user,
            filename=upload.name,
            content=upload.text,
        )
        return redirect("programs:roster_preview", slug, cohort_slug, roster_import.pk)
    recent = cohort.roster_imports.all()[:10]
    return render(
        request,
        "programs/roster_upload.html",
        {"program": cohort.program, "cohort": cohort, "form": form, "recent": recent},
    )


@login_required
def preview(request: AuthedRequest, slug: str, cohort_slug: str, import_id: int) -> HttpResponse:
    cohort = policies.access_cohort(request.user, slug, cohort_slug)
    roster_import = cohort.roster_imports.filter(pk=import_id).first()
    if roster_import is None:
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            roster_discard(roster_import=roster_import)
            messages.info(request, "Import discarded; nothing was changed.")
            return redirect("programs:roster_upload", slug, cohort_slug)
        try:
            plan = roster_apply(roster_import=roster_import, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("programs:roster_preview", slug, cohort_slug, import_id)
        messages.success(
            request,
            f"Imported: {plan.count('invited')} invited, {plan.count('updated')} updated, "
            f"{plan.count('unchanged')} unchanged.",
        )
        return redirect("programs:cohort", slug, cohort_slug)
    return render(
        request,
        "programs/roster_preview.html",
        {"program": cohort.program, "cohort": cohort, **preview_context(ROSTER, roster_import)},
    )
