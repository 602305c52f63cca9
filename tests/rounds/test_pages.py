"""The match-round pages by role, and the coordinator and participant journeys through them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tandem.partnerships.models import Partnership
from tandem.rounds import services
from tandem.rounds.models import MatchRun

ROLES = ("alice", "bob", "carol", "coord", "other_coord", "anon")


def answer(client_for, cast, role, url, method="get", data=None):
    client = client_for(None if role == "anon" else getattr(cast, role))
    return getattr(client, method)(url, data or {})


@pytest.fixture
def run(round_, cast):
    return services.match_run_start(cohort=round_.cohort, created_by=cast.coord)


@pytest.mark.parametrize("role", ROLES)
def test_only_the_programs_coordinator_reaches_a_run(run, cast, client_for, role):
    expected = {"coord": 200, "anon": 302}.get(role, 404)
    for name in ("rounds:run", "rounds:run_progress"):
        response = answer(client_for, cast, role, reverse(name, args=[run.pk]))
        assert response.status_code == expected, name
    move = reverse("rounds:move", args=[run.pk, run.groups.first().member_ids[0]])
    assert answer(client_for, cast, role, move).status_code == expected
    cohort_page = reverse("rounds:cohort_runs", args=[cast.program.slug, run.cohort.slug])
    assert answer(client_for, cast, role, cohort_page).status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_only_members_see_a_proposal(
    run, cast, client_for, role, django_capture_on_commit_callbacks
):
    expected = {"alice": 200, "bob": 200, "anon": 302}.get(role, 404)
    url = reverse("rounds:proposal", args=[cast.partnership.pk])
    assert answer(client_for, cast, role, url).status_code == expected
    accept = reverse("rounds:proposal_accept", args=[cast.partnership.pk])
    assert answer(client_for, cast, role, accept, "post").status_code == (
        302 if role in ("alice", "bob", "anon") else 404
    )


@pytest.mark.parametrize("role", ["alice", "carol", "other_coord"])
def test_others_cannot_publish_or_edit_a_run(run, cast, client_for, role):
    for name in ("rounds:run_publish", "rounds:run_rerun", "rounds:run_forbid"):
        response = answer(
            client_for, cast, role, reverse(name, args=[run.pk]), "post", {"confirm": "yes"}
        )
        assert response.status_code == 404
    assert (
        answer(client_for, cast, role, reverse("rounds:run_publish", args=[run.pk])).status_code
        == 404
    )
    assert not Partnership.objects.filter(cohort=run.cohort).exists()


def test_the_review_page_shows_scores_reasons_and_warnings(run, cast, client_for):
    page = client_for(cast.coord).get(reverse("rounds:run", args=[run.pk])).content.decode()
    group = run.groups.first()
    assert f"score {group.score:.1f}" in page
    assert group.reasons[0].split(" ")[0] in page
    assert "Score breakdown" in page
    assert "reciprocity" in page


def test_a_coordinator_runs_moves_and_publishes_and_a_participant_accepts(
    round_, cast, client_for, django_capture_on_commit_callbacks
):
    coord = client_for(cast.coord)
    start = reverse("rounds:run_start", args=[cast.program.slug, round_.cohort.slug])
    response = coord.post(start, {"seed": "4"})
    run = MatchRun.objects.get(cohort=round_.cohort)
    assert response["Location"] == reverse("rounds:run", args=[run.pk])
    first, second, _ = run.groups.all()
    mover = first.member_ids[0]
    options = coord.get(reverse("rounds:move", args=[run.pk, mover])).content.decode()
    assert "new score" in options
    assert "checked" not in options  # no group is chosen for the coordinator
    assert 'name="group"' in options
    assert "required" in options
    coord.post(reverse("rounds:move", args=[run.pk, mover]), {"group": second.pk})
    second.refresh_from_db()
    assert mover in second.member_ids
    with django_capture_on_commit_callbacks(execute=True):
        coord.post(reverse("rounds:run_publish", args=[run.pk]), {"confirm": "yes"})
    run.refresh_from_db()
    assert run.status == MatchRun.Status.PUBLISHED
    assert len(mail.outbox) == 5  # the partner left alone by the move is not proposed
    triad = Partnership.objects.get(match_group=second)
    members = [m.user for m in triad.members.all()]
    proposal = client_for(members[0]).get(reverse("rounds:proposal", args=[triad.pk]))
    text = proposal.content.decode()
    assert "Main thing" in text
    assert "Why we suggest it" in text
    for member in members:
        response = client_for(member).post(reverse("rounds:proposal_accept", args=[triad.pk]))
    assert response["Location"] == reverse("workspace:home", args=[triad.pk])
    triad.refresh_from_db()
    assert triad.status == Partnership.Status.ACTIVE


def test_the_coordinator_sees_only_that_a_proposal_was_not_taken_up(
    run, cast, client_for, django_capture_on_commit_callbacks
):
    [partnership, *_] = services.match_run_publish(run=run, by=cast.coord)
    decliner = partnership.members.first().user
    response = client_for(decliner).post(reverse("rounds:proposal_decline", args=[partnership.pk]))
    assert response.status_code == 302
    page = client_for(cast.coord).get(
        reverse("rounds:cohort_runs", args=[cast.program.slug, run.cohort.slug])
    )
    text = page.content.decode()
    # Whoever declined and whoever was declined read exactly alike.
    for member in partnership.members.select_related("user"):
        line = f'{member.user.get_full_name()} — proposal not taken up <span class="badge">priority'
        assert line in text


def test_a_large_run_page_polls_for_progress_without_inline_script(
    round_, cast, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord, inline=False)
    page = client_for(cast.coord).get(reverse("rounds:run", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert '<meta http-equiv="refresh"' in page
    assert "<script>" not in page
    services.match_run_execute(run_id=run.pk)
    poll = client_for(cast.coord).get(
        reverse("rounds:run_progress", args=[run.pk]), HTTP_HX_REQUEST="true"
    )
    assert poll["HX-Refresh"] == "true"


def test_a_late_joiner_is_placed_from_the_pool_page(
    run, cast, round_, client_for, django_capture_on_commit_callbacks
):
    from tests import factories

    services.match_run_publish(run=run, by=cast.coord)
    late = factories.participant(round_.cohort, email="late@example.org", full_name="Lou Late")
    url = reverse("rounds:place", args=[cast.program.slug, round_.cohort.slug, late.pk])
    page = client_for(cast.coord).get(url).content.decode()
    assert "score with them" in page
    best = services.placement_options(cohort=round_.cohort, user=late)[0]["partnership"]
    client_for(cast.coord).post(url, {"partnership": best.pk})
    assert not best.members.filter(user=late).exists()  # not before every member agrees
    placement = best.placements.get()
    for member in [m.user for m in best.members.filter(is_current=True).select_related("user")]:
        answer = reverse("rounds:placement_answer", args=[placement.pk])
        assert client_for(member).post(answer, {"answer": "yes"}).status_code == 302
    assert best.members.filter(user=late, is_current=True).exists()


def test_declining_asks_no_reason_and_the_proposal_shows_only_shared_fields(
    run, cast, client_for, round_
):
    [partnership, *_] = services.match_run_publish(run=run, by=cast.coord)
    member, partner = [m.user for m in partnership.members.select_related("user")]
    profile = partner.profiles.get()
    profile.institution = "Hidden Valley Hospital"
    profile.save()
    page = client_for(member).get(reverse("rounds:proposal", args=[partnership.pk]))
    text = page.content.decode()
    assert "<textarea" not in text
    assert profile.main_thing in text
    assert "Hidden Valley Hospital" not in text
    assert partner.email not in text


def test_namesakes_are_told_apart_on_the_review_and_move_pages(round_, cast, client_for):
    first, second = round_.people[:2]
    for user in (first, second):
        user.full_name = "Alex Garcia"
        user.save()
    run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    coord = client_for(cast.coord)
    review = coord.get(reverse("rounds:run", args=[run.pk])).content.decode()
    assert f"Alex Garcia ({first.email})" in review
    assert f"Alex Garcia ({second.email})" in review
    move = coord.get(reverse("rounds:move", args=[run.pk, first.pk])).content.decode()
    assert f"Alex Garcia ({first.email})" in move
    # Someone whose name nobody else has is shown by name alone.
    third = round_.people[2]
    assert f"{third.full_name} ({third.email})" not in review
