"""No-fault exit: any member ends the partnership without a reason; the others are told
kindly; the coordinator sees only "Ended"; everyone can be matched again."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.partnerships.services import partnership_close, partnership_exit
from tests import factories
from tests.workspace import factories as wf


def test_a_member_ends_the_partnership_from_the_workspace(
    signed, client_for, django_capture_on_commit_callbacks
):
    pair = signed.partnership
    confirm = client_for(signed.bob).get(reverse("workspace:exit", args=[pair.pk]))
    assert (
        "without giving a reason" in confirm.content.decode()
        or "do not need to give a reason" in confirm.content.decode()
    )
    assert "<textarea" not in confirm.content.decode()  # no reason is asked
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(signed.bob).post(reverse("workspace:exit", args=[pair.pk]))
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == Partnership.Status.EXITED
    assert pair.ended_at is not None
    members = PartnershipMember.objects.filter(partnership=pair)
    assert all(not m.is_current and m.left_at == pair.ended_at for m in members)
    [message] = mail.outbox
    assert message.to == ["alice@example.org"]
    assert "nobody is asked for a reason" in message.body
    assert "Bob" not in message.body  # nothing that reads like blame


def test_the_workspace_closes_for_every_former_member_once_it_ends(signed, client_for):
    wf.note(signed.partnership, signed.alice, "Not for former members")
    partnership_exit(partnership=signed.partnership, member=signed.alice)
    for former in (signed.alice, signed.bob):
        client = client_for(former)
        url = reverse("workspace:notes", args=[signed.partnership.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"body": "x"}).status_code == 404
        api = f"/api/v1/partnerships/{signed.partnership.pk}/notes"
        assert client.get(api).status_code == 404
        assert client.post(api, {"body": "x"}, content_type="application/json").status_code == 404
    assert signed.partnership.notes.count() == 1


def test_a_closed_cohort_leaves_the_workspace_read_only_for_its_members(signed, client_for):
    wf.note(signed.partnership, signed.alice, "Kept for reading")
    partnership_close(partnership=signed.partnership)
    alice = client_for(signed.alice)
    page = alice.get(reverse("workspace:notes", args=[signed.partnership.pk])).content.decode()
    assert "Kept for reading" in page
    assert "ended on" in page
    assert "Save note" not in page
    response = alice.post(reverse("workspace:notes", args=[signed.partnership.pk]), {"body": "x"})
    assert response.status_code == 403
    api = alice.post(
        f"/api/v1/partnerships/{signed.partnership.pk}/notes",
        {"body": "x"},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert signed.partnership.notes.count() == 1


def test_the_coordinator_sees_only_ended(signed, client_for):
    partnership_exit(partnership=signed.partnership, member=signed.alice)
    page = client_for(signed.coord).get(
        reverse("workspace_staff:cohort_partnerships", args=["riverside", "fall"])
    )
    text = page.content.decode()
    assert "Ended" in text
    assert "reason" not in text.lower()


def test_ending_twice_is_refused(signed):
    partnership_exit(partnership=signed.partnership, member=signed.alice)
    with pytest.raises(ValidationError, match="already ended"):
        partnership_exit(partnership=signed.partnership, member=signed.bob)


def test_only_a_member_can_end_it(signed):
    with pytest.raises(ValidationError):
        partnership_exit(partnership=signed.partnership, member=signed.carol)
    signed.partnership.refresh_from_db()
    assert signed.partnership.status == Partnership.Status.ACTIVE


def test_former_partners_can_be_matched_again_in_the_same_cohort(signed):
    partnership_exit(partnership=signed.partnership, member=signed.alice)
    # The one-live-partnership-per-cohort constraint now lets both be paired anew.
    again = factories.partnership(signed.cohort, [signed.alice, signed.carol])
    assert again.members.filter(is_current=True).count() == 2
    assert not PartnershipMember.objects.filter(user=signed.bob, is_current=True).exists()


def test_a_circle_member_leaving_tells_every_other_member(cast, django_capture_on_commit_callbacks):
    erin = factories.participant(cast.cohort, email="erin@example.org")
    finn = factories.participant(cast.cohort, email="finn@example.org")
    circle = factories.partnership(cast.cohort, [cast.carol, erin, finn])
    with django_capture_on_commit_callbacks(execute=True):
        partnership_exit(partnership=circle, member=finn)
    assert sorted(m.to[0] for m in mail.outbox) == ["carol@example.org", "erin@example.org"]
