"""`tandem match --cohort` runs a round against the database; the offline verb still works."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from tandem import cli
from tandem.partnerships.models import Partnership
from tandem.rounds.models import MatchRun


def test_the_command_runs_a_draft(round_):
    out = StringIO()
    call_command("match", "--cohort", "spring", "--program", round_.cohort.program.slug, stdout=out)
    assert "3 groups" in out.getvalue()
    assert MatchRun.objects.get().status == MatchRun.Status.DRAFT
    assert not Partnership.objects.filter(cohort=round_.cohort).exists()


def test_the_command_publishes(round_, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "match", "--cohort", "spring", "--program", "riverside", "--publish", stdout=out
        )
    assert "Published 3 proposals" in out.getvalue()
    assert Partnership.objects.filter(cohort=round_.cohort, status="proposed").count() == 3
    assert len(mail.outbox) == 6


def test_a_cohort_name_two_programs_share_needs_the_program(round_):
    with pytest.raises(CommandError, match="--program"):
        call_command("match", "--cohort", "spring")
    assert not MatchRun.objects.exists()


def test_an_unknown_cohort_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No cohort"):
        call_command("match", "--cohort", "nowhere")


def test_the_tandem_verb_dispatches_on_cohort(round_, capsys):
    assert cli.main(["match", "--cohort", "spring", "--program", "riverside"]) == 0
    assert "3 groups" in capsys.readouterr().out


def test_the_offline_verb_still_matches_a_roster_file(tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("id,stage,offers,seeks\na,PGY2,research,grants\nb,PGY2,grants,research\n")
    assert cli.main(["match", str(roster)]) == 0
    assert "a" in capsys.readouterr().out
