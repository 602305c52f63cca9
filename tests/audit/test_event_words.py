"""The audit log names what happened in words: match events and roster imports, not "Other"."""

from __future__ import annotations

import io

from django.urls import reverse

from tandem.audit.models import EVENT_WORDS, AuditEvent
from tandem.audit.services import audit_record

ROSTER = "id,name,email,stage\nR1,Ana Ruiz,ana@example.org,PGY1\nR2,Ben Ode,ben@example.org,PGY2\n"


def test_a_match_event_reads_as_what_happened(cast, client_for):
    audit_record(
        action=AuditEvent.Action.OTHER, actor=cast.coord, target=cast.cohort, event="match_reviewed"
    )
    page = client_for(cast.olga).get(reverse("audit:log")).content.decode()
    assert "Match run marked as reviewed" in page
    assert '<td data-label="Action">Other</td>' not in page
    assert "event: match_reviewed" not in page


def test_every_event_the_code_records_has_words():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "tandem"
    events = {
        name
        for path in root.rglob("*.py")
        for name in re.findall(r'event="([a-z_]+)"', path.read_text())
    }
    assert events - set(EVENT_WORDS) == set()


def test_an_applied_roster_import_is_in_the_audit_log_with_its_counts(cast, client_for):
    client = client_for(cast.coord)
    upload = io.BytesIO(ROSTER.encode())
    upload.name = "roster.csv"
    preview = client.post(
        reverse("programs:roster_upload", args=["riverside", "fall"]), {"roster": upload}
    )
    client.post(preview["Location"], {"action": "apply"})
    event = AuditEvent.objects.get(detail__event="roster_imported")
    assert event.actor == cast.coord
    assert event.detail["counts"]["invited"] == 2
    assert event.label == "Roster imported"
    assert "ana@example.org" not in str(event.detail)


def test_a_refused_roster_import_says_so_not_previewed(cast, client_for):
    client = client_for(cast.coord)
    upload = io.BytesIO(b"id,name,email,stage\nX1,Xi,xi@example.org,PGY9\n")
    upload.name = "bad.csv"
    preview = client.post(
        reverse("programs:roster_upload", args=["riverside", "fall"]), {"roster": upload}
    )
    page = client.get(preview["Location"]).content.decode()
    assert "Refused — not imported." in page
    assert "Previewed" not in page
    listing = client.get(reverse("programs:roster_upload", args=["riverside", "fall"]))
    assert "refused, not imported" in listing.content.decode()
    assert not AuditEvent.objects.filter(detail__event="roster_imported").exists()
