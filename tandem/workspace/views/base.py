"""What every workspace page shares: opening the partnership and the page's frame."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from tandem.core.hooks import hook_answers
from tandem.core.http import AuthedRequest
from tandem.partnerships.models import Partnership
from tandem.workspace import policies, selectors

WorkspaceView = Callable[..., HttpResponse]


def workspace_page(*, needs_agreement: bool = True) -> Callable[[WorkspaceView], Any]:
    """Open the partnership for a member (404 otherwise) and pass it to the view.

    Until the agreement is in force, every page but the agreement leads to the agreement;
    once the partnership has ended, every change is refused with 403.
    """

    def decorate(view: WorkspaceView) -> Any:
        @login_required
        @functools.wraps(view)
        def wrapper(request: AuthedRequest, partnership_id: int, **kwargs: Any) -> HttpResponse:
            partnership = policies.access_workspace(request.user, partnership_id)
            if request.method == "POST":
                policies.require_writable(partnership)
            if needs_agreement and not selectors.agreement_in_force(partnership):
                return redirect("workspace:agreement", partnership.pk)
            return view(request, partnership, **kwargs)

        return wrapper

    return decorate


def render_workspace(
    request: AuthedRequest,
    partnership: Partnership,
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    members = selectors.member_users(partnership)
    base = {
        "partnership": partnership,
        "members": members,
        "partners": [member for member in members if member.pk != request.user.pk],
        "writable": policies.can_write(partnership),
        "purge": selectors.purge_of(partnership),
        "readable_until": selectors.retention_ends_at(partnership),
        # Sections of higher apps (circle sessions), without importing them.
        "extra_tabs": [
            tab
            for answer in hook_answers("workspace.tabs", partnership=partnership)
            for tab in answer
        ],
        # Higher apps add a line about the partnership (e.g. whether it has started).
        "status_lines": [
            line
            for lines in hook_answers(
                "workspace.status", partnership=partnership, user=request.user
            )
            for line in lines
        ],
    }
    return render(request, template, {**base, **context}, status=status)


def run_action(request: AuthedRequest, action: Callable[[], Any], success: str) -> bool:
    """Run a service for a button with no form; show its outcome as a message."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True
