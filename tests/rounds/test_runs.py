"""Starting, executing, retrying and re-running match runs over a cohort."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.partnerships.models import Partnership
from tandem.programs.models import Exclusion
from tandem.rounds import execution, selectors, services
from tandem.rounds.models import MatchRun
from tests import factories
from tests.rounds.conftest import enrol


def groups_of(run: MatchRun) -> list[list[int]]:
    return [sorted(g.member_ids) for g in run.groups.all()]


def test_a_small_run_finishes_at_once_with_explained_groups(round_, cast):
    run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    assert run.status == MatchRun.Status.DRAFT
    placed = sorted(m for g in groups_of(run) for m in g)
    assert placed == sorted(u.pk for u in round_.people)
    group = run.groups.first()
    assert group.reasons
    assert group.components
    assert group.score > 0
    assert run.metrics["coverage"] == 1.0


def test_the_input_leaves_out_people_in_a_live_partnership_and_without_a_stage(cast):
    matching = selectors.participants_for_matching(cast.cohort)
    assert [p.id for p in matching.participants] == [str(cast.carol.pk)]
    dan = factories.participant(cast.cohort, email="dan@example.org")
    dan.profiles.update(stage="")
    matching = selectors.participants_for_matching(cast.cohort)
    assert [u for u, _ in matching.left_out] == [dan]


def test_exclusions_and_previous_partners_are_forbidden(round_, cast):
    a, b, c = round_.people[:3]
    Exclusion.objects.create(program=cast.program, person=a, other=b, reason="evaluator")
    earlier = factories.CohortFactory(program=cast.program, slug="earlier")
    factories.partnership(earlier, [a, c], status="closed").__class__.objects.filter(
        cohort=earlier
    ).update(activated_at=timezone.now())
    forbidden = {
        (f.a, f.b, f.kind) for f in selectors.participants_for_matching(round_.cohort).forbidden
    }
    assert (str(a.pk), str(b.pk), "evaluator") in forbidden
    assert (str(a.pk), str(c.pk), "previous_partner") in forbidden


def test_previous_partners_are_not_proposed_again_unless_the_cohort_allows_it(cast):
    spring = factories.CohortFactory(program=cast.program, slug="spring2")
    a, b = enrol(spring, 2)
    earlier = factories.CohortFactory(program=cast.program, slug="earlier")
    factories.partnership(earlier, [a, b], status="active")
    Partnership.objects.filter(cohort=earlier).update(status="closed")
    run = services.match_run_start(cohort=spring, created_by=cast.coord)
    assert groups_of(run) == []
    assert {u["id"] for u in run.unmatched} == {a.pk, b.pk}
    spring.allow_previous_partners = True
    spring.save()
    run = services.match_run_start(cohort=spring, created_by=cast.coord)
    assert groups_of(run) == [sorted([a.pk, b.pk])]


def test_a_run_needs_two_people(cast):
    with pytest.raises(ValidationError):
        services.match_run_start(cohort=cast.cohort, created_by=cast.coord)
    assert not MatchRun.objects.exists()


def test_a_large_run_is_queued_for_the_worker_and_shows_progress(
    round_, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord, inline=False)
    assert run.status == MatchRun.Status.QUEUED
    assert not run.groups.exists()
    assert len(callbacks) == 1
    callbacks[0]()  # the immediate task backend runs the task now, as a worker would
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DRAFT
    assert run.progress == 1.0


def test_a_failed_run_leaves_no_groups_and_a_retry_gives_the_same_result(round_, cast):
    good = services.match_run_start(cohort=round_.cohort, created_by=cast.coord, seed=7)
    broken = services.match_run_start(cohort=round_.cohort, created_by=cast.coord, seed=7)
    # A corrupt weight makes the engine refuse the input; nothing may be half-written.
    MatchRun.objects.filter(pk=broken.pk).update(
        status=MatchRun.Status.QUEUED, weights={"goals": -1}
    )
    broken.groups.all().delete()
    broken = services.match_run_execute(run_id=broken.pk)
    assert broken.status == MatchRun.Status.FAILED
    assert "weight" in broken.error
    assert not broken.groups.exists()
    MatchRun.objects.filter(pk=broken.pk).update(weights=good.weights)
    retried = services.match_run_retry(run=broken, by=cast.coord)
    assert retried.status == MatchRun.Status.DRAFT
    assert groups_of(retried) == groups_of(good)


def test_a_run_left_running_by_a_killed_worker_is_reset_and_can_be_retried(round_, cast):
    run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord, seed=3)
    expected = groups_of(run)
    run.groups.all().delete()
    long_ago = timezone.now() - dt.timedelta(hours=1)
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.RUNNING, heartbeat_at=long_ago)
    run.refresh_from_db()
    assert services.match_run_is_stale(run)
    assert execution.match_runs_reset_stale() == 1
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED
    retried = services.match_run_retry(run=run, by=cast.coord)
    assert groups_of(retried) == expected


def test_a_running_run_that_is_still_alive_cannot_be_retried(round_, cast):
    run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.RUNNING, heartbeat_at=timezone.now()
    )
    assert execution.match_runs_reset_stale() == 0
    with pytest.raises(ValidationError):
        services.match_run_retry(run=run, by=cast.coord)


def test_moves_and_locks_survive_a_rerun(round_, cast):
    run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    first, second, third = run.groups.all()
    services.match_group_lock(run=run, group_id=third.pk, locked=True)
    mover = first.member_ids[0]
    services.match_run_move(run=run, person_id=mover, to_group_id=second.pk)
    run.refresh_from_db()
    second.refresh_from_db()
    assert mover in second.member_ids
    assert second.locked
    assert len(second.member_ids) == 3
    moved_group = sorted(second.member_ids)
    # The partner left alone is listed as not placed.
    assert [u["id"] for u in run.unmatched] == [m for m in first.member_ids if m != mover]
    rerun = services.match_run_rerun(run=run, by=cast.coord)
    assert rerun.parent == run
    assert moved_group in groups_of(rerun)
    assert sorted(third.member_ids) in groups_of(rerun)
    assert all(g.locked for g in rerun.groups.all() if sorted(g.member_ids) == moved_group)


def test_a_move_shows_the_new_scores_at_once(round_, cast):
    run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    first, second, _ = run.groups.all()
    options = services.move_options(run, first.member_ids[0])
    target = next(o for o in options if o["group"].pk == second.pk)
    services.match_run_move(run=run, person_id=first.member_ids[0], to_group_id=second.pk)
    second.refresh_from_db()
    assert second.score == pytest.approx(target["score"])
    run.refresh_from_db()
    assert run.metrics["coverage"] < 1.0


def test_a_forbidden_pair_is_kept_apart_in_the_rerun_and_blocks_publishing(round_, cast):
    run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    a, b = run.groups.first().member_ids[:2]
    services.match_run_forbid(run=run, a=a, b=b)
    assert run.groups.first().violations
    with pytest.raises(ValidationError):
        services.match_run_publish(run=run, by=cast.coord)
    assert not Partnership.objects.filter(cohort=round_.cohort).exists()
    rerun = services.match_run_rerun(run=run, by=cast.coord)
    assert not any(a in g and b in g for g in groups_of(rerun))


def test_compare_counts_people_with_a_different_partner(round_, cast):
    run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    same = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    assert selectors.runs_compare(run, same)["changed"] == 0
    first, second, _ = run.groups.all()
    services.match_run_move(run=run, person_id=first.member_ids[0], to_group_id=second.pk)
    comparison = selectors.runs_compare(run, same)
    assert comparison["changed"] == 4  # the mover, their old partner, the two they joined


def test_runs_above_the_inline_limit_go_to_the_worker(
    round_, cast, settings, django_capture_on_commit_callbacks
):
    settings.MATCH_INLINE_LIMIT = 5
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    assert run.status == MatchRun.Status.QUEUED  # as the request saw it
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DRAFT  # the (immediate) worker finished it
    settings.MATCH_INLINE_LIMIT = 6
    assert services.match_run_start(cohort=round_.cohort, created_by=cast.coord).is_finished


def test_a_circles_cohort_proposes_circles(cast):
    cohort = factories.CohortFactory(program=cast.program, slug="circles", mode="circles")
    enrol(cohort, 8)
    run = services.match_run_start(cohort=cohort, created_by=cast.coord)
    sizes = sorted(len(g) for g in groups_of(run))
    assert sum(sizes) == 8
    assert all(3 <= size <= 5 for size in sizes)
    created = services.match_run_publish(run=run, by=cast.coord)
    assert {p.kind for p in created} <= {Partnership.Kind.TRIAD, Partnership.Kind.CIRCLE}


def test_a_group_of_another_run_cannot_be_locked_or_moved_into(round_, cast):
    run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    other = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    foreign = other.groups.first()
    with pytest.raises(ValidationError):
        services.match_group_lock(run=run, group_id=foreign.pk, locked=True)
    with pytest.raises(ValidationError):
        services.match_run_move(
            run=run, person_id=run.groups.first().member_ids[0], to_group_id=foreign.pk
        )
    assert not foreign.__class__.objects.filter(locked=True).exists()


def test_a_queued_run_no_worker_picked_up_can_be_retried(
    round_, cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord, inline=False)
    assert not services.match_run_is_stale(run)
    MatchRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    run.refresh_from_db()
    assert services.match_run_is_stale(run)
    with django_capture_on_commit_callbacks(execute=True):
        retried = services.match_run_retry(run=run, by=cast.coord)
    retried.refresh_from_db()
    assert retried.status == MatchRun.Status.DRAFT
