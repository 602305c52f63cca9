from __future__ import annotations

import csv

import pytest
from django.core.management import CommandError, call_command

from tandem.audit.models import AuditEvent
from tandem.cli import VERBS
from tests.research.helpers import crowd

pytestmark = pytest.mark.django_db


def test_export_verb_writes_the_dataset_and_codebook(cast, tmp_path, capsys):
    crowd(cast.cohort, [("PGY1", "Surgery", "X")] * 12)
    call_command("export", cohort="fall", program="riverside", out=tmp_path)
    with (tmp_path / "dataset.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 12
    assert (tmp_path / "codebook.csv").exists()
    assert "12 records" in capsys.readouterr().out
    assert AuditEvent.objects.get(action=AuditEvent.Action.EXPORT).detail["via"] == "cli"


def test_export_verb_writes_redcap_files(cast, tmp_path):
    call_command("export", cohort="fall", format="redcap", out=tmp_path)
    assert (tmp_path / "redcap_data_dictionary.csv").exists()
    assert (tmp_path / "redcap_records.csv").exists()


def test_unknown_cohort_is_a_clear_error(cast, tmp_path):
    with pytest.raises(CommandError, match="No cohort 'winter'"):
        call_command("export", cohort="winter", out=tmp_path)


def test_export_is_a_tandem_verb():
    assert "export" in VERBS
