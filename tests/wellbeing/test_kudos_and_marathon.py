"""Kudos between current partners, and the marathon timeline grouped by month."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tandem.wellbeing import services
from tandem.wellbeing.models import Kudos
from tandem.wellbeing.timeline import (
    _SOURCES,
    TimelineEvent,
    register_timeline_source,
    timeline_by_month,
)
from tests import factories


def test_a_member_sends_kudos_that_the_partner_reads(cast, client_for):
    url = reverse("wellbeing:kudos", args=[cast.partnership.pk])
    response = client_for(cast.alice).post(url, {"message": "Your talk was clear and kind"})
    assert response.status_code == 302
    assert "Your talk was clear and kind" in client_for(cast.bob).get(url).content.decode()


def test_kudos_in_a_pair_read_as_between_the_two_partners(cast, client_for):
    services.kudos_send(partnership=cast.partnership, sender=cast.alice, message="Well done")
    url = reverse("wellbeing:kudos", args=[cast.partnership.pk])
    assert "You to your partner" in client_for(cast.alice).get(url).content.decode()
    bobs = client_for(cast.bob).get(url).content.decode()
    assert f"{cast.alice.display_name} to you" in bobs
    assert "everyone" not in bobs


def test_kudos_are_ciphertext_and_short(cast):
    kudos = services.kudos_send(
        partnership=cast.partnership, sender=cast.alice, message="MKRAWKUDO"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT message FROM wellbeing_kudos WHERE id = %s", [kudos.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith("enc2:")
    assert "MKRAWKUDO" not in raw
    with pytest.raises(ValidationError):
        services.kudos_send(partnership=cast.partnership, sender=cast.alice, message="x" * 281)


def test_outsiders_and_ended_partnerships_send_no_kudos(cast, client_for):
    with pytest.raises(ValidationError):
        services.kudos_send(partnership=cast.partnership, sender=cast.carol, message="hi")
    from tandem.partnerships.services import partnership_close

    partnership_close(partnership=cast.partnership)
    url = reverse("wellbeing:kudos", args=[cast.partnership.pk])
    page = client_for(cast.alice).post(url, {"message": "late"})
    assert "has ended" in page.content.decode()
    assert not Kudos.objects.exists()


def test_in_a_circle_kudos_can_go_to_one_partner(cast, client_for):
    dan, eve = factories.participant(cast.cohort), factories.participant(cast.cohort)
    circle = factories.partnership(cast.cohort, [cast.carol, dan, eve])
    url = reverse("wellbeing:kudos", args=[circle.pk])
    client_for(cast.carol).post(url, {"message": "Thanks for the intro", "recipient": dan.pk})
    kudos = Kudos.objects.get()
    assert kudos.recipient == dan
    with pytest.raises(ValidationError):
        services.kudos_send(
            partnership=circle, sender=cast.carol, message="x", recipient=cast.alice
        )


def test_the_marathon_groups_kudos_and_check_ins_by_month(cast, client_for):
    start = timezone.now() - dt.timedelta(days=70)
    cast.partnership.activated_at = start
    cast.partnership.save()
    with time_machine.travel(start + dt.timedelta(days=1), tick=False):
        services.kudos_send(partnership=cast.partnership, sender=cast.bob, message="First week!")
    with time_machine.travel(start + dt.timedelta(days=40), tick=False):
        services.pulse_record(user=cast.bob, burnout=4, supported=2, word="MKBOBWORD")
        services.pulse_record(user=cast.alice, burnout=2, supported=4, word="MKALICEWORD")
    months = timeline_by_month(cast.partnership, cast.alice)
    assert [month.month for month in months] == sorted({m.month for m in months})
    first, *_rest = months
    assert first.month == timezone.localtime(start).date().replace(day=1)
    titles = [event.title for month in months for event in month.events]
    assert "Started together" in titles
    # In a pair, kudos to "everyone else" read as to the partner, not "to everyone".
    assert "Bob sent kudos to you" in titles
    bob_titles = [e.title for m in timeline_by_month(cast.partnership, cast.bob) for e in m.events]
    assert "You sent kudos to your partner" in bob_titles
    assert "Bob checked in" in titles
    assert "You checked in" in titles

    page = client_for(cast.alice).get(reverse("wellbeing:marathon", args=[cast.partnership.pk]))
    text = page.content.decode()
    assert timezone.localtime(start).strftime("%B %Y") in text
    assert "MKALICEWORD" in text  # her own answers, on her own view
    assert "MKBOBWORD" not in text  # bob's check-in: the date only
    bob_view = client_for(cast.bob).get(reverse("wellbeing:marathon", args=[cast.partnership.pk]))
    assert "MKALICEWORD" not in bob_view.content.decode()


def test_other_apps_plug_their_events_into_the_marathon(cast):
    def milestones(partnership, viewer):
        return [TimelineEvent(at=timezone.now(), kind="milestone", title="Submitted the K award")]

    register_timeline_source(milestones)
    register_timeline_source(milestones)  # registering twice adds it once
    try:
        events = [e for m in timeline_by_month(cast.partnership, cast.alice) for e in m.events]
        assert [e.title for e in events if e.kind == "milestone"] == ["Submitted the K award"]
    finally:
        _SOURCES.remove(milestones)
