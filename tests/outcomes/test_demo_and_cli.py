"""The demo's outcomes make a real report, and ``tandem report`` writes it as HTML."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tandem.demo import institution as demo
from tandem.demo.outcomes import PAST_COHORT_SLUG, seed_outcomes
from tandem.outcomes.models import Departure, Publication
from tandem.outcomes.report import evaluation_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_program():
    return demo.load_demo()


def test_the_demo_report_compares_two_groups_large_enough_to_analyse(demo_program):
    cohort = demo_program.cohorts.get(slug=PAST_COHORT_SLUG)
    report = evaluation_report(cohort)
    assert report.analysable
    assert report.participants.n > 30
    assert report.comparison.n > 30
    assert report.time_points[-1].months == 24
    assert Departure.objects.filter(profile__program=demo_program).exists()
    assert Publication.objects.filter(profile__program=demo_program).count() > 50
    # Seeding again adds nothing.
    count = Publication.objects.count()
    assert seed_outcomes(demo_program) is None
    assert Publication.objects.count() == count


def test_the_report_command_writes_a_self_contained_html_file(demo_program, tmp_path):
    out = tmp_path / "report.html"
    stdout = io.StringIO()
    call_command(
        "report", cohort=PAST_COHORT_SLUG, program=demo_program.slug, out=out, stdout=stdout
    )
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "Evaluation report: First peer pairs" in html
    assert "<svg" in html
    assert "@media print" in html
    assert "Kaplan–Meier" in html
    assert str(out) in stdout.getvalue()


def test_the_report_command_refuses_an_unknown_cohort(tmp_path):
    with pytest.raises(CommandError, match="No cohort 'nope'"):
        call_command("report", cohort="nope", out=tmp_path / "r.html")


def test_import_outcomes_reports_bad_lines_and_imports_nothing(cast, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("person,kind,year,title\nalice@example.org,publication,19x5,T\n")
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_outcomes", str(bad), program=cast.program.slug, stderr=stderr)
    assert "line 2, column year" in stderr.getvalue()
    assert not Publication.objects.exists()


def test_import_outcomes_imports_once(cast, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("person,kind,year,title\nalice@example.org,publication,2025,Peers\n")
    stdout = io.StringIO()
    call_command(
        "import_outcomes", str(good), program=cast.program.slug, dry_run=True, stdout=stdout
    )
    assert "would import 1 new" in stdout.getvalue()
    assert not Publication.objects.exists()
    call_command("import_outcomes", str(good), program=cast.program.slug, stdout=stdout)
    call_command("import_outcomes", str(good), program=cast.program.slug, stdout=stdout)
    assert "0 new, 0 updated, 1 already recorded" in stdout.getvalue()
    assert Publication.objects.count() == 1
