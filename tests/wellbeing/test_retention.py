"""The workspace's retention purge reaches wellbeing too: kudos text and shared copies of
journal entries go with the rest of the partnership's private content; the authors keep their
own entries and check-ins, and kudos keep their dates."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.db import connection
from django.urls import reverse

from tandem.partnerships.services import partnership_close
from tandem.wellbeing import services
from tandem.wellbeing.models import Kudos, Pulse, Reflection, SharedReflection
from tandem.workspace.models import WorkspacePurge
from tandem.workspace.tasks import purge_expired_workspaces

ENDED = dt.datetime(2031, 5, 1, 12, tzinfo=dt.UTC)


def _share_and_end(cast):
    cast.program.retention_days = 30
    cast.program.save()
    pair = cast.partnership
    with time_machine.travel(ENDED - dt.timedelta(days=20), tick=False):
        services.kudos_send(partnership=pair, sender=cast.bob, message="MKPURGEKUDOS")
        entry = services.reflection_create(
            user=cast.alice, kind="win", what_happened="MKPURGEENTRY"
        )
        services.reflection_share(reflection=entry, partnership=pair, user=cast.alice)
        services.pulse_record(user=cast.alice, burnout=2, supported=4, word="mine", share=True)
    with time_machine.travel(ENDED, tick=False):
        partnership_close(partnership=pair)
    return entry


def test_kudos_and_shared_entries_stay_readable_until_the_retention_period_ends(cast, client_for):
    _share_and_end(cast)
    with time_machine.travel(ENDED + dt.timedelta(days=29), tick=False):
        assert purge_expired_workspaces.call() == 0
        page = client_for(cast.alice).get(reverse("wellbeing:kudos", args=[cast.partnership.pk]))
    assert "MKPURGEKUDOS" in page.content.decode()


def test_the_purge_blanks_kudos_and_deletes_shared_copies(cast, client_for):
    entry = _share_and_end(cast)
    with time_machine.travel(ENDED + dt.timedelta(days=31), tick=False):
        assert purge_expired_workspaces.call() == 1
    pair = cast.partnership
    kudos = Kudos.objects.get(partnership=pair)
    assert kudos.message == ""
    assert kudos.created_at == ENDED - dt.timedelta(days=20)  # the date stays
    with connection.cursor() as cursor:
        cursor.execute("SELECT message FROM wellbeing_kudos WHERE id = %s", [kudos.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith("enc2:")  # the blank is stored encrypted too
    assert not SharedReflection.objects.filter(partnership=pair).exists()
    # What belongs to the person stays theirs.
    assert Reflection.objects.get(pk=entry.pk).what_happened == "MKPURGEENTRY"
    assert Pulse.objects.filter(user=cast.alice).count() == 1
    counts = WorkspacePurge.objects.get(partnership=pair).counts
    assert (counts["kudos_blanked"], counts["shared_reflections_deleted"]) == (1, 1)
    page = client_for(cast.alice).get(reverse("wellbeing:kudos", args=[pair.pk])).content.decode()
    assert "MKPURGEKUDOS" not in page
    assert "Removed under your program's retention policy." in page
    assert "its private content was deleted" in page
