"""The evaluation report: groups, suppression, survey section, who may read it."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.outcomes import report as report_module
from tandem.outcomes import services, stats
from tandem.outcomes.followup import add_months, year_share
from tandem.outcomes.groups import NON_PARTICIPANTS, evaluation_design
from tandem.outcomes.report import evaluation_report, pre_post_scores, register_survey_provider
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Enrollment
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluated(cast):
    """The cast's cohort, two years old, with 24 participants (12 pairs) and 20 others."""
    cohort = cast.cohort
    today = timezone.localdate()
    cohort.starts_on = today - dt.timedelta(days=730)
    cohort.save(update_fields=["starts_on"])
    participants = [factories.participant(cohort) for _ in range(24)]
    for first, second in zip(participants[::2], participants[1::2], strict=True):
        factories.partnership(cohort, [first, second])
    others = [factories.participant(cohort) for _ in range(20)]
    # Every partnership began on the cohort's first day, before the landmark.
    began = dt.datetime.combine(cohort.starts_on, dt.time(9), tzinfo=dt.UTC)
    Partnership.objects.filter(cohort=cohort).update(activated_at=began)
    PartnershipMember.objects.filter(cohort=cohort).update(joined_at=began)
    program = cast.program
    for index, user in enumerate(participants):
        profile = user.profiles.get(program=program)
        if index < 3:
            services.departure_record(
                profile=profile, left_on=today - dt.timedelta(days=200 + index), reason="personal"
            )
        if index < 12:
            services.rank_change_record(
                profile=profile,
                from_rung="PGY2",
                to_rung="PGY3",
                changed_on=today - dt.timedelta(days=300),
            )
        services.publication_record(profile=profile, title=f"Paper {index}", year=today.year)
    for index, user in enumerate(others):
        profile = user.profiles.get(program=program)
        if index < 8:
            services.departure_record(
                profile=profile, left_on=today - dt.timedelta(days=100 + 30 * index), reason="other"
            )
        if index < 5:
            services.rank_change_record(
                profile=profile,
                from_rung="PGY2",
                to_rung="PGY3",
                changed_on=today - dt.timedelta(days=300),
            )
        if index < 4:
            services.grant_record(profile=profile, funder="NIH", role="pi", year=today.year)
    return cohort, participants, others


def test_promotion_shares_and_their_difference_show_when_no_count_is_hidden(evaluated, cast):
    cohort, _, others = evaluated
    # Everyone in the comparison promoted: 21 and 0, neither a count of 1 to 10.
    for user in [*others[5:], cast.carol]:
        services.rank_change_record(
            profile=user.profiles.get(program=cast.program),
            from_rung="PGY2",
            to_rung="PGY3",
            changed_on=timezone.localdate() - dt.timedelta(days=400),  # before any departure
        )
    report = evaluation_report(cohort)
    assert None not in report.promotion_counts.cells[1], report.promotion_counts
    assert report.promotion["Participants"].value == pytest.approx(12 / 26)
    assert report.promotion["Comparison"].value == pytest.approx(1.0)
    assert report.promotion_difference.value == pytest.approx(12 / 26 - 1.0)


def test_participants_are_the_matched_and_the_comparison_everyone_else(evaluated, cast):
    cohort, participants, others = evaluated
    factories.partnership(cohort, [others[0], others[1]], status="declined")
    design = evaluation_design(cohort)
    exposed_users = {record.user_id for record in design.participants}
    comparison_users = {record.user_id for record in design.comparison}
    assert exposed_users == {user.pk for user in (*participants, cast.alice, cast.bob)}
    assert cast.carol.pk in comparison_users
    assert others[0].pk not in comparison_users  # a declined match is in neither group
    assert others[0].pk not in exposed_users
    assert design.label == NON_PARTICIPANTS


def test_the_report_estimates_retention_promotion_and_productivity(evaluated):
    cohort, _, _ = evaluated
    report = evaluation_report(cohort)
    assert report.analysable
    assert report.participants.n == 26  # 24 plus alice and bob
    assert report.comparison.n == 21  # 20 others plus carol
    assert report.participants.events == 3
    assert report.comparison.events == 8
    curve = report.curves["Participants"]
    assert curve.steps[-1].survival == pytest.approx(23 / 26, abs=1e-9)
    assert report.log_rank is not None
    assert 0 < report.log_rank.p_value < 1
    assert report.log_rank.resamples is None  # not randomised: the χ² p-value
    # 5 of 21 promoted in the comparison is a count of 1 to 10: the share (which with a known
    # group size would reveal it), its complement and the difference are all withheld.
    assert report.promotion_counts.cells[1] == (None, None)
    assert report.promotion == {}
    assert report.promotion_difference is None
    # Dated by year only: each counts for the share of this year within follow-up.
    today = timezone.localdate()
    share = year_share(today.year, report.origin, today)
    leavers = sum(
        year_share(today.year, report.origin, today - dt.timedelta(days=200 + index))
        for index in range(3)
    )
    assert [row.count for row in report.publication_rates] == pytest.approx(
        [21 * share + leavers, 0]
    )
    granted = sum(
        year_share(today.year, report.origin, today - dt.timedelta(days=100 + 30 * index))
        for index in range(4)
    )
    assert [row.count for row in report.grant_rates] == pytest.approx([0, granted])
    assert report.grant_ratio is not None
    assert (report.grant_ratio.value, report.grant_ratio.lower) == (0.0, 0.0)
    assert report.power is not None
    assert report.power.cohens_h is not None


def test_counts_of_one_to_ten_people_are_suppressed(evaluated):
    cohort, _, _ = evaluated
    report = evaluation_report(cohort)
    table = report.retention_counts
    assert table is not None
    shown = [value for row in table.cells for value in row]
    assert all(value is None or value == 0 or value > 10 for value in shown)
    assert table.cells[0][1] is None  # three participants left


def test_a_group_of_ten_or_fewer_is_not_analysed(cast):
    cohort = cast.cohort
    cohort.starts_on = timezone.localdate() - dt.timedelta(days=400)
    cohort.save(update_fields=["starts_on"])
    began = dt.datetime.combine(cohort.starts_on, dt.time(9), tzinfo=dt.UTC)
    Partnership.objects.filter(cohort=cohort).update(activated_at=began)
    PartnershipMember.objects.filter(cohort=cohort).update(joined_at=began)
    report = evaluation_report(cohort)
    assert not report.analysable
    assert report.curves == {}
    assert report.group_sizes is not None
    assert report.group_sizes.cells == ((None,), (None,))


def test_the_survey_section_shows_no_survey_data_without_a_provider(evaluated, cast, client_for):
    cohort, _, _ = evaluated
    url = reverse("outcomes:report", args=[cast.program.slug, cohort.slug])
    body = client_for(cast.coord).get(url).content.decode()
    assert "No before-and-after survey data yet." in body
    assert "at least two waves" in body
    assert "<svg" in body
    assert "Log-rank test" in body


def test_the_survey_section_uses_scores_from_a_provider(evaluated, cast, monkeypatch):
    cohort, participants, others = evaluated
    monkeypatch.setattr(report_module, "_survey_providers", [])
    scores = {user.pk: (3.0, 3.0 + (index % 3)) for index, user in enumerate(participants)}
    scores.update({user.pk: (3.0, 3.0 + (index % 2) * 0.5) for index, user in enumerate(others)})
    register_survey_provider(lambda asked: scores if asked == cohort else None)
    report = evaluation_report(cohort)
    assert report.has_survey_data
    participants_row = report.survey_rows[0]
    assert participants_row.change is not None
    assert participants_row.change.n == 24
    assert participants_row.change.mean == pytest.approx(sum(i % 3 for i in range(24)) / 24)
    assert report.survey_difference is not None


def test_coordinators_and_researchers_read_the_report_and_others_get_404(cast, client_for):
    url = reverse("outcomes:report", args=[cast.program.slug, cast.cohort.slug])
    assert client_for(cast.coord).get(url).status_code == 200
    assert client_for(cast.rhea).get(url).status_code == 200
    assert client_for(cast.olga).get(url).status_code == 200
    assert client_for(cast.other_coord).get(url).status_code == 404
    assert client_for(cast.alice).get(url).status_code == 404
    assert client_for(cast.dave).get(url).status_code == 404


def test_the_report_names_no_one(evaluated, cast, client_for):
    cohort, participants, _ = evaluated
    url = reverse("outcomes:report", args=[cast.program.slug, cohort.slug])
    body = client_for(cast.rhea).get(url).content.decode()
    for user in [*participants, cast.alice, cast.carol]:
        assert user.email not in body
        assert user.full_name not in body


def test_numbers_at_risk_are_hidden_when_a_drop_between_them_is_a_small_count(evaluated):
    cohort, _, _ = evaluated
    report = evaluation_report(cohort)
    participants_at_risk = [point.cells[0][1] for point in report.time_points]
    # 26 at the start; 3 left around month 17, a drop of 1 to 10 people.
    assert participants_at_risk[0] == 26
    assert all(value is None for value in participants_at_risk[1:])


@dataclass(frozen=True)
class Wave:
    """A score as the surveys app reports it (user, survey, wave offset, score)."""

    user_id: int
    survey_id: int
    offset_months: int
    score: float | None


def test_pre_post_scores_take_the_earliest_and_latest_wave_of_the_best_covered_survey():
    scores = [
        Wave(1, 10, 0, 2.0),
        Wave(1, 10, 6, 3.0),
        Wave(1, 10, 12, 4.5),
        Wave(2, 10, 0, 3.0),
        Wave(2, 10, 12, None),  # incomplete at follow-up: left out
        Wave(3, 10, 0, 1.0),
        Wave(3, 10, 12, 1.5),
        Wave(1, 20, 0, 9.0),  # another survey with fewer people at both ends
        Wave(1, 20, 6, 8.0),
        Wave(4, 30, 0, 5.0),  # a survey with a single wave has no change to show
    ]
    assert pre_post_scores(scores) == {1: (2.0, 4.5), 3: (1.0, 1.5)}


def test_the_report_reads_baseline_and_follow_up_from_the_cohorts_survey(evaluated, cast):
    from tandem.surveys import services as surveys
    from tests.surveys.builders import build_instrument

    cohort, participants, others = evaluated
    survey = surveys.survey_create(
        program=cast.program,
        cohort=cohort,
        instrument=build_instrument(cast.program),
        offsets_months=[0, 12],
        created_by=cast.coord,
    )
    today = timezone.localdate()
    baseline, follow_up = survey.waves.order_by("offset_months")
    for wave, lift in ((baseline, 0), (follow_up, 1)):
        surveys.wave_update(wave=wave, label=wave.label, opens_on=today, closes_on=today)
        for people, gain in ((participants, lift), (others, 0)):
            for user in people:
                answers = {"a": 3 + gain, "b": 3, "c": 3, "d": 5}
                surveys.response_submit(wave=wave, user=user, answers=answers)
    report = evaluation_report(cohort)
    assert report.has_survey_data
    participants_row, comparison_row = report.survey_rows
    assert participants_row.change is not None
    assert participants_row.change.n == 24
    assert participants_row.change.mean > 0
    assert comparison_row.change is not None
    assert comparison_row.change.mean == pytest.approx(0)


def test_a_withheld_risk_difference_is_explained_not_shown_as_a_dash(evaluated, cast, client_for):
    cohort, _, _ = evaluated
    url = reverse("outcomes:report", args=[cast.program.slug, cohort.slug])
    body = client_for(cast.coord).get(url).content.decode()
    # 5 of 21 promoted in the comparison is hidden, so the difference is withheld.
    assert "Risk difference, participants minus comparison" not in body
    assert "Shares and their difference are not shown" in body


def test_a_report_dated_exactly_24_months_after_time_zero_keeps_its_24_month_row(evaluated):
    cohort, _, _ = evaluated
    origin = evaluation_report(cohort).origin
    report = evaluation_report(cohort, as_of=add_months(origin, 24))
    assert [point.months for point in report.time_points][-1] == 24
    assert [months for months, _ in report.retention_differences] == [12, 24]


def test_leaving_the_program_is_not_counted_as_leaving_the_institution(evaluated, cast):
    cohort, participants, _ = evaluated
    before = evaluation_report(cohort).participants.events
    profile = participants[-1].profiles.get(program=cast.program)
    services.departure_record(
        profile=profile,
        left_on=timezone.localdate() - dt.timedelta(days=100),
        reason="personal",
        scope="program",
    )
    assert evaluation_report(cohort).participants.events == before


def test_the_power_note_takes_its_baseline_from_the_kaplan_meier_estimate(evaluated):
    cohort, _, _ = evaluated
    report = evaluation_report(cohort)
    months, retained = report.power_baseline
    assert months == report.time_points[-1].months
    assert retained == report.time_points[-1].cells[1][0].survival
    expected = report.power.proportion_difference_at(retained)
    assert report.detectable_retention_difference == expected


def test_the_report_gives_a_hazard_ratio_retention_differences_and_a_restricted_mean(evaluated):
    cohort, _, _ = evaluated
    report = evaluation_report(cohort)
    ratio = report.hazard_ratio
    assert ratio is not None
    assert ratio.estimate.lower < ratio.estimate.value < ratio.estimate.upper
    assert ratio.proportional is not None
    assert report.hazard_ratio_adjusted is not None
    assert report.adjusted_for == "career stage and specialty"
    assert report.restricted_mean is not None
    horizon, difference = report.restricted_mean
    assert horizon == 18  # the last time point both groups reach
    assert difference.lower < difference.value < difference.upper
    assert [months for months, _ in report.retention_differences] == [12]


def _figures(report):
    return (
        report.participants.n,
        report.comparison.n,
        report.publication_ratio,
        report.grant_ratio,
        report.hazard_ratio,
        report.retention_differences,
    )


def test_importing_people_into_a_later_cohort_leaves_a_saved_report_unchanged(evaluated, cast):
    from tandem.outcomes.models import ReportVersion
    from tandem.outcomes.report import saved_report
    from tandem.outcomes.services import report_version_save
    from tandem.programs import services as program_services

    cohort, _, _ = evaluated
    saved = report_version_save(cohort=cohort, by=cast.coord)
    before = _figures(saved_report(saved))
    later = program_services.cohort_create(
        program=cast.program,
        name="Next year",
        slug="next-year",
        starts_on=timezone.localdate() + dt.timedelta(days=30),
        ends_on=timezone.localdate() + dt.timedelta(days=400),
        mode="pairs",
    )
    newcomers = [factories.participant(later) for _ in range(3)]
    for user in newcomers:
        services.publication_record(
            profile=user.profiles.get(program=cast.program), title="New", year=2020
        )

    assert _figures(saved_report(ReportVersion.objects.get(pk=saved.pk))) == before
    # The live report does not take them either: they joined after the landmark.
    live = evaluation_report(cohort)
    assert {user.pk for user in newcomers}.isdisjoint(p.user_id for p in live.comparison.people)
    assert _figures(live) == before
    assert saved.number == 1
    assert report_version_save(cohort=cohort).number == 2
    assert "Saved version 1" in saved.html


def test_the_report_command_saves_and_regenerates_a_version(evaluated, tmp_path):
    import io

    from django.core.management import call_command

    cohort, _, _ = evaluated
    out = tmp_path / "saved.html"
    call_command("report", cohort=cohort.slug, save=True, out=out, stdout=io.StringIO())
    again = tmp_path / "again.html"
    call_command("report", cohort=cohort.slug, saved_version=1, out=again, stdout=io.StringIO())
    assert "Saved version 1" in again.read_text()


@pytest.fixture
def randomised(cast):
    """A randomised study of 48 consenting people, started 14 months ago; the matched-now arm
    was paired on the first day, and one person of each arm later withdrew research consent."""
    from tandem.research.models import Arm, ResearchConsent, StudyAllocation
    from tandem.research.services import research_consent_record, study_randomise
    from tests.research.helpers import crowd, protocol_for

    cohort = cast.cohort
    crowd(cohort, [("PGY1", "Surgery", "Riverside"), ("PGY2", "Pediatrics", "Riverside")] * 24)
    protocol = protocol_for(cohort)
    study_randomise(protocol=protocol)
    cohort.starts_on = timezone.localdate() - dt.timedelta(days=430)
    cohort.save(update_fields=["starts_on"])
    Enrollment.objects.filter(cohort=cohort).update(
        enrolled_at=dt.datetime.combine(cohort.starts_on, dt.time(9), tzinfo=dt.UTC)
    )
    matched = list(
        StudyAllocation.objects.filter(protocol=protocol, arm=Arm.MATCHED_NOW).select_related(
            "user"
        )
    )
    users = [allocation.user for allocation in matched]
    for first, second in zip(users[::2], users[1::2], strict=False):
        factories.partnership(cohort, [first, second])
    began = dt.datetime.combine(cohort.starts_on, dt.time(9), tzinfo=dt.UTC)
    Partnership.objects.filter(cohort=cohort).update(activated_at=began)
    PartnershipMember.objects.filter(cohort=cohort).update(joined_at=began)
    for arm in (Arm.MATCHED_NOW, Arm.WAITLIST):
        leaver = StudyAllocation.objects.filter(protocol=protocol, arm=arm).first().user
        research_consent_record(
            protocol=protocol, user=leaver, decision=ResearchConsent.Decision.WITHDRAWN
        )
    return cohort, protocol


def test_a_randomised_report_analyses_everyone_randomised_with_a_flow_diagram(
    randomised, cast, client_for
):
    from tandem.research.evaluation import protocol_sha256

    cohort, protocol = randomised
    report = evaluation_report(cohort)
    assert report.randomised
    assert (report.participants.n, report.comparison.n) == (24, 24)
    flow = {row.label: row.counts for row in report.flow}
    assert flow["Randomised"] == (24, 24)
    assert flow["Withdrew research consent later"] == (None, None)  # 1 each: suppressed
    assert flow["Analysed (intention to treat)"] == (24, 24)
    assert report.per_protocol is not None
    # As randomised, the log-rank p-value is counted over re-randomisations; per protocol (who
    # took up a match was not randomised) it is the χ² one.
    assert report.log_rank.resamples == stats.RESAMPLES
    assert report.per_protocol.log_rank.resamples is None
    assert report.study.protocol_sha256 == protocol_sha256(protocol)
    url = reverse("outcomes:report", args=[cast.program.slug, cohort.slug])
    body = client_for(cast.rhea).get(url).content.decode()
    assert "Flow of people through the randomised study" in body
    assert protocol_sha256(protocol) in body
    assert "Per protocol (secondary)" in body
    assert f"counted over {stats.RESAMPLES} re-randomisations of the arms" in body


def test_the_report_page_lists_saved_versions(evaluated, cast, client_for):
    from tandem.outcomes.services import report_version_save

    cohort, _, _ = evaluated
    report_version_save(cohort=cohort)
    url = reverse("outcomes:report", args=[cast.program.slug, cohort.slug])
    body = client_for(cast.rhea).get(url).content.decode()
    assert "Saved versions" in body
    assert "Version 1</a>: saved" in body


def _promote_the_comparison(cast, others):
    for user in [*others[5:], cast.carol]:
        services.rank_change_record(
            profile=user.profiles.get(program=cast.program),
            from_rung="PGY2",
            to_rung="PGY3",
            changed_on=timezone.localdate() - dt.timedelta(days=400),
        )


def test_promotion_incidence_with_leaving_as_competing_shows_beside_the_share(
    evaluated, cast, client_for
):
    cohort, _, others = evaluated
    _promote_the_comparison(cast, others)
    report = evaluation_report(cohort)
    assert report.promotion_incidence_shown
    # Followed for 21 months from the landmark: the 12-month row only.
    assert [row.months for row in report.promotion_incidence] == [12]
    # The report's figure is the Aalen–Johansen estimate over its own people.
    participants = report.participants.people
    expected = stats.cumulative_incidence(
        [p.promotion_months for p in participants], [p.promotion_cause for p in participants], 12
    )
    assert report.promotion_incidence[0].cells[0] == expected
    # Everyone in the comparison group was promoted by 12 months, nobody having left first.
    assert report.promotion_incidence[0].cells[1].incidence == pytest.approx(1.0)
    url = reverse("outcomes:report", args=[cast.program.slug, cohort.slug])
    body = client_for(cast.coord).get(url).content.decode()
    assert "cumulative incidence, Aalen–Johansen" in body


def test_promotion_incidence_is_withheld_where_a_promotion_count_is_hidden(
    evaluated, cast, client_for
):
    cohort, _, _ = evaluated
    report = evaluation_report(cohort)
    assert None in report.promotion_counts.cells[1]  # 5 promoted in the comparison: hidden
    assert not report.promotion_incidence_shown
    url = reverse("outcomes:report", args=[cast.program.slug, cohort.slug])
    body = client_for(cast.coord).get(url).content.decode()
    assert "cumulative incidence, Aalen–Johansen" not in body


def test_an_observational_report_adds_a_time_varying_hazard_ratio(evaluated, cast, client_for):
    cohort, _, _ = evaluated
    report = evaluation_report(cohort)
    assert report.landmark_months == 3
    assert report.time_varying is not None
    # Every partnership began on the first day, so from the cohort's start the time-varying
    # model is the ordinary one of participants against everyone else.
    everyone = [*report.participants.people, *report.comparison.people]
    assert report.time_varying_people == len(everyone)
    exposed = {p.user_id for p in report.participants.people}
    design = evaluation_design(cohort)
    people = [
        person
        for record in [*design.participants, *design.comparison]
        if (person := report_module.follow_up(record, origin=cohort.starts_on, as_of=report.as_of))
    ]
    crude = stats.hazard_ratio(
        [p.months for p in people], [p.left for p in people], [p.user_id in exposed for p in people]
    )
    assert report.time_varying.estimate.value == pytest.approx(crude.estimate.value, rel=1e-3)
    url = reverse("outcomes:report", args=[cast.program.slug, cohort.slug])
    body = client_for(cast.coord).get(url).content.decode()
    assert "Hazard ratio of leaving with exposure changing over time" in body


def _breadcrumb_links(body: str) -> list[str]:
    crumb = re.search(r'<p class="breadcrumbs">(.*?)</p>', body, re.S)
    assert crumb, "the report has no breadcrumb"
    return re.findall(r'href="([^"]+)"', crumb.group(1))


def test_the_reports_breadcrumb_leads_each_reader_to_pages_they_can_open(
    evaluated, cast, client_for
):
    cohort, _, _ = evaluated
    url = reverse("outcomes:report", args=[cast.program.slug, cohort.slug])
    for reader, first in ((cast.coord, "programs:list"), (cast.rhea, "research:studies")):
        client = client_for(reader)
        links = _breadcrumb_links(client.get(url).content.decode())
        assert links[0] == reverse(first)
        for link in links:
            page = client.get(link)
            assert page.status_code == 200, link
            assert "You do not coordinate a program yet" not in page.content.decode()
