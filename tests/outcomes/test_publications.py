"""ORCID and PubMed imports: parsing realistic exports, and no duplicates on re-import."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tandem.outcomes.models import Publication, Source
from tandem.outcomes.publications import (
    ORCID,
    PUBMED,
    detect_format,
    parse_medline,
    parse_orcid_works,
    publications_import,
)

DATA = Path(__file__).parent / "data"
ORCID_TEXT = (DATA / "orcid_works.json").read_text(encoding="utf-8")
MEDLINE_TEXT = (DATA / "pubmed_medline.txt").read_text(encoding="utf-8")


def test_orcid_works_give_title_journal_year_and_self_identifiers():
    works = parse_orcid_works(ORCID_TEXT)
    assert len(works) == 3
    first, second, third = works
    assert first.title == "Peer Mentoring and Retention of Junior Faculty in Academic Medicine"
    assert first.journal == "JAMA Network Open"
    assert first.year == 2023
    assert first.doi == "10.1001/jamanetworkopen.2023.12345"
    assert first.pmid == ""  # the summary's own ids win; its ISSN is "part-of", not this work
    # The second summary lists no ids; the group's PMID is used instead.
    assert (second.pmid, second.year, second.journal) == ("36909876", 2022, "Academic Medicine")
    assert third.year is None  # a lecture with no date


def test_medline_records_give_pmid_title_journal_year_and_doi():
    records = parse_medline(MEDLINE_TEXT)
    assert [record.pmid for record in records] == ["37201234", "35550001", "34440002"]
    first = records[0]
    assert first.title == "Peer Mentoring and Retention of Junior Faculty in Academic Medicine."
    assert first.journal == "JAMA network open"  # JT preferred to TA
    assert first.year == 2023
    assert first.doi == "10.1001/jamanetworkopen.2023.12345"
    assert records[1].year == 2022
    assert records[1].doi == "10.4300/JGME-D-21-00999.1"
    assert (records[2].journal, records[2].doi) == ("Med Teach", "")


def test_the_format_is_told_from_the_content():
    assert detect_format(ORCID_TEXT) == ORCID
    assert detect_format(MEDLINE_TEXT) == PUBMED
    with pytest.raises(ValueError, match="neither"):
        detect_format("title,year\nx,2020\n")


@pytest.mark.django_db
def test_reimporting_either_file_changes_nothing(alice_profile):
    first = publications_import(profile=alice_profile, content=ORCID_TEXT, by=None)
    assert (first.added, first.already) == (2, 0)
    assert first.skipped == ["work 3: no year"]
    again = publications_import(profile=alice_profile, content=ORCID_TEXT, by=None)
    assert (again.added, again.already) == (0, 2)
    # PubMed has the JAMA paper too (same DOI): it gains its PMID instead of a copy.
    pubmed = publications_import(profile=alice_profile, content=MEDLINE_TEXT, by=None)
    assert (pubmed.added, pubmed.already) == (2, 1)
    jama = Publication.objects.get(doi="10.1001/jamanetworkopen.2023.12345")
    assert jama.pmid == "37201234"
    assert jama.source == Source.ORCID
    assert Publication.objects.filter(profile=alice_profile).count() == 4
    publications_import(profile=alice_profile, content=MEDLINE_TEXT, by=None)
    assert Publication.objects.filter(profile=alice_profile).count() == 4


@pytest.mark.django_db
def test_an_unreadable_file_records_nothing(alice_profile):
    with pytest.raises(ValidationError):
        publications_import(profile=alice_profile, content='{"group": 3}', by=None)
    with pytest.raises(ValidationError):
        publications_import(profile=alice_profile, content="{not json", by=None)
    assert not Publication.objects.exists()


@pytest.mark.django_db
def test_the_coordinator_uploads_a_pubmed_file_for_a_person(cast, client_for, alice_profile):
    url = reverse("outcomes:publications_upload", args=[cast.program.slug, alice_profile.pk])
    upload = SimpleUploadedFile("pubmed.txt", MEDLINE_TEXT.encode(), "text/plain")
    response = client_for(cast.coord).post(url, {"file": upload}, follow=True)
    assert "3 publication(s) added" in response.content.decode()
    assert Publication.objects.filter(profile=alice_profile).count() == 3


@pytest.mark.django_db
def test_a_wrong_file_is_refused_on_the_form(cast, client_for, alice_profile):
    url = reverse("outcomes:publications_upload", args=[cast.program.slug, alice_profile.pk])
    upload = SimpleUploadedFile("notes.txt", b"just some notes", "text/plain")
    response = client_for(cast.coord).post(url, {"file": upload})
    assert response.status_code == 200
    assert "neither an ORCID works export" in response.content.decode()
