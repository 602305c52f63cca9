"""A roster import never takes over an account: played end to end through the pages and CLI.

A coordinator puts the address of someone outside their program (a participant of another
program, another program's coordinator, the operator) into a roster with a changed name. The
account must come out unchanged and unenrolled, with an invitation its owner may accept, and
nothing the coordinator sees before or after tells whether the address had an account.
"""

from __future__ import annotations

import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import User
from tandem.programs.models import Enrollment, Invitation, Profile
from tests.factories import PASSWORD

ROW = "id,name,email,stage,specialty\nX9,Mallory Renamed,{email},PGY2,Surgery\n"
OUTSIDERS = ["dave", "other_coord", "olga"]
HIDDEN_NAME = "Zebulon Quist"


def _upload(client: Client, content: str) -> str:
    """Upload a roster on the cohort's import page; returns the preview page's address."""
    upload = io.BytesIO(content.encode())
    upload.name = "roster.csv"
    response = client.post(
        reverse("programs:roster_upload", args=["riverside", "fall"]), {"roster": upload}
    )
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def _apply(client: Client, preview_url: str, capture) -> None:
    with capture(execute=True):
        response = client.post(preview_url, {"action": "apply"})
    assert response.status_code == 302


def _invitation_link(mailoutbox, email: str) -> str:
    (message,) = [m for m in mailoutbox if m.to == [email]]
    return re.search(r"http://testserver(/invite/\S+/)", message.body).group(1)


def _account_state(user: User) -> tuple:
    user.refresh_from_db()
    return (user.email, user.full_name, user.password, user.is_active, user.is_staff)


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_an_import_naming_an_outsiders_address_changes_nothing_of_that_account(
    cast, client_for, mailoutbox, django_capture_on_commit_callbacks, outsider
):
    victim = getattr(cast, outsider)
    User.objects.filter(pk=victim.pk).update(full_name=HIDDEN_NAME)
    before = _account_state(victim)
    coordinator = client_for(cast.coord)
    preview_url = _upload(coordinator, ROW.format(email=victim.email))
    _apply(coordinator, preview_url, django_capture_on_commit_callbacks)

    assert _account_state(victim) == before
    assert not Profile.objects.filter(user=victim, program=cast.program).exists()
    assert not Enrollment.objects.filter(user=victim, cohort__program=cast.program).exists()
    invitation = Invitation.objects.get(email=victim.email, cohort=cast.cohort)
    assert invitation.full_name == "Mallory Renamed"
    assert _invitation_link(mailoutbox, victim.email)


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_after_the_import_the_coordinator_reads_nothing_of_that_account(
    cast, client_for, django_capture_on_commit_callbacks, outsider
):
    victim = getattr(cast, outsider)
    User.objects.filter(pk=victim.pk).update(full_name=HIDDEN_NAME)
    coordinator = client_for(cast.coord)
    _apply(
        coordinator,
        _upload(coordinator, ROW.format(email=victim.email)),
        django_capture_on_commit_callbacks,
    )
    pages = [
        reverse("programs:people", args=["riverside"]),
        reverse("programs:cohort", args=["riverside", "fall"]),
        reverse("programs:detail", args=["riverside"]),
        "/api/v1/programs/riverside/cohorts/fall/enrollments",
    ]
    for url in pages:
        response = coordinator.get(url)
        assert response.status_code == 200, url
        assert HIDDEN_NAME not in response.content.decode(), url
    for profile in Profile.objects.filter(user=victim):
        url = reverse("programs:person", args=["riverside", profile.pk])
        assert coordinator.get(url).status_code == 404


def _normalised_preview(client: Client, content: str, email: str) -> str:
    page = client.get(_upload(client, content)).content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    main = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)
    return main.replace(email, "ADDRESS")


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_the_preview_reads_the_same_for_an_existing_account_and_a_new_address(
    cast, client_for, outsider
):
    existing = getattr(cast, outsider).email
    coordinator = client_for(cast.coord)
    with_account = _normalised_preview(coordinator, ROW.format(email=existing), existing)
    without = _normalised_preview(
        coordinator, ROW.format(email="nobody-yet@example.org"), "nobody-yet@example.org"
    )
    assert with_account == without
    assert "will be invited" in with_account


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_the_command_line_preview_reads_the_same_for_an_existing_account_and_a_new_address(
    cast, tmp_path, outsider
):
    def dry_run(email: str) -> str:
        path = tmp_path / "roster.csv"
        path.write_text(ROW.format(email=email))
        out = io.StringIO()
        call_command(
            "import_roster", str(path), program="riverside", cohort="fall", dry_run=True, stdout=out
        )
        return out.getvalue().replace(email, "ADDRESS")

    existing = dry_run(getattr(cast, outsider).email)
    assert existing == dry_run("nobody-yet@example.org")
    assert "1 will be invited" in existing


def test_the_command_import_leaves_an_existing_account_unchanged(cast, tmp_path, mailoutbox):
    before = _account_state(cast.dave)
    path = tmp_path / "roster.csv"
    path.write_text(ROW.format(email="DAVE@example.org"))
    call_command(
        "import_roster", str(path), program="riverside", cohort="fall", stdout=io.StringIO()
    )
    assert _account_state(cast.dave) == before
    assert not Enrollment.objects.filter(user=cast.dave, cohort=cast.cohort).exists()
    assert Invitation.objects.filter(email="dave@example.org", cohort=cast.cohort).exists()


def test_the_invited_person_joins_when_they_accept_signed_in_as_themselves(
    cast, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = client_for(cast.coord)
    _apply(
        coordinator,
        _upload(coordinator, ROW.format(email=cast.dave.email)),
        django_capture_on_commit_callbacks,
    )
    link = _invitation_link(mailoutbox, cast.dave.email)
    visitor = Client()
    assert visitor.get(link)["Location"].startswith(reverse("account_login"))
    signed_in = visitor.post(
        reverse("account_login"), {"login": cast.dave.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert b"Accept invitation" in visitor.get(link).content
    visitor.post(link)
    assert Enrollment.objects.filter(user=cast.dave, cohort=cast.cohort).exists()
    cast.dave.refresh_from_db()
    assert cast.dave.full_name == "Dave Diaz"
    profile = Profile.objects.get(user=cast.dave, program=cast.program)
    assert (profile.roster_id, profile.stage, profile.specialty) == ("X9", "PGY2", "Surgery")


def test_someone_else_signed_in_cannot_accept_the_invitation(
    cast, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = client_for(cast.coord)
    _apply(
        coordinator,
        _upload(coordinator, ROW.format(email=cast.dave.email)),
        django_capture_on_commit_callbacks,
    )
    link = _invitation_link(mailoutbox, cast.dave.email)
    assert coordinator.post(link).status_code == 403
    assert not Enrollment.objects.filter(user=cast.dave, cohort=cast.cohort).exists()


def test_a_new_address_gets_no_account_the_importer_could_sign_in_to(
    cast, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    coordinator = client_for(cast.coord)
    email = "fresh@example.org"
    _apply(
        coordinator,
        _upload(coordinator, ROW.format(email=email)),
        django_capture_on_commit_callbacks,
    )
    assert not User.objects.filter(email=email).exists()
    for password in ("", PASSWORD, "Mallory Renamed"):
        response = Client().post(reverse("account_login"), {"login": email, "password": password})
        assert response.status_code == 200  # the form again: nobody was signed in
    visitor = Client()
    link = _invitation_link(mailoutbox, email)
    assert visitor.get(link)["Location"] == reverse("account_signup")
    form = visitor.get(reverse("account_signup")).content.decode()
    assert "Mallory Renamed" in form  # the roster's name is only a suggestion
    visitor.post(
        reverse("account_signup"),
        {
            "full_name": "Mel Own-Choice",
            "email": email,
            "password1": "my own long passphrase",
            "password2": "my own long passphrase",
        },
    )
    person = User.objects.get(email=email)
    assert person.full_name == "Mel Own-Choice"
    assert person.check_password("my own long passphrase")
    assert Enrollment.objects.filter(user=person, cohort=cast.cohort).exists()
    assert EmailAddress.objects.get(user=person).verified


def test_a_members_name_and_address_are_never_changed_by_an_import(
    cast, client_for, django_capture_on_commit_callbacks
):
    before = _account_state(cast.alice)
    coordinator = client_for(cast.coord)
    content = "id,name,email,stage\nA1,Alicia Renamed,ALICE@example.org,PGY3\n"
    preview = coordinator.get(_upload(coordinator, content)).content.decode()
    assert "name" not in re.findall(r'data-label="Changes">([^<]*)<', preview)[0]
    _apply(coordinator, _upload(coordinator, content), django_capture_on_commit_callbacks)
    assert _account_state(cast.alice) == before
    assert Profile.objects.get(user=cast.alice, program=cast.program).stage == "PGY3"


def test_a_member_whose_address_was_never_confirmed_is_invited_not_enrolled(
    cast, client_for, django_capture_on_commit_callbacks
):
    squatter = User.objects.create_user(email="claimed@example.org", password="pw of a squatter")
    EmailAddress.objects.create(user=squatter, email=squatter.email, verified=False, primary=True)
    Profile.objects.create(program=cast.program, user=squatter)
    other = cast.program.cohorts.create(
        name="Winter", slug="winter", starts_on=cast.cohort.starts_on, ends_on=cast.cohort.ends_on
    )
    coordinator = client_for(cast.coord)
    upload = io.BytesIO(ROW.format(email=squatter.email).encode())
    upload.name = "roster.csv"
    response = coordinator.post(
        reverse("programs:roster_upload", args=["riverside", "winter"]), {"roster": upload}
    )
    preview = coordinator.get(response["Location"]).content.decode()
    assert "will be invited" in preview
    _apply(coordinator, response["Location"], django_capture_on_commit_callbacks)
    assert not Enrollment.objects.filter(user=squatter, cohort=other).exists()
    assert Invitation.objects.filter(email=squatter.email, cohort=other).exists()
