"""Receiving kudos: a short email says who sent encouragement and links to it — never what
it says — after the kudos is saved, and only to recipients who want such emails."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from tandem.notifications.services import notification_preference_update
from tandem.wellbeing import services
from tandem.wellbeing.models import Kudos
from tests import factories

MESSAGE = "Your grand rounds talk was superb MKKUDOSTEXT"


def send(cast, **extra):
    return services.kudos_send(
        partnership=cast.partnership, sender=cast.bob, message=MESSAGE, **extra
    )


def test_the_partner_gets_a_short_email_without_the_message(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(cast)
    (message,) = mail.outbox
    assert message.to == ["alice@example.org"]
    assert message.subject == "Bob sent you encouragement"
    assert "Bob sent you encouragement — read it in Tandem" in message.body
    link = reverse("wellbeing:kudos", args=[cast.partnership.pk])
    assert f"http://testserver{link}" in message.body
    assert "MKKUDOSTEXT" not in message.subject + message.body
    assert "grand rounds" not in message.body


def test_the_email_goes_out_only_once_the_kudos_is_saved(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(cast)
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def _send_then_fail(cast):
    with transaction.atomic():
        send(cast)
        raise RuntimeError("the request failed after sending")


def test_a_rolled_back_kudos_sends_nothing(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        _send_then_fail(cast)
    assert mail.outbox == []
    assert not Kudos.objects.exists()


def test_people_who_turned_kudos_emails_off_get_none(cast, django_capture_on_commit_callbacks):
    notification_preference_update(user=cast.alice, kudos_emails=False)
    with django_capture_on_commit_callbacks(execute=True):
        send(cast)
    assert mail.outbox == []
    assert Kudos.objects.count() == 1  # the kudos itself still arrives


def test_in_a_circle_only_the_chosen_partner_or_everyone_else_is_told(
    cast, django_capture_on_commit_callbacks
):
    dan = factories.participant(cast.cohort, email="dan@example.org", full_name="Dan Dorn")
    eve = factories.participant(cast.cohort, email="eve@example.org", full_name="Eve Ekert")
    circle = factories.partnership(cast.cohort, [cast.carol, dan, eve])
    with django_capture_on_commit_callbacks(execute=True):
        services.kudos_send(partnership=circle, sender=cast.carol, message="x", recipient=dan)
    assert [m.to for m in mail.outbox] == [["dan@example.org"]]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.kudos_send(partnership=circle, sender=cast.carol, message="y")
    assert sorted(m.to[0] for m in mail.outbox) == ["dan@example.org", "eve@example.org"]
    assert all(m.subject == "Carol sent you encouragement" for m in mail.outbox)


def test_kudos_sent_from_the_page_tell_the_partner(
    cast, client_for, django_capture_on_commit_callbacks
):
    url = reverse("wellbeing:kudos", args=[cast.partnership.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.alice).post(url, {"message": MESSAGE})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["bob@example.org"]
    assert "MKKUDOSTEXT" not in message.body


def test_seeding_can_send_kudos_silently(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(cast, notify=False)
    assert mail.outbox == []
    assert Kudos.objects.count() == 1
