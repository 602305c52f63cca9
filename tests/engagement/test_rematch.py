"""A no-fault rematch puts both members back in the pool with priority, and the next match run
hands that priority to the engine."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.engagement import services
from tandem.engagement.models import ContactCheck
from tandem.partnerships.models import Partnership
from tandem.rounds.selectors import rematch_pool
from tandem.rounds.services import match_run_start

pytestmark = pytest.mark.django_db


def test_the_next_match_run_gives_both_rematched_members_priority(cast):
    ContactCheck.objects.create(
        partnership=cast.partnership,
        member=cast.bob,
        day=7,
        answer=ContactCheck.Answer.PROBLEM,
        answered_at=timezone.now(),
    )
    services.rematch_request(partnership=cast.partnership, member=cast.bob)
    pool = {entry.user.email: entry for entry in rematch_pool(cast.cohort)}
    assert (pool["alice@example.org"].priority, pool["bob@example.org"].priority) == (True, True)
    assert pool["carol@example.org"].priority is False
    run = match_run_start(cohort=cast.cohort, created_by=cast.coord, inline=True)
    first = {entry["id"] for entry in run.participants if entry.get("priority")}
    assert first == {str(cast.alice.pk), str(cast.bob.pk)}


def test_no_rematch_without_the_offer_and_never_twice(cast):
    with pytest.raises(ValidationError):
        services.rematch_request(partnership=cast.partnership, member=cast.alice)
    assert Partnership.objects.get(pk=cast.partnership.pk).status == Partnership.Status.ACTIVE
    for member in (cast.alice, cast.bob):
        ContactCheck.objects.create(
            partnership=cast.partnership,
            member=member,
            day=7,
            answer=ContactCheck.Answer.PROBLEM,
            answered_at=timezone.now(),
        )
    services.rematch_request(partnership=cast.partnership, member=cast.alice)
    with pytest.raises(ValidationError):
        services.rematch_request(partnership=cast.partnership, member=cast.bob)


def test_a_persons_data_download_holds_their_own_answers_only(cast, client_for):
    ContactCheck.objects.create(
        partnership=cast.partnership,
        member=cast.alice,
        day=7,
        answer=ContactCheck.Answer.NOT_YET,
        answered_at=timezone.now(),
    )
    ContactCheck.objects.create(
        partnership=cast.partnership,
        member=cast.bob,
        day=7,
        answer=ContactCheck.Answer.PROBLEM,
        answered_at=timezone.now(),
    )
    response = client_for(cast.alice).post(reverse("privacy:download"), {"format": "json"})
    alices = json.loads(response.content)["sections"]["engagement"]
    assert [q["answer"] for q in alices["first_contact_questions"]] == ["not_yet"]
    assert alices["rematches_asked"] == []
