"""The report page's "Save this version" button and the saved versions' pages: who may save
and read them, the CSRF check, the audit event, and that a version shows what was saved."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.outcomes.models import ReportVersion
from tandem.outcomes.services import report_version_save

pytestmark = pytest.mark.django_db


def _save_url(cast) -> str:
    return reverse("outcomes:report_save", args=[cast.program.slug, cast.cohort.slug])


def _version_url(cast, number: int) -> str:
    return reverse("outcomes:report_version", args=[cast.program.slug, cast.cohort.slug, number])


@pytest.mark.parametrize("who", ["coord", "rhea", "olga"])
def test_coordinators_researchers_and_the_operator_save_a_version_with_an_audit_event(
    cast, client_for, who
):
    user = getattr(cast, who)
    response = client_for(user).post(_save_url(cast))
    version = ReportVersion.objects.get(cohort=cast.cohort)
    assert response.status_code == 302
    assert response["Location"] == _version_url(cast, version.number)
    assert version.number == 1
    assert version.saved_by == user
    event = AuditEvent.objects.get(detail__event="report_version_saved")
    assert event.actor == user
    assert event.target_id == str(version.pk)
    assert event.detail["number"] == 1


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "dave", "other_coord"])
def test_everyone_else_gets_404_and_nothing_is_saved(cast, client_for, who):
    response = client_for(getattr(cast, who)).post(_save_url(cast))
    assert response.status_code == 404
    assert not ReportVersion.objects.exists()
    assert not AuditEvent.objects.filter(detail__event="report_version_saved").exists()


def test_an_anonymous_visitor_is_sent_to_sign_in_and_nothing_is_saved(cast, client_for):
    response = client_for(None).post(_save_url(cast))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not ReportVersion.objects.exists()


def test_saving_needs_a_post_with_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.coord, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(_save_url(cast)).status_code == 405
    assert client.post(_save_url(cast)).status_code == 403
    assert not ReportVersion.objects.exists()
    page = client.get(reverse("outcomes:report", args=[cast.program.slug, cast.cohort.slug]))
    token = page.context["csrf_token"]
    assert client.post(_save_url(cast), {"csrfmiddlewaretoken": str(token)}).status_code == 302
    assert ReportVersion.objects.count() == 1


def test_the_report_page_has_the_button_and_links_each_saved_version(cast, client_for):
    report_version_save(cohort=cast.cohort)
    report_version_save(cohort=cast.cohort)
    body = (
        client_for(cast.coord)
        .get(reverse("outcomes:report", args=[cast.program.slug, cast.cohort.slug]))
        .content.decode()
    )
    assert "Save this version" in body
    assert f'action="{_save_url(cast)}"' in body
    assert f'href="{_version_url(cast, 1)}"' in body
    assert f'href="{_version_url(cast, 2)}"' in body


def test_a_saved_version_shows_the_file_as_it_was_saved(cast, client_for):
    version = report_version_save(cohort=cast.cohort)
    version.html = version.html.replace("<main>", "<main><p>Marker of the saved file</p>", 1)
    version.save(update_fields=["html"])
    body = client_for(cast.rhea).get(_version_url(cast, version.number)).content.decode()
    assert "Marker of the saved file" in body
    assert f"Saved version {version.number}" in body
    assert "<style>" not in body  # the page's own stylesheet, not the file's inline one


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coord", 200),
        ("rhea", 200),
        ("olga", 200),
        ("alice", 404),
        ("carol", 404),
        ("dave", 404),
        ("other_coord", 404),
    ],
)
def test_who_reads_a_saved_version(cast, client_for, who, status):
    version = report_version_save(cohort=cast.cohort)
    response = client_for(getattr(cast, who)).get(_version_url(cast, version.number))
    assert response.status_code == status


def test_a_version_that_does_not_exist_is_404(cast, client_for):
    assert client_for(cast.coord).get(_version_url(cast, 7)).status_code == 404
