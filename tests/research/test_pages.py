from __future__ import annotations

import io
import zipfile

import pytest
from django.test import override_settings
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.research.models import ResearchConsent
from tests.research.helpers import crowd, protocol_for

pytestmark = pytest.mark.django_db


def consent_url(cast):
    return reverse("research:consent", args=[cast.program.slug, cast.cohort.slug])


def test_participant_reads_the_study_and_consents_then_withdraws(cast, client_for):
    protocol = protocol_for(cast.cohort)
    client = client_for(cast.alice)
    page = client.get(consent_url(cast))
    assert page.status_code == 200
    assert "We study whether peer mentoring helps" in page.content.decode()
    assert client.post(consent_url(cast), {"decision": "consented"}).status_code == 302
    assert client.post(consent_url(cast), {"decision": "withdrawn"}).status_code == 302
    history = ResearchConsent.objects.filter(protocol=protocol, user=cast.alice)
    assert [entry.decision for entry in history] == ["withdrawn", "consented"]
    assert "You withdrew" in client.get(consent_url(cast)).content.decode()


def test_declining_is_kept_and_withdrawing_without_consent_is_refused(cast, client_for):
    protocol_for(cast.cohort)
    client = client_for(cast.bob)
    client.post(consent_url(cast), {"decision": "declined"})
    response = client.post(consent_url(cast), {"decision": "withdrawn"})
    assert response.status_code == 200
    assert "Only someone who consented can withdraw" in response.content.decode()


@pytest.mark.parametrize("role", ["dave", "coord", "other_coord", "rhea"])
def test_people_outside_the_cohort_get_404_from_the_consent_page(cast, client_for, role):
    protocol_for(cast.cohort)
    client = client_for(getattr(cast, role))
    assert client.get(consent_url(cast)).status_code == 404
    assert client.post(consent_url(cast), {"decision": "consented"}).status_code == 404
    assert not ResearchConsent.objects.exists()


def test_consent_page_is_404_without_a_study(cast, client_for):
    assert client_for(cast.alice).get(consent_url(cast)).status_code == 404


def download(client, cast, fmt="csv"):
    url = reverse("research:export_download", args=[cast.program.slug, cast.cohort.slug])
    return client.get(url, {"format": fmt})


def test_researcher_downloads_an_audited_zip_of_consenting_people(cast, client_for):
    crowd(cast.cohort, [("PGY1", "Surgery", "X")] * 12)
    response = download(client_for(cast.rhea), cast, "redcap")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) == {
        "README.md",
        "codebook.csv",
        "redcap_data_dictionary.csv",
        "redcap_records.csv",
    }
    records = archive.read("redcap_records.csv").decode().strip().splitlines()
    assert len(records) == 1 + 12
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.actor == cast.rhea
    assert event.detail == {"format": "redcap", "export": "research_deidentified", "records": 12}


@pytest.mark.parametrize("role", ["coord", "olga", "other_coord", "alice", "dave"])
def test_only_the_programs_researchers_may_export(cast, client_for, role):
    client = client_for(getattr(cast, role))
    assert download(client, cast).status_code == 404
    assert client.get(reverse("research:exports", args=[cast.program.slug])).status_code == 404


def test_unknown_format_is_a_clear_error(cast, client_for):
    response = download(client_for(cast.rhea), cast, "xlsx")
    assert response.status_code == 400


@override_settings(TANDEM_EXPORT_RATE_LIMIT="2/h")
def test_exports_are_rate_limited(cast, client_for):
    client = client_for(cast.rhea)
    assert download(client, cast).status_code == 200
    assert download(client, cast).status_code == 200
    assert download(client, cast).status_code == 429


def test_coordinator_registers_a_protocol_and_randomises(cast, client_for):
    import datetime as dt

    from django.utils import timezone

    cohort = cast.cohort
    cohort.starts_on = timezone.localdate() + dt.timedelta(days=30)
    cohort.save()
    client = client_for(cast.coord)
    url = reverse("research:protocol", args=[cast.program.slug, cohort.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"title": "Study", "information": "Info", "outcomes": "Retention at 12 months"}
    )
    assert response.status_code == 302
    crowd(cohort, [("PGY1", "Surgery", "X")] * 4)
    randomise = reverse("research:randomise", args=[cast.program.slug, cohort.slug])
    client.post(randomise)
    page = client.get(url).content.decode()
    assert "2 matched now, 2 on the waitlist" in page
    assert "can no longer change" in page
