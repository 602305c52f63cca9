"""Nobody but the person (and partners, for what was shared) sees a check-in or reflection.

Markers are planted in check-ins, journal entries, a shared copy and kudos; then each actor
crawls everything they can reach with the shared privacy crawler — pages, images, CSV, API,
admin — and the markers are searched for in every response. The owner's own crawl is the
positive control. (The crawl of every kind of private content at once, workspace included,
is ``tests/privacy/test_private_content_crawl.py``.)
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.wellbeing.models import Pulse
from tests.privacy.crawler import crawl

SEEDS = ["/", "/programs/", "/wellbeing/", "/journal/", "/support/", "/wellbeing/programs/"]


def crawl_as(client_for, user):
    result = crawl(client_for(user), start=SEEDS)
    assert result.unfilled == set(), "the crawler cannot fill these routes' parameters"
    return result


@pytest.fixture
def big_enough_cohort(cast, planted):
    """Eleven more check-ins in the cohort, so the aggregate view shows some figures.

    Every check-in is moved into the cohort's first period, which has ended, since a period's
    figures appear only then.
    """
    from tests import factories

    for _ in range(11):
        person = factories.participant(cast.cohort)
        Pulse.objects.create(user=person, burnout=2, supported=4, word="MKCROWD")
    cast.cohort.starts_on = timezone.localdate() - dt.timedelta(days=20)
    cast.cohort.save(update_fields=["starts_on"])
    Pulse.objects.update(created_at=timezone.now() - dt.timedelta(days=15))
    return cast


@pytest.mark.parametrize("actor", ["coord", "rhea", "olga", "other_coord"])
def test_staff_see_no_check_in_reflection_or_kudos_anywhere(
    big_enough_cohort, planted, client_for, actor
):
    cast = big_enough_cohort
    found = crawl_as(client_for, getattr(cast, actor))
    markers = planted.ALICE_ONLY + planted.PARTNERS_TOO + planted.CAROL_ONLY + ("MKCROWD",)
    for marker in markers:
        assert found.containing(marker) == [], f"{actor} saw {marker}"
    assert len(found.ok_urls) > 10
    if actor in ("coord", "olga"):
        cohort_view = reverse("wellbeing:cohort", args=[cast.program.slug, cast.cohort.slug])
        csv = reverse("wellbeing:cohort_csv", args=[cast.program.slug, cast.cohort.slug])
        assert {
            cohort_view,
            csv,
            reverse("wellbeing:program_support", args=["riverside"]),
        } <= found.ok_urls
        # The aggregate really shows the crowd: 13 people checked in during the first period.
        assert "13" in found.pages[csv].body
    if actor == "olga":
        assert {
            "/admin/wellbeing/pulse/",
            f"/admin/wellbeing/pulse/{planted.alice_private_pulse.pk}/change/",
            f"/admin/wellbeing/reflection/{planted.alice_private_reflection.pk}/change/",
            f"/admin/wellbeing/kudos/{planted.bob_kudos.pk}/change/",
        } <= found.ok_urls
        assert "[private]" in found.pages["/admin/wellbeing/pulse/"].body
    if actor in ("rhea", "other_coord"):
        assert reverse("wellbeing:cohort", args=["riverside", "fall"]) not in found.ok_urls


def test_an_outsider_participant_sees_none_of_the_pairs_content(cast, planted, client_for):
    found = crawl_as(client_for, cast.carol)
    for marker in planted.ALICE_ONLY + planted.PARTNERS_TOO:
        assert found.containing(marker) == [], f"carol saw {marker}"
    # Positive control for carol herself: her own check-in is on her pages.
    assert "/wellbeing/" in found.containing("MKCAROLPULSE")
    assert f"/partnerships/{cast.partnership.pk}/kudos/" not in found.ok_urls


def test_the_partner_sees_only_what_was_shared(cast, planted, client_for):
    found = crawl_as(client_for, cast.bob)
    for marker in planted.ALICE_ONLY + planted.CAROL_ONLY:
        assert found.containing(marker) == [], f"bob saw {marker}"
    shared = f"/partnerships/{cast.partnership.pk}/shared/"
    assert shared in found.ok_urls
    for marker in planted.PARTNERS_TOO:
        assert found.containing(marker), f"bob did not see {marker}"
    assert "MKPULSESHARED" in found.pages[shared].body
    assert "MKREFLSHARED" in found.pages[shared].body


def test_the_person_themself_sees_every_one_of_their_markers(cast, planted, client_for):
    found = crawl_as(client_for, cast.alice)
    for marker in planted.ALICE_ONLY + planted.PARTNERS_TOO:
        assert found.containing(marker), f"alice did not see her own {marker}"
    assert "MKPULSEPRIV" in found.pages["/wellbeing/"].body
    assert "MKREFLPRIV" in found.pages["/journal/"].body
    assert found.containing("MKCAROLPULSE") == []
