"""Helpers that place a late joiner the way people do: the coordinator asks from the pool
page, each member answers on their own page, the newcomer answers their proposal."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership
from tandem.rounds.models import Placement
from tests import factories

ClientFor = Callable[[User], Client]


def newcomer(partnership: Partnership, name: str = "Lou Late") -> User:
    email = name.lower().replace(" ", ".") + "@example.org"
    return factories.participant(partnership.cohort, email=email, full_name=name)


def ask(
    client_for: ClientFor, coordinator: User, person: User, partnership: Partnership
) -> Placement:
    cohort = partnership.cohort
    url = reverse("rounds:place", args=[cohort.program.slug, cohort.slug, person.pk])
    response = client_for(coordinator).post(url, {"partnership": partnership.pk})
    assert response.status_code == 302
    return Placement.objects.get(partnership=partnership, newcomer=person)


def answer(client_for: ClientFor, member: User, placement: Placement, *, agree: bool) -> None:
    url = reverse("rounds:placement_answer", args=[placement.pk])
    response = client_for(member).post(url, {"answer": "yes" if agree else "no"})
    assert response.status_code == 302


def agree_all(client_for: ClientFor, placement: Placement) -> None:
    for consent in placement.consents.select_related("member"):
        answer(client_for, consent.member, placement, agree=True)


def accept(client_for: ClientFor, person: User, partnership: Partnership) -> None:
    url = reverse("rounds:proposal_accept", args=[partnership.pk])
    assert client_for(person).post(url).status_code == 302
