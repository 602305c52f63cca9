"""Someone who signs up with another person's address cannot join a cohort as them.

A join link lets anyone create an account, with any address. Until the confirmation link
sent to that address is opened, the account joins nothing: not from the sign-up itself, not
from the join page, not from another open cohort, not through the API, and not by a roster
import. The address's real owner, invited, takes the account back through their mailbox.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import User
from tandem.programs import services
from tandem.programs.models import Enrollment
from tests.factories import CohortFactory

VICTIM = "victim@example.org"
SQUATTER_PASSWORD = "the squatter's passphrase"


@pytest.fixture
def squatter(cast, mailoutbox, django_capture_on_commit_callbacks) -> Client:
    """A stranger who used the cohort's join link to sign up with the victim's address."""
    client = Client()
    client.get(reverse("participant:join", args=[cast.cohort.join_token]))
    with django_capture_on_commit_callbacks(execute=True):  # the queued confirmation goes out
        response = client.post(
            reverse("account_signup"),
            {
                "full_name": "Vic Tim",
                "email": VICTIM,
                "password1": SQUATTER_PASSWORD,
                "password2": SQUATTER_PASSWORD,
            },
        )
    assert response.status_code == 302
    return client


def _enrolled() -> bool:
    return Enrollment.objects.filter(user__email=VICTIM).exists()


def test_the_sign_up_itself_joins_nothing_and_asks_the_address_to_confirm(squatter, mailoutbox):
    assert not _enrolled()
    assert EmailAddress.objects.get(email=VICTIM).verified is False
    assert [message.to for message in mailoutbox] == [[VICTIM]]
    assert "confirm" in mailoutbox[0].body.lower()


def test_the_join_page_refuses_until_the_address_is_confirmed(cast, squatter):
    url = reverse("participant:join", args=[cast.cohort.join_token])
    page = squatter.get(url).content.decode()
    assert "Confirm your email address first" in page
    assert "Join this cohort" not in page
    response = squatter.post(url, follow=True)
    assert "Confirm your email address first" in response.content.decode()
    assert not _enrolled()


def test_another_open_cohort_refuses_too(cast, squatter):
    spring = CohortFactory(program=cast.program, slug="spring-open", enrolment_open=True)
    squatter.post(reverse("participant:join", args=[spring.join_token]))
    assert not _enrolled()


def test_the_api_offers_no_way_to_join(cast, squatter):
    url = "/api/v1/programs/riverside/cohorts/fall/enrollments"
    assert squatter.post(url, {}, content_type="application/json").status_code in (403, 404, 405)
    assert squatter.get(url).status_code == 404
    assert not _enrolled()


def test_a_roster_import_of_the_address_invites_rather_than_enrols(
    cast, client_for, squatter, mailoutbox, django_capture_on_commit_callbacks
):
    from tandem.programs.roster import roster_apply, roster_preview

    roster = roster_preview(
        program=cast.program,
        cohort=cast.cohort,
        uploaded_by=cast.coord,
        filename="r.csv",
        content=f"id,name,email,stage\nV1,Vic Tim,{VICTIM},PGY1\n",
    )
    with django_capture_on_commit_callbacks(execute=True):
        roster_apply(roster_import=roster, by=cast.coord)
    assert not _enrolled()
    assert mailoutbox[-1].to == [VICTIM]


def test_the_squatter_without_the_emailed_link_cannot_accept_an_invitation(
    cast, squatter, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            program=cast.program, cohort=cast.cohort, email=VICTIM, invited_by=cast.coord
        )
    guessed = reverse("participant:invitation", args=["a-guessed-token"])
    assert squatter.post(guessed).status_code == 404
    assert not _enrolled()


def test_the_real_owner_takes_the_account_back_through_their_mailbox_and_joins(
    cast, squatter, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            program=cast.program, cohort=cast.cohort, email=VICTIM, invited_by=cast.coord
        )
    invite = re.search(r"http://testserver(/invite/\S+/)", mailoutbox[-1].body).group(1)
    owner = Client()
    assert owner.get(invite)["Location"].startswith(reverse("account_login"))
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(reverse("account_reset_password"), {"email": VICTIM})
    reset = re.search(
        r"http://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[-1].body
    ).group(1)
    form_url = owner.get(reset)["Location"]
    owner.post(
        form_url, {"password1": "the owner's passphrase", "password2": "the owner's passphrase"}
    )
    owner.post(reverse("account_login"), {"login": VICTIM, "password": "the owner's passphrase"})
    owner.post(invite)
    assert _enrolled()
    victim = User.objects.get(email=VICTIM)
    assert not victim.check_password(SQUATTER_PASSWORD)
    assert EmailAddress.objects.get(user=victim, email=VICTIM).verified
