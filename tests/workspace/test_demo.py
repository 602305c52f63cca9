from __future__ import annotations

from django.core import mail
from django.urls import reverse

from tandem.demo.workspace import seed_workspace
from tandem.workspace import selectors


def test_seeded_workspace_is_lived_in_and_opens(
    cast, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seed_workspace(cast.partnership)
        seed_workspace(cast.partnership)  # once only
    assert mail.outbox == [], "seeding a demo sends no invites"
    assert callbacks == []
    pair = cast.partnership
    assert selectors.agreement_in_force(pair)
    assert pair.notes.count() == 3
    assert pair.goals.count() == 3
    assert pair.meetings.count() == 2
    assert selectors.overdue_action_items(pair).count() == 1
    for name in ("workspace:home", "workspace:goals", "workspace:meetings", "workspace:actions"):
        assert client_for(cast.alice).get(reverse(name, args=[pair.pk])).status_code == 200
