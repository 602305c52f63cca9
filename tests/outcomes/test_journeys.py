"""Browser journeys: a coordinator records outcomes and reads the evaluation report, and a
researcher reads it too; every page is checked with axe-core and for CSP violations, at
desktop and phone sizes (the harness of tests/e2e)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tandem.outcomes import services
from tandem.outcomes.models import Publication
from tandem.partnerships.models import Partnership, PartnershipMember
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def evaluated_program():
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    today = timezone.localdate()
    cohort = factories.CohortFactory(
        program=program,
        slug="fall",
        name="Fall cohort",
        starts_on=today - dt.timedelta(days=730),
        ends_on=today - dt.timedelta(days=365),
    )
    factories.coordinator(program, email="coord@example.org", full_name="Cora Ordway")
    factories.researcher(program, email="rhea@example.org", full_name="Rhea Search")
    participants = [factories.participant(cohort) for _ in range(24)]
    for first, second in zip(participants[::2], participants[1::2], strict=True):
        factories.partnership(cohort, [first, second], status="closed")
    # The pairs began on the cohort's first day, before the evaluation's landmark.
    began = dt.datetime.combine(cohort.starts_on, dt.time(9), tzinfo=dt.UTC)
    Partnership.objects.filter(cohort=cohort).update(activated_at=began)
    PartnershipMember.objects.filter(cohort=cohort).update(joined_at=began)
    others = [factories.participant(cohort) for _ in range(22)]
    for index, user in enumerate([*participants, *others]):
        profile = user.profiles.get()
        if index % 4 == 0:
            services.departure_record(
                profile=profile, left_on=today - dt.timedelta(days=60 + 9 * index), reason="other"
            )
        services.publication_record(profile=profile, title=f"Paper {index}", year=today.year - 1)
    return program, cohort, participants[0]


def test_a_coordinator_records_a_publication_and_reads_the_report(journey):
    program, cohort, person = evaluated_program()
    page = journey.page
    journey.sign_in("coord@example.org", factories.PASSWORD)
    journey.goto("/outcomes/")
    journey.check("outcomes programs")
    journey.goto(f"/programs/{program.slug}/outcomes/")
    journey.check("registry")
    profile = person.profiles.get()
    journey.goto(f"/programs/{program.slug}/outcomes/people/{profile.pk}/")
    journey.check("person")
    page.get_by_role("link", name="Add a publication").click()
    page.get_by_label("Title").fill("Peers in medicine")
    page.get_by_label("Year").fill("1800")
    page.get_by_label("DOI").fill("10.1000/peers")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label("Title")).to_have_value("Peers in medicine")
    expect(page.get_by_text("the year must be between")).to_be_visible()
    journey.check("publication form with an error")
    page.get_by_label("Year").fill(str(timezone.localdate().year))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Publication recorded.")).to_be_visible()
    assert Publication.objects.filter(doi="10.1000/peers").exists()
    journey.goto(f"/programs/{program.slug}/cohorts/{cohort.slug}/evaluation/")
    expect(page.get_by_role("heading", name="Evaluation report: Fall cohort")).to_be_visible()
    expect(page.get_by_role("img", name="Retention in Fall cohort")).to_be_visible()
    journey.check("evaluation report")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    page.emulate_media(media="screen")


def test_a_researcher_reads_the_report_but_not_the_registry(journey):
    program, _, _ = evaluated_program()
    page = journey.page
    journey.sign_in("rhea@example.org", factories.PASSWORD)
    journey.goto("/outcomes/")
    page.get_by_role("link", name="Evaluation report: Fall cohort").click()
    expect(page.get_by_role("heading", name="Log-rank", exact=False)).to_have_count(0)
    expect(page.get_by_text("Log-rank test of equal retention")).to_be_visible()
    journey.check("researcher report")
    page.get_by_role("button", name="Save this version").click()
    expect(page.get_by_text("Saved as version 1.")).to_be_visible()
    expect(page.get_by_text("Saved version 1, saved")).to_be_visible()
    expect(page.get_by_role("img", name="Retention in Fall cohort")).to_be_visible()
    journey.check("saved report version")
    response = page.goto(journey.base_url + f"/programs/{program.slug}/outcomes/")
    assert response is not None
    assert response.status == 404
