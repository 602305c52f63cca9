"""Membership state decides access, played end to end through the pages and the API.

Each test walks one insider's path across a state change — declining, leaving, letting a
proposal lapse, being removed — and then tries the addresses they used before. Every one
answers 404, and nothing about the partnership reaches them by e-mail.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.notifications.services import notification_preference_update
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.partnerships.services import partnerships_expire
from tandem.wellbeing import services as wellbeing
from tandem.workspace.services import reminders
from tests import factories
from tests.rounds import joiners
from tests.workspace import factories as wf

pytestmark = pytest.mark.django_db


def workspace_urls(cast) -> list[tuple[str, str]]:
    """Every page and API address of the cast's partnership, with its items (method, url)."""
    pair = cast.partnership
    note = pair.notes.first()
    goal = pair.goals.first()
    meeting = pair.meetings.first()
    item = pair.action_items.first()
    p = pair.pk
    pages = [
        ("get", reverse(name, args=[p]))
        for name in (
            "workspace:home",
            "workspace:agreement",
            "workspace:agreement_amend",
            "workspace:accountability",
            "workspace:exit",
            "workspace:notes",
            "workspace:goals",
            "workspace:meetings",
            "workspace:actions",
            "wellbeing:kudos",
            "wellbeing:shared",
            "wellbeing:marathon",
        )
    ]
    pages += [
        ("get", reverse("workspace:note_edit", args=[p, note.pk])),
        ("get", reverse("workspace:goal", args=[p, goal.pk])),
        ("get", reverse("workspace:goal_edit", args=[p, goal.pk])),
        ("get", reverse("workspace:meeting", args=[p, meeting.pk])),
        ("get", reverse("workspace:meeting_ics", args=[p, meeting.pk])),
        ("get", reverse("workspace:action_edit", args=[p, item.pk])),
        ("post", reverse("workspace:notes", args=[p])),
        ("post", reverse("workspace:action_done", args=[p, item.pk])),
    ]
    api = f"/api/v1/partnerships/{p}"
    pages += [
        ("get", f"{api}/notes"),
        ("get", f"{api}/notes/{note.pk}"),
        ("get", f"{api}/goals"),
        ("get", f"{api}/goals/{goal.pk}"),
        ("get", f"{api}/meetings"),
        ("get", f"{api}/meetings/{meeting.pk}"),
        ("get", f"{api}/action-items"),
        ("get", f"{api}/action-items/{item.pk}"),
        ("get", f"{api}/kudos"),
        ("post", f"{api}/notes"),
        ("post", f"{api}/kudos"),
    ]
    return pages


def reached(client, urls) -> list[str]:
    """The addresses that answered anything but 404."""
    found = []
    for method, url in urls:
        if method == "get":
            status = client.get(url).status_code
        else:
            status = client.post(
                url, {"body": "x", "message": "x"}, content_type="application/json"
            ).status_code
        if status != 404:
            found.append(f"{method.upper()} {url} -> {status}")
    return found


@pytest.fixture
def lived_in(signed):
    """alice and bob's workspace with one of everything in it."""
    pair = signed.partnership
    wf.note(pair, signed.alice, "PRIVATE-NOTE")
    wf.goal(pair, signed.alice, "PRIVATE-GOAL")
    wf.meeting(pair, signed.bob)
    wf.action_item(pair, signed.alice, "PRIVATE-ACTION")
    wellbeing.kudos_send(partnership=pair, sender=signed.bob, message="PRIVATE-KUDOS")
    return signed


def test_both_members_read_every_address_while_the_partnership_is_active(lived_in, client_for):
    urls = [(m, u) for m, u in workspace_urls(lived_in) if m == "get"]
    for member in (lived_in.alice, lived_in.bob):
        assert len(reached(client_for(member), urls)) == len(urls)


def test_after_leaving_neither_former_member_reaches_any_page_or_api_address(lived_in, client_for):
    urls = workspace_urls(lived_in)
    alice = client_for(lived_in.alice)
    assert alice.post(reverse("workspace:exit", args=[lived_in.partnership.pk])).status_code == 302
    for former in (lived_in.alice, lived_in.bob):
        assert reached(client_for(former), urls) == []
    listing = client_for(lived_in.bob).get("/api/v1/partnerships").json()
    assert lived_in.partnership.pk not in [row["id"] for row in listing]
    page = client_for(lived_in.bob).get(reverse("workspace:list")).content.decode()
    assert reverse("workspace:home", args=[lived_in.partnership.pk]) not in page


def test_a_member_who_declines_loses_the_proposal_page_and_api_they_had_open(cast, client_for):
    proposal = factories.partnership(cast.cohort, [cast.carol, factories.participant(cast.cohort)])
    proposal.status = Partnership.Status.PROPOSED
    proposal.save()
    PartnershipMember.objects.filter(partnership=proposal).update(
        response=PartnershipMember.Response.PENDING, is_current=True
    )
    carol = client_for(cast.carol)
    page = reverse("rounds:proposal", args=[proposal.pk])
    api = f"/api/v1/me/proposals/{proposal.pk}"
    assert carol.get(page).status_code == 200
    assert carol.get(api).status_code == 200
    carol.post(reverse("rounds:proposal_decline", args=[proposal.pk]))
    assert carol.get(page).status_code == 404
    assert carol.get(api).status_code == 404
    assert carol.post(f"{api}/accept").status_code == 404
    assert carol.get(reverse("workspace:home", args=[proposal.pk])).status_code == 404


def test_a_member_whose_proposal_lapsed_unanswered_gets_404_everywhere(cast, client_for):
    other = factories.participant(cast.cohort)
    proposal = factories.partnership(cast.cohort, [cast.carol, other], status="proposed")
    proposal.respond_by = timezone.now() - dt.timedelta(hours=1)
    proposal.save()
    carol = client_for(cast.carol)
    assert carol.get(f"/api/v1/me/proposals/{proposal.pk}").status_code == 200
    assert partnerships_expire() == 1
    assert PartnershipMember.objects.get(partnership=proposal, user=cast.carol).state == "lapsed"
    assert carol.get(reverse("rounds:proposal", args=[proposal.pk])).status_code == 404
    assert carol.get(f"/api/v1/me/proposals/{proposal.pk}").status_code == 404
    assert carol.get(reverse("workspace:home", args=[proposal.pk])).status_code == 404


def test_a_removed_member_gets_404_on_every_address_the_moment_the_seat_is_gone(
    lived_in, client_for
):
    urls = workspace_urls(lived_in)
    bob = client_for(lived_in.bob)
    assert bob.get(reverse("workspace:notes", args=[lived_in.partnership.pk])).status_code == 200
    # Removal (for instance by the operator, on a complaint) takes the seat, nothing else.
    PartnershipMember.objects.filter(partnership=lived_in.partnership, user=lived_in.bob).update(
        is_current=False, left_at=timezone.now()
    )
    assert reached(bob, urls) == []
    assert reached(client_for(lived_in.alice), [urls[0]]) == ["GET " + urls[0][1] + " -> 200"]


def test_a_proposed_member_who_has_not_answered_reads_no_workspace(cast, client_for):
    proposal = factories.partnership(
        cast.cohort, [cast.carol, factories.participant(cast.cohort)], status="proposed"
    )
    carol = client_for(cast.carol)
    assert carol.get(reverse("rounds:proposal", args=[proposal.pk])).status_code == 200
    for name in ("workspace:home", "workspace:notes", "wellbeing:kudos", "wellbeing:marathon"):
        assert carol.get(reverse(name, args=[proposal.pk])).status_code == 404
    assert carol.get(f"/api/v1/partnerships/{proposal.pk}/notes").status_code == 404


@pytest.fixture
def pending_joiner(signed, client_for):
    """Lou, placed into alice and bob's pair with their consent, has not accepted yet."""
    lou = joiners.newcomer(signed.partnership)
    placement = joiners.ask(client_for, signed.coord, lou, signed.partnership)
    joiners.agree_all(client_for, placement)
    membership = PartnershipMember.objects.get(partnership=signed.partnership, user=lou)
    assert membership.state == "proposed"
    signed.lou = lou
    return signed


def _recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def test_no_meeting_invitation_agreement_email_or_reminder_reaches_a_member_without_a_seat(
    pending_joiner, client_for, django_capture_on_commit_callbacks
):
    cast = pending_joiner
    pair = cast.partnership.pk
    mail.outbox.clear()
    start = timezone.now() + dt.timedelta(hours=6)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.alice).post(
            reverse("workspace:meetings", args=[pair]),
            {
                "date": timezone.localtime(start).date().isoformat(),
                "time": timezone.localtime(start).strftime("%H:%M"),
                "duration_minutes": "60",
                "timezone": "UTC",
                "location": "Room 4",
            },
        )
        client_for(cast.alice).post(
            reverse("workspace:agreement_amend", args=[pair]), {"text": "We meet weekly."}
        )
    invited = {m.to[0] for m in mail.outbox if m.attachments}
    assert invited == {cast.alice.email, cast.bob.email}
    assert any("agreement" in m.subject.lower() for m in mail.outbox if m.to == [cast.bob.email])
    assert cast.lou.email not in _recipients()
    today = timezone.localdate().weekday()
    for person in (cast.alice, cast.lou):
        notification_preference_update(user=person, weekly_digest=True, digest_weekday=today)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.meeting_reminders_send() == 2
        assert reminders.weekly_digests_send() == 1  # alice's; Lou has no seat to digest
    assert cast.lou.email not in _recipients()


def test_a_late_joiner_who_declines_receives_nothing_more_of_the_partnership(
    pending_joiner, client_for, django_capture_on_commit_callbacks
):
    cast = pending_joiner
    lou = client_for(cast.lou)
    lou.post(reverse("rounds:proposal_decline", args=[cast.partnership.pk]))
    assert PartnershipMember.objects.get(user=cast.lou).state == "declined"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        wf.meeting(cast.partnership, cast.alice, starts_at=timezone.now() + dt.timedelta(hours=3))
        reminders.meeting_reminders_send()
    assert _recipients() == {cast.alice.email, cast.bob.email}
    assert lou.get(reverse("rounds:proposal", args=[cast.partnership.pk])).status_code == 404
    assert lou.get(reverse("workspace:home", args=[cast.partnership.pk])).status_code == 404
