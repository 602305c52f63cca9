"""Publishing proposes every group at once or none; members accept, decline or let it lapse."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, connections
from django.utils import timezone

from tandem.accounts.models import User
from tandem.partnerships import services as partnership_services
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.rounds import selectors, services
from tandem.rounds.models import MatchGroup, MatchRun
from tests import factories


@pytest.fixture
def run(round_, cast):
    return services.match_run_start(cohort=round_.cohort, created_by=cast.coord)


def publish(run, cast, capture):
    with capture(execute=True):
        return services.match_run_publish(run=run, by=cast.coord)


def test_publishing_proposes_every_group_and_emails_each_member_why(
    run, cast, round_, django_capture_on_commit_callbacks
):
    created = publish(run, cast, django_capture_on_commit_callbacks)
    assert len(created) == 3
    for partnership in created:
        assert partnership.status == Partnership.Status.PROPOSED
        assert partnership.respond_by > timezone.now() + dt.timedelta(days=6)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.PUBLISHED
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in round_.people)
    body = mail.outbox[0].body
    assert "Main thing:" in body
    # Only what partners share: no institution, no email address of the partner.
    assert "Riverside University Health" not in body
    assert all(u.email not in body for u in round_.people if u.email not in mail.outbox[0].to)
    assert "Why we suggest it" in body
    assert "/matches/" in body


def test_a_run_is_published_once(run, cast, django_capture_on_commit_callbacks):
    publish(run, cast, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        publish(run, cast, django_capture_on_commit_callbacks)
    assert Partnership.objects.filter(cohort=run.cohort).count() == 3


def test_a_failure_halfway_through_publishing_leaves_no_partnership_and_no_email(
    run, cast, round_, django_capture_on_commit_callbacks
):
    # Someone in the last group was placed elsewhere meanwhile: its proposal cannot be made.
    last = run.groups.order_by("-position").first()
    elsewhere = factories.participant(round_.cohort, email="elsewhere@example.org")
    factories.partnership(
        round_.cohort, [User.objects.get(pk=last.member_ids[0]), elsewhere], status="active"
    )
    before = Partnership.objects.count()
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        services.match_run_publish(run=run, by=cast.coord)
    assert Partnership.objects.count() == before
    assert mail.outbox == []
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DRAFT
    assert not run.groups.filter(partnership__isnull=False).exists()


def test_an_exception_inside_publishing_rolls_everything_back(
    run, cast, monkeypatch, django_capture_on_commit_callbacks
):
    # Publishing writes every partnership and member first, then links the groups: fail there.
    written = []
    real = PartnershipMember.objects.bulk_create

    def recording(*args, **kwargs):
        written.extend(real(*args, **kwargs))
        return written

    def failing(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(PartnershipMember.objects, "bulk_create", recording)
    monkeypatch.setattr(MatchGroup.objects, "bulk_update", failing)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        services.match_run_publish(run=run, by=cast.coord)
    assert written, "the members were written before the failure"
    assert not Partnership.objects.filter(cohort=run.cohort).exists()
    assert not PartnershipMember.objects.filter(cohort=run.cohort).exists()
    assert mail.outbox == []
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DRAFT


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_publishing_at_once_create_exactly_one_set(round_, cast):
    run = services.match_run_start(cohort=round_.cohort, created_by=cast.coord)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def publish_in_thread() -> None:
        try:
            barrier.wait()
            services.match_run_publish(run=run, by=cast.coord)
            outcomes.append("published")
        except ValidationError:
            outcomes.append("refused")
        except OperationalError:
            # SQLite may refuse the second writer outright instead of making it wait.
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["published", "refused"]
    assert Partnership.objects.filter(cohort=round_.cohort).count() == 3
    assert PartnershipMember.objects.filter(cohort=round_.cohort).count() == 6
    assert len(mail.outbox) == 6
    assert connection.vendor in ("sqlite", "postgresql")


def proposed(run, cast, capture) -> list[Partnership]:
    created = publish(run, cast, capture)
    mail.outbox.clear()
    return created


def members_of(partnership):
    return [m.user for m in partnership.members.select_related("user")]


def test_all_accepting_makes_the_partnership_active(run, cast, django_capture_on_commit_callbacks):
    partnership = proposed(run, cast, django_capture_on_commit_callbacks)[0]
    first, second = members_of(partnership)
    partnership_services.partnership_accept(partnership=partnership, member=first)
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        partnership_services.partnership_accept(partnership=partnership, member=second)
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.ACTIVE
    assert partnership.activated_at is not None
    assert len(mail.outbox) == 2
    with pytest.raises(ValidationError):
        partnership_services.partnership_accept(partnership=partnership, member=second)


def test_a_decline_sends_everyone_back_to_the_pool_with_priority(
    run, cast, django_capture_on_commit_callbacks
):
    partnership = proposed(run, cast, django_capture_on_commit_callbacks)[0]
    first, second = members_of(partnership)
    with django_capture_on_commit_callbacks(execute=True):
        partnership_services.partnership_decline(partnership=partnership, member=first)
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.DECLINED
    assert not partnership.members.filter(is_current=True).exists()
    for answer in (
        partnership_services.partnership_decline,
        partnership_services.partnership_accept,
    ):
        with pytest.raises(ValidationError, match="already answered"):
            answer(partnership=partnership, member=first)
    with pytest.raises(ValidationError, match="Only a member"):
        partnership_services.partnership_decline(partnership=partnership, member=cast.dave)
    [message] = mail.outbox
    assert message.to == [second.email]
    assert first.display_name not in message.body
    pool = selectors.rematch_pool(run.cohort)
    assert {e.user for e in pool} == {first, second}
    assert all(e.priority and e.reason == "proposal not taken up" for e in pool)
    # The next run over the cohort matches the pool only.
    again = services.match_run_start(cohort=run.cohort, created_by=cast.coord)
    assert [sorted(g.member_ids) for g in again.groups.all()] == [sorted([first.pk, second.pk])]


def test_a_proposal_past_its_deadline_lapses(run, cast, django_capture_on_commit_callbacks):
    created = proposed(run, cast, django_capture_on_commit_callbacks)
    late = created[0]
    Partnership.objects.filter(pk=late.pk).update(
        respond_by=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError):
        partnership_services.partnership_accept(partnership=late, member=members_of(late)[0])
    with django_capture_on_commit_callbacks(execute=True):
        assert partnership_services.partnerships_expire() == 1
    late.refresh_from_db()
    assert late.status == Partnership.Status.DECLINED
    assert len(mail.outbox) == 2
    assert Partnership.objects.filter(status=Partnership.Status.PROPOSED).count() == 2


def test_an_ended_partnership_and_a_late_joiner_are_in_the_pool(
    run, cast, round_, django_capture_on_commit_callbacks
):
    partnership = proposed(run, cast, django_capture_on_commit_callbacks)[0]
    first, second = members_of(partnership)
    partnership_services.partnership_accept(partnership=partnership, member=first)
    partnership_services.partnership_accept(partnership=partnership, member=second)
    partnership_services.partnership_exit(partnership=partnership, member=first)
    late = factories.participant(round_.cohort, email="late@example.org", full_name="Late Joiner")
    reasons = {e.user: e.reason for e in selectors.rematch_pool(round_.cohort)}
    assert reasons == {
        first: "partnership ended",
        second: "partnership ended",
        late: "joined after the match",
    }


def test_a_late_joiner_is_placed_where_the_fit_is_best_making_a_triad(
    run, cast, round_, django_capture_on_commit_callbacks
):
    created = proposed(run, cast, django_capture_on_commit_callbacks)
    late = factories.participant(round_.cohort, email="late@example.org", full_name="Late Joiner")
    options = services.placement_options(cohort=round_.cohort, user=late)
    assert len(options) == 3
    assert options[0]["score"] >= options[-1]["score"]
    best = options[0]["partnership"]
    with django_capture_on_commit_callbacks(execute=True):
        placement = services.late_joiner_place(
            cohort=round_.cohort, user=late, partnership_id=best.pk, by=cast.coord
        )
    asked = sorted(m.to[0] for m in mail.outbox)
    assert asked == sorted(u.email for u in members_of(best))  # the newcomer hears nothing yet
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for member in members_of(best):
            services.placement_consent_answer(placement=placement, member=member, agree=True)
    best.refresh_from_db()
    assert best.kind == Partnership.Kind.TRIAD
    assert late in members_of(best)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([late.email] + [u.email for u in members_of(best) if u != late])
    invited = next(m for m in mail.outbox if m.to == [late.email])
    assert "Why we suggest it" in invited.body
    heads_up = next(m for m in mail.outbox if m.to != [late.email])
    assert "Late Joiner" in heads_up.body
    assert {p.pk for p in created} >= {best.pk}
    with pytest.raises(ValidationError):
        services.placement_options(cohort=round_.cohort, user=late)


def test_a_late_joiner_declining_a_place_in_an_active_pair_leaves_the_pair_as_it_was(
    cast, round_, django_capture_on_commit_callbacks
):
    late = factories.participant(round_.cohort, email="late@example.org", full_name="Lou Late")
    pair = factories.partnership(round_.cohort, round_.people[:2], status="active")
    placement = services.late_joiner_place(
        cohort=round_.cohort, user=late, partnership_id=pair.pk, by=None
    )
    for member in round_.people[:2]:
        services.placement_consent_answer(placement=placement, member=member, agree=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        partnership_services.partnership_decline(partnership=pair, member=late)
    pair.refresh_from_db()
    assert pair.status == Partnership.Status.ACTIVE
    assert pair.kind == Partnership.Kind.PAIR
    assert set(pair.members.filter(is_current=True).values_list("user_id", flat=True)) == {
        u.pk for u in round_.people[:2]
    }
    assert mail.outbox == []


def test_an_ended_cohort_has_no_pool(round_):
    assert len(selectors.rematch_pool(round_.cohort)) == 6
    round_.cohort.starts_on = timezone.localdate() - dt.timedelta(days=400)
    round_.cohort.ends_on = timezone.localdate() - dt.timedelta(days=1)
    round_.cohort.save()
    assert selectors.rematch_pool(round_.cohort) == []


def test_the_rematch_tells_the_engine_who_has_priority(
    run, cast, django_capture_on_commit_callbacks
):
    partnership = proposed(run, cast, django_capture_on_commit_callbacks)[0]
    first, second = members_of(partnership)
    with django_capture_on_commit_callbacks(execute=True):
        partnership_services.partnership_decline(partnership=partnership, member=first)
    again = services.match_run_start(cohort=run.cohort, created_by=cast.coord)
    flags = {int(row["id"]): row.get("priority", False) for row in again.participants}
    assert flags == {first.pk: True, second.pk: True}
    assert all(p.priority for p in map(services.participant_from_json, again.participants))
