"""The operator's audit page: who did what, to which object, and when — never the content."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from tandem.accounts.policies import is_operator
from tandem.audit.forms import AuditFilterForm
from tandem.audit.selectors import audit_events
from tandem.core.http import AuthedRequest
from tandem.core.pagination import page_of

PAGE_SIZE = 50


@login_required
def audit_log(request: AuthedRequest) -> HttpResponse:
    if not is_operator(request.user):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events(**{key: value for key, value in filters.items() if value})
    page, query = page_of(request, events, PAGE_SIZE)
    return render(
        request,
        "audit/audit_log.html",
        {"form": form, "page": page, "query": query},
    )
