"""Accounts: sign-in by email, sign-up only through an invitation or join link, password rules."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import User
from tandem.core.models import OutgoingEmail
from tandem.programs import services
from tandem.programs.models import Enrollment, Invitation, ProgramRole
from tests.factories import PASSWORD


def test_a_person_signs_in_with_email_and_password(cast):
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": "alice@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert b"Hello, Alice" in home.content


def test_a_wrong_password_keeps_the_person_out(cast):
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": "alice@example.org", "password": "not it at all"}
    )
    assert response.status_code == 200
    assert b"not correct" in response.content
    assert b"Hello, Alice" not in client.get(reverse("home")).content


def test_sign_up_is_closed_without_an_invitation(db):
    response = Client().get(reverse("account_signup"))
    assert b"Sign-up is by invitation" in response.content
    posted = Client().post(
        reverse("account_signup"),
        {
            "email": "x@example.org",
            "password1": "a long passphrase",
            "password2": "a long passphrase",
        },
    )
    assert not User.objects.filter(email="x@example.org").exists()
    assert posted.status_code in (200, 302)


def _invite(cast, email, role=Invitation.Role.PARTICIPANT):
    return services.invitation_create(
        program=cast.program,
        cohort=cast.cohort if role == Invitation.Role.PARTICIPANT else None,
        email=email,
        role=role,
        invited_by=cast.coord,
    )


def test_an_invitation_link_leads_to_sign_up_and_enrols_the_new_person(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(cast, "newbie@example.org")
    assert len(mailoutbox) == 1
    link = re.search(r"http://testserver(/invite/\S+/)", mailoutbox[0].body).group(1)
    client = Client()
    assert client.get(link)["Location"] == reverse("account_signup")
    form = client.get(reverse("account_signup"))
    assert b"newbie@example.org" in form.content
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "New Bie",
            "email": "newbie@example.org",
            "password1": "a long passphrase of mine",
            "password2": "a long passphrase of mine",
        },
    )
    assert response.status_code == 302
    newbie = User.objects.get(email="newbie@example.org")
    assert newbie.full_name == "New Bie"
    assert Enrollment.objects.filter(user=newbie, cohort=cast.cohort).exists()
    assert Invitation.objects.get(email="newbie@example.org").accepted_at is not None


def test_sign_up_through_an_invitation_must_use_the_invited_address(cast):
    _, token = _invite(cast, "invited@example.org")
    client = Client()
    client.get(reverse("participant:invitation", args=[token]))
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "Someone Else",
            "email": "other@example.org",
            "password1": "a long passphrase of mine",
            "password2": "a long passphrase of mine",
        },
    )
    assert response.status_code == 200
    assert b"address your invitation was sent to" in response.content
    assert not User.objects.filter(email="other@example.org").exists()


def test_an_existing_account_signs_in_then_accepts_a_staff_invitation(cast, client_for):
    _, token = _invite(cast, "carol@example.org", role=Invitation.Role.RESEARCHER)
    url = reverse("participant:invitation", args=[token])
    response = Client().get(url)
    assert response["Location"].startswith(reverse("account_login"))
    client = client_for(cast.carol)
    assert b"Accept invitation" in client.get(url).content
    client.post(url)
    assert ProgramRole.objects.filter(
        user=cast.carol, role="researcher", program=cast.program
    ).exists()
    assert client.get(url).status_code == 410


def test_an_invitation_cannot_be_used_by_someone_signed_in_as_another_person(cast, client_for):
    _, token = _invite(cast, "someone@example.org")
    response = client_for(cast.alice).get(reverse("participant:invitation", args=[token]))
    assert response.status_code == 403
    response = client_for(cast.alice).post(reverse("participant:invitation", args=[token]))
    assert response.status_code == 403
    assert not Invitation.objects.get(email="someone@example.org").accepted_at


def test_a_person_enrolled_from_a_roster_chooses_a_password_from_the_link(cast):
    user = User.objects.create_user(email="roster@example.org", full_name="Ros Ter")
    services.enrollment_create(cohort=cast.cohort, user=user, source=Enrollment.Source.ROSTER)
    _, token = _invite(cast, "roster@example.org")
    client = Client()
    url = reverse("participant:invitation", args=[token])
    assert b"Choose a password" in client.get(url).content
    response = client.post(
        url, {"new_password1": "river stones and moss", "new_password2": "river stones and moss"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("river stones and moss")
    assert b"Hello, Ros" in client.get(reverse("home")).content


def test_an_unknown_invitation_token_is_not_found(db):
    assert Client().get(reverse("participant:invitation", args=["nope"])).status_code == 404


def test_join_link_signs_up_a_new_person_who_joins_once_their_address_is_confirmed(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()
    page = client.get(reverse("participant:join", args=[cast.cohort.join_token]))
    assert b"Create an account and join" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "full_name": "Jo Iner",
                "email": "joiner@example.org",
                "password1": "a long passphrase of mine",
                "password2": "a long passphrase of mine",
            },
        )
    assert response.status_code == 302
    joiner = User.objects.get(email="joiner@example.org")
    assert not Enrollment.objects.filter(user=joiner).exists()
    (confirmation,) = mailoutbox
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", confirmation.body).group(1)
    confirmed = client.post(link)
    join_url = reverse("participant:join", args=[cast.cohort.join_token])
    assert confirmed["Location"] == join_url
    client.post(join_url)
    assert Enrollment.objects.get(user=joiner).source == Enrollment.Source.SELF


def test_a_signed_in_person_self_enrols_into_another_open_cohort(cast, client_for):
    from tests.factories import CohortFactory

    spring = CohortFactory(program=cast.program, slug="spring-2", enrolment_open=True)
    client = client_for(cast.alice)
    assert b"Open cohorts you can join" in client.get(reverse("home")).content
    client.post(reverse("participant:join", args=[spring.join_token]))
    assert Enrollment.objects.filter(user=cast.alice, cohort=spring).exists()


def test_a_closed_cohorts_join_link_says_so(cast, client_for):
    cast.cohort.enrolment_open = False
    cast.cohort.save()
    response = client_for(cast.carol).get(
        reverse("participant:join", args=[cast.cohort.join_token])
    )
    assert response.status_code == 410
    assert b"Enrolment is closed" in response.content


def test_password_reset_sends_a_link_that_sets_a_new_password(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("account_reset_password"), {"email": "alice@example.org"})
    # The request only queues the e-mail; the worker sends it once the request has committed.
    assert mailoutbox == []
    (queued,) = OutgoingEmail.objects.all()
    assert queued.to == "alice@example.org"
    assert queued.template == "account/email/password_reset_key"
    assert queued.subject.startswith("[Tandem] ")
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == queued.subject
    assert not OutgoingEmail.objects.exists()
    link = re.search(
        r"http://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[0].body
    ).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(
        form_url, {"password1": "a brand new passphrase", "password2": "a brand new passphrase"}
    )
    assert response.status_code == 302
    cast.alice.refresh_from_db()
    assert cast.alice.check_password("a brand new passphrase")


def test_password_reset_for_an_unknown_address_looks_the_same(cast, mailoutbox):
    known = Client().post(reverse("account_reset_password"), {"email": "alice@example.org"})
    unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "all lowercase letters only", "12345678901234567890x"],
)
def test_long_passwords_without_composition_rules_are_accepted(db, password):
    validate_password(password, User(email="someone@example.org"))


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short", "too short"), ("password123", "too common"), ("x" * 300, "too long")],
)
def test_short_common_or_absurdly_long_passwords_are_refused(db, password, reason):
    with pytest.raises(ValidationError, match=reason):
        validate_password(password, User(email="someone@example.org"))
