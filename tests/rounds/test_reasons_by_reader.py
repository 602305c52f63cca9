"""Match reasons are written for whoever reads them: the coordinator's review page in the third
person, each member's proposal page and e-mail in the second."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tandem.partnerships.models import Partnership
from tandem.rounds import services


@pytest.fixture
def run(round_, cast):
    for person in round_.people:
        profile = person.profiles.get(program=round_.cohort.program)
        profile.main_thing = "I want to finish my thesis on sepsis outcomes"
        profile.save()
    return services.match_run_start(cohort=round_.cohort, created_by=cast.coord, inline=True)


def test_the_coordinator_reads_the_reasons_in_the_third_person(run, cast, client_for):
    page = client_for(cast.coord).get(reverse("rounds:run", args=[run.pk])).content.decode()
    assert "Both want to finish their thesis" in page
    assert "You both" not in page
    assert "your thesis" not in page


def test_each_member_reads_their_own_reasons_in_the_e_mail_and_on_the_proposal(
    run, cast, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.coord).post(
            reverse("rounds:run_publish", args=[run.pk]), {"confirm": "yes"}
        )
    assert mail.outbox
    for message in mail.outbox:
        assert "You both want to finish your thesis" in message.body
        assert "their thesis" not in message.body
    group = run.groups.first()
    partnership = Partnership.objects.get(match_group=group)
    member = partnership.members.first().user
    page = client_for(member).get(reverse("rounds:proposal", args=[partnership.pk]))
    text = page.content.decode()
    assert "You both want to finish your thesis" in text
    assert group.reasons_for(member.pk) != group.reasons


def test_a_group_from_before_member_reasons_shows_the_one_list_it_kept(run):
    group = run.groups.first()
    group.member_reasons = {}
    group.save()
    assert group.reasons_for(group.member_ids[0]) == group.reasons
