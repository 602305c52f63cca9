"""Speed mentoring: a rotation that never seats a forbidden pair, rankings of whom each met,
and a draft mutual-mode run that is the stable matching when one exists."""

from __future__ import annotations

from itertools import combinations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.circles import services
from tandem.circles.models import SpeedEvent, SpeedMeeting
from tandem.circles.selectors import ranking_of
from tandem.engine.roommates import blocking_pairs
from tandem.programs.models import Exclusion
from tandem.rounds.models import MatchRun
from tests import factories

pytestmark = pytest.mark.django_db


def four(cohort):
    return [
        factories.participant(cohort, email=f"{name.lower()}@example.org", full_name=name)
        for name in ("Ana", "Ben", "Cai", "Dee")
    ]


def event_for(cohort, coord, rounds):
    return services.speed_event_create(
        cohort=cohort,
        by=coord,
        title="Speed mentoring",
        starts_at=timezone.now(),
        round_minutes=7,
        rounds=rounds,
    )


def to_ranking(event):
    while event.status != SpeedEvent.Status.RANKING:
        event = services.speed_event_advance(event=event)
    return event


def test_the_rotation_meets_everyone_once_and_never_an_evaluator(cast):
    cohort = factories.CohortFactory(program=cast.program, slug="speed")
    people = [factories.participant(cohort, email=f"p{i}@example.org") for i in range(7)]
    Exclusion.objects.create(
        program=cast.program, person=people[0], other=people[1], reason="evaluator"
    )
    event = event_for(cohort, cast.coord, rounds=6)
    pairs = [(m.first_id, m.second_id) for m in SpeedMeeting.objects.filter(event=event)]
    assert len(pairs) == len(set(pairs))
    assert (people[0].pk, people[1].pk) not in pairs
    for number in range(1, 7):
        seated = [
            pk
            for m in SpeedMeeting.objects.filter(event=event, round=number)
            for pk in (m.first_id, m.second_id)
        ]
        assert len(seated) == len(set(seated))
    # Seven people: three tables a round; everyone meets several peers.
    talks = {p.pk: sum(p.pk in pair for pair in pairs) for p in people}
    assert min(talks.values()) >= 4


def test_rankings_give_the_stable_matching_of_a_known_instance(cast):
    cohort = factories.CohortFactory(program=cast.program, slug="speed")
    ana, ben, cai, dee = four(cohort)
    event = to_ranking(event_for(cohort, cast.coord, rounds=3))
    # Everyone met everyone in three rounds of four people.
    assert SpeedMeeting.objects.filter(event=event).count() == 6
    prefs = {ana: [cai, ben, dee], ben: [ana, dee, cai], cai: [ben, ana, dee], dee: [cai, ben, ana]}
    for person, ranked in prefs.items():
        services.speed_ranking_submit(event=event, user=person, ranked_ids=[p.pk for p in ranked])
    run = services.speed_event_match(event=event, by=cast.coord)
    assert run.status == MatchRun.Status.DRAFT
    assert run.mode == "mutual"
    groups = {frozenset(g.member_ids) for g in run.groups.all()}
    # The only stable matching: {Ana, Cai} and {Ben, Dee}.
    assert groups == {frozenset({ana.pk, cai.pk}), frozenset({ben.pk, dee.pk})}
    order = [ana, ben, cai, dee]
    index = {p.pk: i for i, p in enumerate(order)}
    lists = [[index[q.pk] for q in prefs[p]] for p in order]
    partner = {}
    for group in groups:
        a, b = (index[pk] for pk in group)
        partner[a], partner[b] = b, a
    assert blocking_pairs(lists, partner) == 0
    assert run.metrics["blocking_pairs"] == 0
    assert run.metrics["stable"] is True
    # Checked by hand too: no two people prefer each other to their partners.
    for x, y in combinations(range(4), 2):
        if partner[x] == y:
            continue
        x_wants = lists[x].index(y) < lists[x].index(partner[x])
        y_wants = lists[y].index(x) < lists[y].index(partner[y])
        assert not (x_wants and y_wants)
    event.refresh_from_db()
    assert event.status == SpeedEvent.Status.CLOSED
    assert event.run == run


def test_without_a_stable_matching_the_draft_says_so(cast):
    cohort = factories.CohortFactory(program=cast.program, slug="speed")
    ana, ben, cai, dee = four(cohort)
    event = to_ranking(event_for(cohort, cast.coord, rounds=3))
    # The classic instance: Dee is everyone's last choice, and the rest prefer in a cycle.
    prefs = {ana: [ben, cai, dee], ben: [cai, ana, dee], cai: [ana, ben, dee], dee: [ana, ben, cai]}
    for person, ranked in prefs.items():
        services.speed_ranking_submit(event=event, user=person, ranked_ids=[p.pk for p in ranked])
    run = services.speed_event_match(event=event, by=cast.coord)
    assert run.metrics["stable"] is False
    assert "No stable matching exists for these rankings" in run.notes


def test_only_people_met_can_be_ranked_and_only_after_the_rounds(cast):
    cohort = factories.CohortFactory(program=cast.program, slug="speed")
    ana, ben, _cai, _dee = four(cohort)
    event = event_for(cohort, cast.coord, rounds=1)
    with pytest.raises(ValidationError):
        services.speed_ranking_submit(event=event, user=ana, ranked_ids=[ben.pk])
    event = to_ranking(event)
    met = services.met_ids(event, ana)
    stranger = next(p for p in (ben, _cai, _dee) if p.pk not in met)
    with pytest.raises(ValidationError, match="only the people you met"):
        services.speed_ranking_submit(event=event, user=ana, ranked_ids=[stranger.pk])


def test_the_event_pages_open_for_its_participants_and_coordinators_only(cast, client_for):
    cohort = factories.CohortFactory(program=cast.program, slug="speed")
    ana, *_ = four(cohort)
    event = event_for(cohort, cast.coord, rounds=3)
    services.speed_event_advance(event=event)
    mine = reverse("circles:speed_mine", args=[event.pk])
    page = client_for(ana).get(mine)
    assert page.status_code == 200
    assert "Round 1 of 3" in page.content.decode()
    assert client_for(cast.carol).get(mine).status_code == 404
    live = reverse("circles:speed_event", args=[cast.program.slug, cohort.slug, event.pk])
    assert client_for(cast.coord).get(live).status_code == 200
    assert client_for(cast.other_coord).get(live).status_code == 404
    assert client_for(ana).get(live).status_code == 404


def test_a_ranking_form_keeps_what_was_chosen_when_refused(cast, client_for):
    cohort = factories.CohortFactory(program=cast.program, slug="speed")
    ana, *_ = four(cohort)
    event = to_ranking(event_for(cohort, cast.coord, rounds=3))
    met = services.met_ids(event, ana)
    url = reverse("circles:speed_mine", args=[event.pk])
    refused = client_for(ana).post(url, {f"person_{met[0]}": "1", f"person_{met[1]}": "1"})
    assert refused.status_code == 422
    assert "Give each choice number to one person only" in refused.content.decode()
    assert (
        client_for(ana).post(url, {f"person_{met[0]}": "2", f"person_{met[1]}": "1"}).status_code
        == 302
    )
    # Saved best first: the person given 1, then the person given 2.
    assert ranking_of(event, ana) == [met[1], met[0]]
