"""Retention: an ended partnership's private content is purged after the program's period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tandem.core.periodic import REGISTRY
from tandem.partnerships.models import Partnership
from tandem.privacy import registry
from tandem.privacy.retention import retention_purge_due

pytestmark = pytest.mark.django_db


@pytest.fixture
def purged():
    calls: list[int] = []
    registry.register_retention("test", purge=lambda partnership: calls.append(partnership.pk))
    yield calls
    registry._PURGERS.pop("test")


def end(partnership: Partnership, *, days_ago: int, status: str = "closed") -> None:
    Partnership.objects.filter(pk=partnership.pk).update(
        status=status, ended_at=timezone.now() - dt.timedelta(days=days_ago)
    )


def test_a_partnership_past_its_programs_retention_is_purged_once(cast, purged):
    cast.program.retention_days = 7
    cast.program.save()
    end(cast.partnership, days_ago=8)
    assert retention_purge_due() == [cast.partnership.pk]
    assert purged == [cast.partnership.pk]
    assert retention_purge_due() == []
    assert purged == [cast.partnership.pk]


def test_a_partnership_within_its_retention_is_kept(cast, purged):
    cast.program.retention_days = 30
    cast.program.save()
    end(cast.partnership, days_ago=29, status="exited")
    assert retention_purge_due() == []
    assert retention_purge_due(now=timezone.now() + dt.timedelta(days=2)) == [cast.partnership.pk]


def test_a_live_partnership_is_never_purged(cast, purged):
    Partnership.objects.filter(pk=cast.partnership.pk).update(
        ended_at=timezone.now() - dt.timedelta(days=4000)
    )
    assert retention_purge_due() == []
    assert purged == []


def test_the_purge_runs_as_a_periodic_job():
    assert "tandem.privacy.tasks.retention_purge" in REGISTRY
