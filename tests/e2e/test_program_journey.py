"""The whole program as its people live it, in one browser walk per viewport.

Two peers in a new partnership sign their agreement, write a note, set goals against their
main things, schedule a meeting and download its invite, check in and send kudos; then one
of them ends the partnership without a reason, and the other is told kindly.

The longer walk runs a cohort from end to end: a coordinator imports a roster through the
web pages, runs the match, reviews and moves someone, and publishes; two of the imported
people accept their proposal and work together as above; the coordinator reads the cohort's
dashboard, which shows the funnel and nothing anyone wrote; and a researcher downloads the
de-identified export, which holds the consenting people only and no name or email.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership
from tandem.programs import services as program_services
from tandem.programs.models import Exclusion, Invitation
from tandem.research.models import ResearchConsent
from tandem.research.services import research_consent_record
from tandem.rounds.models import MatchRun
from tandem.wellbeing.models import Pulse
from tandem.workspace.models import Goal, Meeting, Note
from tests import factories
from tests.research.helpers import protocol_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "We meet on Thursdays; Bo drafts the abstract first."
GOAL = "Submit the abstract to the spring meeting"
KUDOS = "Proud of you for sending the draft."
CHECKIN_WORD = "hopeful"


def open_tab(journey, name):
    journey.open_workspace_page(name)


def sign_agreement(journey, partnership, email):
    page = journey.page
    journey.sign_in(email, factories.PASSWORD)
    journey.goto(f"/partnerships/{partnership.pk}/")
    expect(page.get_by_role("heading", name="Your agreement")).to_be_visible()
    journey.check(f"agreement before signing ({email.split('@')[0]})")
    page.get_by_role("button", name="I agree — sign").click()


def peers_work_together(journey, partnership, first, second, *, meeting_on="2030-03-14"):
    """Both sign; ``first`` writes, plans and checks in; ``second`` reads and ends it."""
    page = journey.page
    sign_agreement(journey, partnership, first.email)
    expect(page.get_by_text("Waiting for the others.")).to_be_visible()
    journey.sign_out()
    sign_agreement(journey, partnership, second.email)
    expect(page.get_by_role("heading", name="In force: version 1")).to_be_visible()
    journey.goto(f"/partnerships/{partnership.pk}/")
    expect(page.get_by_role("heading", name="Main things")).to_be_visible()
    journey.check("workspace open after both signed")
    journey.sign_out()

    journey.sign_in(first.email, factories.PASSWORD)
    journey.goto(f"/partnerships/{partnership.pk}/")
    expect(page.get_by_text(first.profiles.get().main_thing)).to_be_visible()
    open_tab(journey, "Notes")
    page.get_by_role("textbox", name="Note").fill(NOTE)
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text(NOTE)).to_be_visible()
    journey.check("note written")

    open_tab(journey, "Goals")
    page.get_by_label("What is the goal?").fill(GOAL)
    page.get_by_label("How will you measure it?").fill("Submission confirmation")
    page.get_by_label("This goal serves my main thing").check()
    page.get_by_role("button", name="Add goal").click()
    goal_heading = page.get_by_role("heading", name=GOAL)
    expect(goal_heading).to_be_visible()
    journey.check("goal set against the main thing")

    open_tab(journey, "Meetings")
    page.get_by_label(re.compile(r"^Date")).fill(meeting_on)
    page.get_by_label("Start time").fill("17:30")
    page.get_by_label("Place or video link").fill("Cafeteria, level 2")
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_role("link", name="Add to calendar (.ics)")).to_be_visible()
    journey.check("meeting scheduled")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    invite = Calendar.from_ical(download_info.value.path().read_bytes())
    (event,) = invite.walk("VEVENT")
    assert str(event["LOCATION"]) == "Cafeteria, level 2"

    journey.goto("/wellbeing/")
    page.get_by_label("I am under some stress", exact=False).check()
    page.get_by_label("Well supported", exact=True).check()
    page.get_by_label("One word for your week").fill(CHECKIN_WORD)
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("status")).to_have_text("Thank you for checking in.")
    expect(page.get_by_role("cell", name=CHECKIN_WORD)).to_be_visible()
    expect(page.get_by_text("988 Suicide", exact=False)).to_have_count(0)
    journey.check("check-in saved")

    journey.goto(f"/partnerships/{partnership.pk}/")
    open_tab(journey, "Kudos")
    page.get_by_label("Your message").fill(KUDOS)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Kudos sent.")).to_be_visible()
    journey.check("kudos sent")
    journey.sign_out()

    mail.outbox.clear()
    journey.sign_in(second.email, factories.PASSWORD)
    journey.goto(f"/partnerships/{partnership.pk}/notes/")
    expect(page.get_by_text(NOTE)).to_be_visible()
    journey.goto(f"/partnerships/{partnership.pk}/exit/")
    journey.check("ending the partnership")
    page.get_by_role("button", name="End the partnership").click()
    expect(page.get_by_text("ended", exact=False).first).to_be_visible()
    journey.check("after ending")
    journey.sign_out()

    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.EXITED
    assert Note.objects.filter(partnership=partnership).count() == 1
    assert Goal.objects.filter(partnership=partnership, serves_main_thing=True).count() == 1
    assert Meeting.objects.filter(partnership=partnership).count() == 1
    assert Pulse.objects.filter(user=first).count() == 1
    told = [message for message in mail.outbox if first.email in message.to]
    assert told, "the other peer is told the partnership ended"
    assert "has come to an end" in told[0].body
    assert second.full_name not in told[0].body, "who ended it is not named"


def test_two_peers_work_together_and_one_ends_it_without_blame(journey):
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    cohort = factories.CohortFactory(program=program, slug="fall", name="Fall cohort")
    ana = factories.participant(cohort, email="ana@example.org", full_name="Ana Ruiz")
    bo = factories.participant(cohort, email="bo@example.org", full_name="Bo Lind")
    for person, main_thing in ((ana, "Publish my first paper"), (bo, "Lead the QI project")):
        person.profiles.update(main_thing=main_thing)
    partnership = factories.partnership(cohort, [ana, bo])
    peers_work_together(journey, partnership, ana, bo)


# A realistic cohort of residents: three neighbouring years (within the program's stage gap
# of one), six specialties, two institutions, and what each offers, seeks and wants most.
ROSTER_PEOPLE = [
    ("R01", "Amara Okafor", "PGY1", "Pediatrics", "research", "grants", "Publish my first paper"),
    ("R02", "Bruno Lindqvist", "PGY1", "Surgery", "teaching", "research", "Finish my QI audit"),
    (
        "R03",
        "Chiara Benedetti",
        "PGY1",
        "Internal Medicine",
        "clinical skills",
        "teaching",
        "Pass the in-training exam",
    ),
    (
        "R04",
        "Dmitri Volkov",
        "PGY1",
        "Emergency Medicine",
        "wellbeing",
        "leadership",
        "Sleep before night shifts",
    ),
    (
        "R05",
        "Esi Mensah",
        "PGY1",
        "Psychiatry",
        "difficult conversations",
        "research",
        "Start a journal club",
    ),
    (
        "R06",
        "Farid Haddad",
        "PGY1",
        "Family Medicine",
        "networking",
        "career planning",
        "Choose a fellowship",
    ),
    (
        "R07",
        "Greta Sundberg",
        "PGY1",
        "Pediatrics",
        "public speaking",
        "writing and publishing",
        "Present at grand rounds",
    ),
    (
        "R08",
        "Hiro Tanaka",
        "PGY1",
        "Internal Medicine",
        "research",
        "wellbeing",
        "Run my first half marathon",
    ),
    ("R09", "Ines Carvalho", "PGY2", "Surgery", "grants", "teaching", "Win a small grant"),
    (
        "R10",
        "Jonas Weber",
        "PGY2",
        "Pediatrics",
        "leadership",
        "research",
        "Lead the residents' council",
    ),
    (
        "R11",
        "Kalani Akana",
        "PGY2",
        "Emergency Medicine",
        "teaching",
        "quality improvement",
        "Teach ultrasound to juniors",
    ),
    (
        "R12",
        "Leila Rahimi",
        "PGY2",
        "Internal Medicine",
        "writing and publishing",
        "grants",
        "Write a case report",
    ),
    (
        "R13",
        "Mateo Alvarez",
        "PGY2",
        "Family Medicine",
        "work-life integration",
        "networking",
        "Protect family evenings",
    ),
    (
        "R14",
        "Nadia Petrova",
        "PGY2",
        "Psychiatry",
        "research",
        "public speaking",
        "Speak at a national meeting",
    ),
    (
        "R15",
        "Oisin Byrne",
        "PGY2",
        "Surgery",
        "clinical skills",
        "leadership",
        "Master laparoscopic suturing",
    ),
    (
        "R16",
        "Priya Raman",
        "PGY2",
        "Pediatrics",
        "quality improvement",
        "research",
        "Cut clinic wait times",
    ),
    (
        "R17",
        "Quinn Delacroix",
        "PGY3",
        "Internal Medicine",
        "career planning",
        "grants",
        "Apply to cardiology fellowship",
    ),
    (
        "R18",
        "Rosa Jimenez",
        "PGY3",
        "Emergency Medicine",
        "leadership",
        "teaching",
        "Become chief resident",
    ),
    (
        "R19",
        "Samir Aziz",
        "PGY3",
        "Surgery",
        "research",
        "negotiation",
        "Negotiate my first contract",
    ),
    (
        "R20",
        "Tove Halvorsen",
        "PGY3",
        "Psychiatry",
        "teaching",
        "research",
        "Design a resilience course",
    ),
    (
        "R21",
        "Umar Siddiqui",
        "PGY3",
        "Family Medicine",
        "networking",
        "job search",
        "Find a rural practice",
    ),
    (
        "R22",
        "Valentina Russo",
        "PGY3",
        "Pediatrics",
        "grants",
        "writing and publishing",
        "Submit my thesis chapter",
    ),
    (
        "R23",
        "Wen Li",
        "PGY3",
        "Internal Medicine",
        "board preparation",
        "leadership",
        "Pass the boards first time",
    ),
    (
        "R24",
        "Yusuf Demir",
        "PGY3",
        "Surgery",
        "teaching",
        "career planning",
        "Teach the junior surgical skills lab",
    ),
]
# Oisin, a second-year surgical resident, grades Bruno's skills lab: they must not be matched.
EVALUATES = {"R15": "R02"}
SLOTS = ("mon-am", "tue-pm", "wed-eve", "thu-pm", "fri-am")


def email_of(name):
    return name.lower().replace(" ", ".") + "@riverside.example.org"


def roster_csv():
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "id",
            "name",
            "email",
            "stage",
            "specialty",
            "institution",
            "offers",
            "seeks",
            "main_thing",
            "availability",
            "evaluates",
        ]
    )
    for n, (rid, name, stage, specialty, offers, seeks, main_thing) in enumerate(ROSTER_PEOPLE):
        # Neighbours on the list can each give what the other seeks, as peers often can.
        neighbour = ROSTER_PEOPLE[n ^ 1]
        offers = ";".join(dict.fromkeys([offers, neighbour[5]]))
        seeks = ";".join(dict.fromkeys([seeks, neighbour[4]]))
        institution = "Lakeside Children's Hospital" if n % 3 == 0 else "Riverside University"
        slots = f"{SLOTS[n % 5]};{SLOTS[(n + 2) % 5]}"
        writer.writerow(
            [
                rid,
                name,
                email_of(name),
                stage,
                specialty,
                institution,
                offers,
                seeks,
                main_thing,
                slots,
                EVALUATES.get(rid, ""),
            ]
        )
    return buffer.getvalue()


def open_main_nav(journey, name):
    """Follow a link of the main navigation, opening the phone's menu first when it is shut."""
    page = journey.page
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def accept_proposal(journey, person, partner):
    page = journey.page
    journey.sign_in(person.email, factories.PASSWORD)
    open_main_nav(journey, "Matches")
    expect(page.get_by_role("heading", name="Your proposed matches")).to_be_visible()
    journey.check(f"proposals of {person.full_name}")
    page.get_by_role("link", name=f"With {partner.full_name}").click()
    expect(page.get_by_role("heading", name="Why we suggest it")).to_be_visible()
    expect(page.get_by_role("heading", name=partner.full_name)).to_be_visible()
    journey.check(f"proposal seen by {person.full_name}")
    page.get_by_role("button", name="Accept").click()


def test_a_cohort_goes_from_roster_to_research_export(journey, tmp_path):
    program = factories.ProgramFactory(slug="riverside", name="Riverside Peers")
    cohort = factories.CohortFactory(program=program, slug="spring", name="Spring cohort")
    factories.coordinator(program, email="coord@example.org", full_name="Cora Ordway")
    factories.researcher(program, email="rhea@example.org", full_name="Rhea Search")
    page = journey.page

    # 1. The coordinator imports the roster through the web pages.
    journey.sign_in("coord@example.org", factories.PASSWORD)
    expect(page.get_by_role("heading", name="Hello, Cora")).to_be_visible()
    open_main_nav(journey, "Programs")
    page.get_by_role("link", name="Riverside Peers").click()
    page.get_by_role("link", name="Spring cohort").click()
    expect(page.get_by_role("heading", name="Spring cohort", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Enrolled (0)")).to_be_visible()
    journey.check("empty cohort")
    page.get_by_role("link", name="Import roster").click()
    roster = tmp_path / "spring-roster.csv"
    roster.write_text(roster_csv())
    page.get_by_label("Roster CSV").set_input_files(str(roster))
    journey.check("roster chosen")
    page.get_by_role("button", name="Preview import").click()
    invited = page.locator(".figure", has_text="will be invited").locator(".value")
    expect(invited).to_have_text("24")
    expect(page.locator(".figure", has_text="new evaluator lines").locator(".value")).to_have_text(
        "1"
    )
    journey.check("roster preview")
    assert not User.objects.filter(email=email_of("Amara Okafor")).exists(), "a preview writes"
    page.get_by_role("button", name="Apply import").click()
    expect(page.get_by_text("Imported: 24 invited, 0 updated, 0 unchanged.")).to_be_visible()
    expect(page.get_by_text("24 invitation(s) not yet accepted.")).to_be_visible()
    # Everyone signs up from their own invitation (the sign-up form is walked elsewhere).
    for invitation in Invitation.objects.filter(cohort=cohort):
        newcomer = User.objects.create_user(
            email=invitation.email, full_name=invitation.full_name, password=factories.PASSWORD
        )
        program_services.invitation_accept(invitation=invitation, user=newcomer)
    page.reload()
    expect(page.get_by_role("heading", name="Enrolled (24)")).to_be_visible()
    expect(page.get_by_role("link", name="Yusuf Demir")).to_be_visible()
    journey.check("cohort after import")
    people = {user.full_name: user for user in User.objects.filter(enrollments__cohort=cohort)}
    assert len(people) == 24
    assert Exclusion.objects.filter(
        program=program, person=people["Oisin Byrne"], other=people["Bruno Lindqvist"]
    ).exists()

    # 2. They run the match, review it, move one person and publish.
    page.get_by_role("main").get_by_role("link", name="Match rounds").click()
    expect(page.get_by_role("heading", name="Match rounds: Spring cohort")).to_be_visible()
    expect(page.get_by_text("24 people ready to match")).to_be_visible()
    journey.check("match rounds of the cohort")
    page.get_by_role("button", name="Run the match").click()
    expect(page.get_by_role("heading", name="Proposed groups (12)")).to_be_visible()
    groups = page.locator("article.match-group")
    expect(groups).to_have_count(12)
    expect(groups.first.get_by_role("heading", name=re.compile(r"score \d+\.\d"))).to_be_visible()
    expect(groups.first.locator(".reasons li").first).to_be_visible()
    groups.first.get_by_text("Score breakdown").click()
    expect(groups.first.get_by_role("rowheader", name="reciprocity")).to_be_visible()
    journey.check("review the proposed groups")
    run = MatchRun.objects.get(cohort=cohort)
    for group in run.groups.all():
        assert {people["Oisin Byrne"].pk, people["Bruno Lindqvist"].pk} - set(group.member_ids)

    groups.nth(1).get_by_role("link", name="Move").first.click()
    heading = page.get_by_role("heading", name=re.compile(r"^Move "))
    expect(heading).to_be_visible()
    moved_name = heading.inner_text().removeprefix("Move ")
    expect(page.get_by_text("new score").first).to_be_visible()
    journey.check("move someone to another group")
    page.get_by_role("radio").first.check()  # nothing is chosen for the coordinator
    page.get_by_role("button", name="Move").click()
    expect(page.get_by_text("both groups are locked")).to_be_visible()
    expect(page.get_by_role("heading", name="Proposed groups (11)")).to_be_visible()
    expect(page.get_by_role("heading", name="Not placed (1)")).to_be_visible()
    expect(page.get_by_text(f"Moved by the coordinator: {moved_name} joined")).to_be_visible()
    journey.check("after the move")
    page.get_by_role("link", name="Publish 11 proposals").click()
    expect(page.get_by_role("heading", name=re.compile("^Publish the matches"))).to_be_visible()
    journey.check("confirm publishing")
    page.get_by_label(re.compile("I have reviewed the groups")).check()
    page.get_by_role("button", name=re.compile("^Publish and send")).click()
    expect(page.get_by_text(re.compile(r"Published: \d+ people have been asked"))).to_be_visible()
    journey.check("published")
    run.refresh_from_db()
    assert run.status == MatchRun.Status.PUBLISHED
    assert Partnership.objects.filter(cohort=cohort, status="proposed").count() == 11
    journey.sign_out()

    # 3. Two peers of one proposed pair accept it and work together until one ends it.
    pair = (
        Partnership.objects.filter(cohort=cohort, kind=Partnership.Kind.PAIR).order_by("pk").first()
    )
    first, second = (member.user for member in pair.members.select_related("user").order_by("pk"))
    for person in (first, second):
        person.set_password(factories.PASSWORD)
        person.save(update_fields=["password"])
    accept_proposal(journey, first, second)
    expect(page.get_by_text("You accepted. We are waiting for the others.")).to_be_visible()
    journey.check("accepted, waiting for the other")
    journey.sign_out()
    accept_proposal(journey, second, first)
    expect(page.get_by_text("Everyone accepted: your workspace is open.")).to_be_visible()
    journey.check("everyone accepted")
    journey.sign_out()
    pair.refresh_from_db()
    assert pair.status == Partnership.Status.ACTIVE
    # They meet in a fortnight, well inside the cohort's year.
    meeting_on = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    peers_work_together(journey, pair, first, second, meeting_on=meeting_on)

    # 4. The coordinator reads the cohort's dashboard: the funnel, and nothing anyone wrote.
    journey.sign_in("coord@example.org", factories.PASSWORD)
    open_main_nav(journey, "Insights")
    expect(page.get_by_role("heading", name="Insights", level=1)).to_be_visible()
    journey.check("insights")
    page.get_by_role("link", name="Dashboard of Spring cohort").click()
    expect(page.get_by_role("heading", name="Dashboard of Spring cohort")).to_be_visible()
    funnel = page.get_by_role("table").filter(has_text="People who reached each step")
    expect(funnel).to_be_visible()
    # On a phone the table stacks, and each figure is named by its cell's data-label.
    expect(funnel.locator("tbody td[data-label='Invited or joined']")).to_have_text("24")
    expect(funnel.locator("tbody td[data-label='Profile complete']")).to_have_text("24")
    expect(funnel.get_by_title("Withheld").first).to_be_visible()
    journey.check("cohort dashboard")
    shown = page.locator("body").inner_text()
    for private in (NOTE, GOAL, KUDOS, CHECKIN_WORD):
        assert private not in shown, f"the dashboard shows private content: {private!r}"
    journey.sign_out()

    # 5. A researcher downloads the de-identified export of the consenting people.
    protocol = protocol_for(cohort)
    everyone = sorted(people.values(), key=lambda user: user.pk)
    consenting, declining, withdrawn = everyone[:19], everyone[19:21], everyone[21]
    for person in consenting:
        research_consent_record(protocol=protocol, user=person, decision="consented")
    for person in declining:
        research_consent_record(protocol=protocol, user=person, decision="declined")
    research_consent_record(protocol=protocol, user=withdrawn, decision="consented")
    research_consent_record(protocol=protocol, user=withdrawn, decision="withdrawn")
    assert ResearchConsent.objects.filter(protocol=protocol).count() == 23

    journey.sign_in("rhea@example.org", factories.PASSWORD)
    open_main_nav(journey, "Research")
    expect(page.get_by_role("heading", name="Programs you research")).to_be_visible()
    journey.check("research")
    page.get_by_role("link", name="De-identified exports of Riverside Peers").click()
    expect(
        page.get_by_role("heading", name="De-identified exports of Riverside Peers")
    ).to_be_visible()
    card = page.locator("section.card", has=page.get_by_role("heading", name="Spring cohort"))
    expect(card.get_by_text("Study: Peer mentoring and retention")).to_be_visible()
    card.get_by_label("Format").select_option("csv")
    journey.check("research exports")
    with page.expect_download() as download_info:
        card.get_by_role("button", name="Download (ZIP)").click()
    download = download_info.value
    assert download.suggested_filename == "riverside-spring-research-csv.zip"
    with zipfile.ZipFile(io.BytesIO(download.path().read_bytes())) as archive:
        assert sorted(archive.namelist()) == ["README.md", "codebook.csv", "dataset.csv"]
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    rows = list(csv.DictReader(io.StringIO(files["dataset.csv"])))
    # Study ids are fresh in every export (the protocol is not longitudinal): count them.
    assert len({row["record_id"] for row in rows}) == len(rows) == len(consenting), (
        "one row per consenting person, and nobody else"
    )
    everything = "\n".join(files.values()).lower()
    for person in everyone:
        assert person.full_name.lower() not in everything
        assert person.email.lower() not in everything
        assert person.profiles.get().main_thing.lower() not in everything
    journey.sign_out()
