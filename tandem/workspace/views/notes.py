"""Shared private notes: list and write, edit or delete your own."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from tandem.core.forms import add_service_errors
from tandem.core.http import AuthedRequest
from tandem.partnerships.models import Partnership
from tandem.workspace import policies, selectors, services
from tandem.workspace.audit import private_read
from tandem.workspace.forms import NoteForm
from tandem.workspace.views.base import render_workspace, run_action, workspace_page


@workspace_page()
def notes(request: AuthedRequest, partnership: Partnership) -> HttpResponse:
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.note_create(
                partnership=partnership, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Note saved.")
            return redirect("workspace:notes", partnership.pk)
    found = list(selectors.notes_of(partnership))
    private_read(
        user=request.user, partnership=partnership, kind="notes", count=len(found), request=request
    )
    return render_workspace(
        request, partnership, "workspace/notes.html", {"notes": found, "form": form}
    )


@workspace_page()
def note_edit(request: AuthedRequest, partnership: Partnership, note_id: int) -> HttpResponse:
    note = policies.access_note(partnership, note_id)
    form = NoteForm(request.POST or None, initial={"body": note.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.note_update(note=note, editor=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Note saved.")
            return redirect("workspace:notes", partnership.pk)
    private_read(
        user=request.user,
        partnership=partnership,
        kind="notes",
        count=1,
        request=request,
        object_id=note.pk,
    )
    return render_workspace(
        request, partnership, "workspace/note_edit.html", {"note": note, "form": form}
    )


@require_POST
@workspace_page()
def note_delete(request: AuthedRequest, partnership: Partnership, note_id: int) -> HttpResponse:
    note = policies.access_note(partnership, note_id)
    run_action(request, lambda: services.note_delete(note=note, by=request.user), "Note deleted.")
    return redirect("workspace:notes", partnership.pk)
