"""Demo seeding for wellbeing: months of check-ins, journal entries and kudos, silently."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.demo.wellbeing import seed_wellbeing
from tandem.wellbeing import selectors
from tandem.wellbeing.models import Kudos, Pulse, Reflection, SharedReflection


def test_seeded_wellbeing_spans_months_and_sends_no_email(
    cast, client_for, django_capture_on_commit_callbacks
):
    pair = cast.partnership
    with django_capture_on_commit_callbacks(execute=True):
        seed_wellbeing(pair)
        seed_wellbeing(pair)  # once only
    assert mail.outbox == []
    now = timezone.now()
    for person in (cast.alice, cast.bob):
        pulses = Pulse.objects.filter(user=person)
        assert pulses.count() >= 6
        oldest = pulses.order_by("created_at").first()
        assert now - oldest.created_at > dt.timedelta(days=90)
        assert pulses.filter(shared_with_partners=True).exists()
        assert pulses.filter(shared_with_partners=False).exists()
    assert Reflection.objects.count() == 2
    assert SharedReflection.objects.filter(partnership=pair).count() == 1
    assert set(Kudos.objects.values_list("sender__email", flat=True)) == {
        "alice@example.org",
        "bob@example.org",
    }
    assert all(k.created_at >= pair.activated_at for k in Kudos.objects.all())
    # Each partner sees the other's latest check-in, shared, even in a partnership begun today.
    assert [p.user for p in selectors.shared_pulses_for(pair, cast.bob)] == [cast.alice]
    assert [p.user for p in selectors.shared_pulses_for(pair, cast.alice)] == [cast.bob]
    for name in ("wellbeing:kudos", "wellbeing:marathon", "wellbeing:shared"):
        assert client_for(cast.bob).get(reverse(name, args=[pair.pk])).status_code == 200
    assert client_for(cast.alice).get("/wellbeing/").status_code == 200


def test_ended_partnerships_are_not_seeded(cast):
    cast.partnership.status = "exited"
    cast.partnership.save()
    seed_wellbeing(cast.partnership)
    assert not Pulse.objects.exists()
    assert not Kudos.objects.exists()
