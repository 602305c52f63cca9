"""Journeys through the foundation: a coordinator sets up a cohort from a roster; a
participant signs in and completes their profile."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tandem.accounts.models import User
from tandem.programs.models import Invitation, Profile
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROSTER = (
    "id,name,email,stage,specialty,offers,seeks,main_thing,evaluates\n"
    "A1,Ana Ruiz,ana@example.org,PGY1,Pediatrics,research,grants,Publish a paper,\n"
    "A2,Ben Ode,ben@example.org,PGY2,Surgery,teaching,research,Teach well,\n"
    "C1,Cy Chief,cy@example.org,Chief resident,Pediatrics,leadership,,Lead well,A1\n"
)


def test_coordinator_creates_a_cohort_and_imports_a_roster(journey, tmp_path):
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    factories.coordinator(program, email="coord@example.org", full_name="Cora Ordway")
    journey.sign_in("coord@example.org", factories.PASSWORD)
    page = journey.page
    expect(page.get_by_role("heading", name="Hello, Cora")).to_be_visible()
    journey.check("home")

    journey.goto("/programs/riverside/")
    journey.check("program")
    page.get_by_role("link", name="New cohort").click()
    page.get_by_role("textbox", name="Name", exact=True).fill("Spring peers")
    page.get_by_label("Starts on").fill("2027-01-04")
    page.get_by_label("Ends on").fill("2027-12-17")
    page.get_by_label("Pairs").check()
    journey.check("new cohort form")
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_role("heading", name="Spring peers")).to_be_visible()
    journey.check("cohort")

    page.get_by_role("link", name="Import roster").click()
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    page.get_by_label("Roster CSV").set_input_files(str(roster))
    journey.check("roster upload")
    page.get_by_role("button", name="Preview import").click()
    invited = page.locator(".figure", has_text="will be invited").locator(".value")
    expect(invited).to_have_text("3")
    journey.check("roster preview")
    assert not Invitation.objects.filter(email="ana@example.org").exists()
    page.get_by_role("button", name="Apply import").click()
    expect(page.get_by_text("Imported: 3 invited, 0 updated, 0 unchanged.")).to_be_visible()
    expect(page.get_by_text("3 invitation(s) not yet accepted.")).to_be_visible()
    journey.check("cohort after import")
    assert Invitation.objects.filter(email="ana@example.org", roster_id="A1").exists()
    assert not User.objects.filter(email="ana@example.org").exists()


def test_a_bad_roster_is_refused_with_its_line_numbers(journey, tmp_path):
    program = factories.ProgramFactory(slug="riverside")
    factories.CohortFactory(program=program, slug="fall", name="Fall")
    factories.coordinator(program, email="coord@example.org")
    journey.sign_in("coord@example.org", factories.PASSWORD)
    journey.goto("/programs/riverside/cohorts/fall/import/")
    roster = tmp_path / "bad.csv"
    roster.write_text("id,name,email,stage\nX1,Xi,xi@example.org,PGY9\nX2,Yu,not-an-email,PGY1\n")
    journey.page.get_by_label("Roster CSV").set_input_files(str(roster))
    journey.page.get_by_role("button", name="Preview import").click()
    expect(journey.page.get_by_text("2 problems found. Nothing has been imported.")).to_be_visible()
    expect(
        journey.page.get_by_role("cell", name="unknown stage 'PGY9'", exact=False)
    ).to_be_visible()
    expect(journey.page.get_by_role("button", name="Apply import")).to_have_count(0)
    journey.check("roster errors")


def test_participant_completes_their_profile(journey):
    cohort = factories.CohortFactory(slug="fall")
    user = factories.UserFactory(email="pat@example.org", full_name="Pat Lee")
    factories.EnrollmentFactory(cohort=cohort, user=user)
    Profile.objects.create(program=cohort.program, user=user)
    journey.sign_in("pat@example.org", factories.PASSWORD)
    page = journey.page
    expect(page.get_by_text("Profile 0% complete")).to_be_visible()
    journey.check("home with empty profile")
    page.get_by_role("link", name="Complete your profile").click()
    page.get_by_label("Career stage").select_option("PGY2")
    page.get_by_role("textbox", name="Specialty").fill("Internal Medicine")
    page.get_by_label("Institution").fill("Riverside University Health")
    page.locator("fieldset", has_text="Topics I can offer").get_by_label("research").check()
    page.locator("fieldset", has_text="Topics I am looking for").get_by_label("grants").check()
    page.get_by_label("My main thing").fill("Win a career development grant.")
    page.get_by_label("Someone outside my specialty").check()
    page.get_by_label("Tuesday afternoons").check()
    journey.check("profile form filled")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved — 100% complete.")).to_be_visible()
    journey.check("profile saved")
    profile = Profile.objects.get(user=user)
    assert profile.main_thing == "Win a career development grant."
    assert profile.specialty_preference == "different"
    journey.sign_out()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()


def test_the_accessibility_check_catches_a_real_violation(journey):
    """A positive control: the checker run on every page is able to fail."""
    journey.page.set_content("<html><body><img src='x.png'><input type='text'></body></html>")
    with pytest.raises(AssertionError, match=r"image-alt|label"):
        journey.check("deliberately inaccessible page")
