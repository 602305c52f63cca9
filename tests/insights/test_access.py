from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.workspace import factories as workspace

pytestmark = pytest.mark.django_db


def _urls(cast):
    program, cohort = cast.program.slug, cast.cohort.slug
    program_csv = reverse("insights:program_csv", args=[program])
    svg = reverse("insights:cohort_svg", args=[program, cohort])
    csv = reverse("insights:cohort_csv", args=[program, cohort])
    return [
        reverse("insights:program", args=[program]),
        f"{program_csv}?table=funnel",
        f"{program_csv}?table=goals",
        reverse("insights:cohort", args=[program, cohort]),
        *(f"{svg}?chart={name}" for name in ("funnel", "cadence", "goals")),
        *(f"{csv}?table={name}" for name in ("funnel", "cadence", "goals", "checkins")),
    ]


def test_coordinator_sees_every_dashboard_page_and_download(cast, client_for):
    client = client_for(cast.coord)
    for url in _urls(cast):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["other_coord", "alice", "carol", "dave", "rhea"])
def test_anyone_but_the_programs_coordinators_gets_404(cast, client_for, role):
    client = client_for(getattr(cast, role))
    for url in _urls(cast):
        assert client.get(url).status_code == 404, url


def test_unknown_chart_or_table_is_404(cast, client_for):
    client = client_for(cast.coord)
    program, cohort = cast.program.slug, cast.cohort.slug
    svg = reverse("insights:cohort_svg", args=[program, cohort])
    csv = reverse("insights:cohort_csv", args=[program, cohort])
    assert client.get(f"{svg}?chart=checkins").status_code == 404
    assert client.get(f"{csv}?table=notes").status_code == 404
    assert client.get(csv).status_code == 404


def test_coordinator_dashboard_shows_names_and_dates_but_no_private_content(cast, client_for):
    pair = cast.partnership
    pair.activated_at = timezone.now() - dt.timedelta(days=100)
    pair.save()
    workspace.sign_agreement(pair)
    workspace.note(pair, cast.alice, body="MKNOTE private thought")
    workspace.goal(pair, cast.alice, title="MKGOAL secret goal", measure="MKMEASURE")
    workspace.action_item(pair, cast.bob, text="MKACTION secret action")
    workspace.meeting(pair, cast.bob, location="MKLOCATION room")
    client = client_for(cast.coord)
    page = client.get(reverse("insights:cohort", args=[cast.program.slug, cast.cohort.slug]))
    body = page.content.decode()
    assert "Alice Adams" in body  # quiet for 100 days: on the check-in list
    downloads = [client.get(url).content.decode() for url in _urls(cast)]
    for text in [body, *downloads]:
        for marker in ("MKNOTE", "MKGOAL", "MKMEASURE", "MKACTION", "MKLOCATION"):
            assert marker not in text


def test_csv_downloads_are_recorded_in_the_audit_log(cast, client_for):
    from tandem.audit.models import AuditEvent

    client_for(cast.coord).get(
        reverse("insights:cohort_csv", args=[cast.program.slug, cast.cohort.slug]),
        {"table": "funnel"},
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.actor == cast.coord
    assert event.detail["format"] == "csv"


def test_a_withheld_count_is_a_plain_dash_explained_beside_its_table(cast, client_for):
    page = client_for(cast.coord).get(
        reverse("insights:cohort", args=[cast.program.slug, cast.cohort.slug])
    )
    text = page.content.decode()
    assert 'class="withheld"' in text  # the cast's cohort is small: its counts are withheld
    assert "<abbr" not in text
    assert "“—” means withheld: a count of 1 to 10 people" in text
