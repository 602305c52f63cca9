"""Check-ins: saving, the threshold's private support, sharing with partners, ciphertext at rest."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tandem.wellbeing import selectors, services
from tandem.wellbeing.models import Pulse, SupportResource
from tests import factories

CHECKIN = "/wellbeing/check-in/"


def answer(burnout, supported, word="steady", **extra):
    return {"burnout": str(burnout), "supported": str(supported), "word": word, **extra}


@pytest.mark.parametrize(("burnout", "supported"), [(3, 4), (4, 5), (5, 3), (1, 2), (2, 1)])
def test_crossing_the_threshold_shows_the_programs_resources_at_once(
    cast, client_for, burnout, supported
):
    SupportResource.objects.create(
        program=cast.program, name="Riverside Wellness Office", kind="wellness", phone="555-0100"
    )
    response = client_for(cast.alice).post(CHECKIN, answer(burnout, supported))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Riverside Wellness Office" in page
    assert "988 Suicide &amp; Crisis Lifeline" in page
    assert "tell your peer" in page
    assert reverse("wellbeing:kudos", args=[cast.partnership.pk]) in page
    assert Pulse.objects.filter(user=cast.alice).count() == 1


@pytest.mark.parametrize(("burnout", "supported"), [(1, 5), (2, 3), (2, 4), (1, 3)])
def test_not_crossing_the_threshold_does_not_show_them(cast, client_for, burnout, supported):
    SupportResource.objects.create(
        program=cast.program, name="Riverside Wellness Office", kind="wellness", phone="555-0100"
    )
    client = client_for(cast.alice)
    response = client.post(CHECKIN, answer(burnout, supported))
    assert response.status_code == 302
    assert response["Location"] == reverse("wellbeing:checkin")
    page = client.get(response["Location"]).content.decode()
    assert "Riverside Wellness Office" not in page
    assert "Thank you for checking in" in page


def test_crossing_the_threshold_tells_nobody_else(cast, client_for):
    client_for(cast.alice).post(CHECKIN, answer(5, 1, word="MKALONE"))
    assert mail.outbox == []
    for person in (cast.coord, cast.bob):
        page = client_for(person).get(
            reverse("wellbeing:shared", args=[cast.partnership.pk])
            if person == cast.bob
            else reverse("wellbeing:cohort", args=["riverside", "fall"])
        )
        assert "MKALONE" not in page.content.decode()


def test_a_program_can_make_the_threshold_more_caring(cast, client_for):
    services.program_wellbeing_update(
        program=cast.program, pulse_every_days=14, burnout_threshold=2, supported_threshold=3
    )
    response = client_for(cast.alice).post(CHECKIN, answer(2, 4))
    assert response.status_code == 200
    assert "If you need help now" in response.content.decode()


def test_the_api_returns_the_resources_only_when_the_threshold_is_crossed(cast, client_for):
    client = client_for(cast.alice)
    calm = client.post(
        "/api/v1/me/pulses", {"burnout": 1, "supported": 5}, content_type="application/json"
    ).json()
    assert calm["crossed_threshold"] is False
    assert calm["support_resources"] == []
    hard = client.post(
        "/api/v1/me/pulses", {"burnout": 4, "supported": 3}, content_type="application/json"
    ).json()
    assert hard["crossed_threshold"] is True
    names = [resource["name"] for resource in hard["support_resources"]]
    assert "988 Suicide & Crisis Lifeline (United States)" in names


def test_answers_outside_the_scale_and_long_words_are_refused(cast, client_for):
    response = client_for(cast.alice).post(CHECKIN, answer(6, 3))
    assert response.status_code == 400
    assert Pulse.objects.count() == 0
    with pytest.raises(ValidationError):
        services.pulse_record(user=cast.alice, burnout=3, supported=0)
    with pytest.raises(ValidationError):
        services.pulse_record(user=cast.alice, burnout=3, supported=3, word="x" * 31)


def test_only_participants_check_in(cast, client_for):
    response = client_for(cast.coord).post(CHECKIN, answer(2, 4))
    assert response.status_code == 400
    assert "for participants of a program" in response.content.decode()
    assert Pulse.objects.count() == 0


def test_answers_are_ciphertext_in_the_database(cast):
    pulse = services.pulse_record(user=cast.alice, burnout=4, supported=2, word="MKRAW")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT burnout, supported, word FROM wellbeing_pulse WHERE id = %s", [pulse.pk]
        )
        row = cursor.fetchone()
    for raw in row:
        assert raw.startswith("enc2:")
        assert "MKRAW" not in raw
        assert raw not in ("4", "2")
    pulse.refresh_from_db()
    assert (pulse.burnout, pulse.supported, pulse.word) == (4, 2, "MKRAW")


def test_a_shared_check_in_reaches_current_partners_and_unsharing_takes_it_back(cast, client_for):
    pulse = services.pulse_record(user=cast.alice, burnout=2, supported=4, word="MKSHARE")
    shared_page = reverse("wellbeing:shared", args=[cast.partnership.pk])
    bob = client_for(cast.bob)
    assert "MKSHARE" not in bob.get(shared_page).content.decode()
    client_for(cast.alice).post(reverse("wellbeing:pulse_share", args=[pulse.pk]), {"shared": "1"})
    assert "MKSHARE" in bob.get(shared_page).content.decode()
    client_for(cast.alice).post(reverse("wellbeing:pulse_share", args=[pulse.pk]), {"shared": "0"})
    assert "MKSHARE" not in bob.get(shared_page).content.decode()


def test_a_check_in_shared_before_a_partnership_began_stays_out_of_it(cast):
    earlier = timezone.now() - dt.timedelta(days=30)
    with time_machine.travel(earlier, tick=False):
        services.pulse_record(user=cast.carol, burnout=3, supported=3, word="MKBEFORE", share=True)
    newcomer = factories.participant(cast.cohort)
    together = factories.partnership(cast.cohort, [cast.carol, newcomer])
    assert selectors.shared_pulses_for(together, newcomer) == []
    services.pulse_record(user=cast.carol, burnout=2, supported=4, word="MKAFTER", share=True)
    assert [p.word for p in selectors.shared_pulses_for(together, newcomer)] == ["MKAFTER"]


def test_former_partners_no_longer_see_shared_check_ins(cast):
    services.pulse_record(user=cast.alice, burnout=2, supported=4, word="MKGONE", share=True)
    assert selectors.shared_pulses_for(cast.partnership, cast.bob)
    cast.partnership.status = "exited"
    cast.partnership.save()
    assert selectors.shared_pulses_for(cast.partnership, cast.bob) == []


def test_the_form_is_open_when_due_and_folded_away_when_not(cast, client_for):
    client = client_for(cast.alice)
    page = client.get("/wellbeing/").content.decode()
    assert "Your check-in is due" in page
    assert "<details>" not in page
    client.post(CHECKIN, answer(1, 5))
    page = client.get("/wellbeing/").content.decode()
    assert "You are up to date" in page
    assert "<details>" in page
    with time_machine.travel(timezone.now() + dt.timedelta(days=14, minutes=1)):
        later = client_for(cast.alice)  # a fresh sign-in: sessions last hours, not weeks
        assert "Your check-in is due" in later.get("/wellbeing/").content.decode()


def test_a_person_can_choose_their_own_schedule(cast, client_for):
    client = client_for(cast.alice)
    client.post("/wellbeing/settings/", {"pulse_every_days": "7"})
    services.pulse_record(user=cast.alice, burnout=1, supported=5)
    schedule = selectors.schedule_for(cast.alice, now=timezone.now() + dt.timedelta(days=8))
    assert schedule.every_days == 7
    assert schedule.due is True


def test_deleting_a_check_in_removes_it(cast, client_for):
    pulse = services.pulse_record(user=cast.alice, burnout=2, supported=4)
    client_for(cast.alice).post(reverse("wellbeing:pulse_delete", args=[pulse.pk]))
    assert not Pulse.objects.filter(pk=pulse.pk).exists()


def test_the_check_in_page_keeps_the_schedule_and_sends_reminder_choices_to_notifications(
    cast, client_for
):
    from tandem.notifications.services import notification_preference_update

    client = client_for(cast.alice)
    page = client.get("/wellbeing/").content.decode()
    assert 'name="pulse_every_days"' in page
    assert 'name="pulse_reminders"' not in page
    assert "Reminder emails when a check-in is due are <strong>on</strong>" in page
    assert f'href="{reverse("notifications:preferences")}"' in page
    notification_preference_update(user=cast.alice, checkin_reminders=False)
    page = client.get("/wellbeing/").content.decode()
    assert "Reminder emails when a check-in is due are <strong>off</strong>" in page
    # Saving the schedule leaves the reminder choice alone.
    client.post("/wellbeing/settings/", {"pulse_every_days": "28"})
    assert selectors.pulse_every_days(cast.alice) == 28
    assert selectors.wellbeing_reminders_wanted(cast.alice) is False
