"""Outcomes by CSV: every bad row reported by line and column, all-or-nothing, idempotent."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.outcomes.csv_import import (
    outcome_import_apply,
    outcome_import_preview,
    outcome_plan,
)
from tandem.outcomes.models import Departure, Grant, OutcomeImport, Publication, RankChange

pytestmark = pytest.mark.django_db

GOOD = (
    "person,kind,date,year,reason,from_rung,to_rung,title,journal,doi,funder,role\n"
    "A1,publication,,2025,,,,Peer mentoring works,JAMA,10.1001/jama.2025.1,,\n"
    "bob@example.org,grant,,2025,,,,K23 award,,,NIH,pi\n"
    "A1,rank_change,2025-07-01,,,PGY2,PGY3,,,,,\n"
    "bob@example.org,departure,2025-09-01,,other_institution,,,,,,,\n"
)


def test_a_good_file_previews_then_applies_every_row(cast, alice_profile):
    plan = outcome_plan(program=cast.program, content=GOOD)
    assert plan.ok
    assert plan.count("created") == 4
    assert Publication.objects.count() == 0  # a preview writes nothing
    preview = outcome_import_preview(
        program=cast.program, uploaded_by=cast.coord, filename="o.csv", content=GOOD
    )
    outcome_import_apply(outcome_import=preview, by=cast.coord)
    assert Publication.objects.get().doi == "10.1001/jama.2025.1"
    assert Grant.objects.get().role == "pi"
    assert RankChange.objects.get().to_rung == "PGY3"
    assert Departure.objects.get().reason == "other_institution"


def test_importing_the_same_file_again_changes_nothing(cast, alice_profile):
    first = outcome_import_preview(
        program=cast.program, uploaded_by=cast.coord, filename="o.csv", content=GOOD
    )
    outcome_import_apply(outcome_import=first, by=cast.coord)
    again = outcome_plan(program=cast.program, content=GOOD)
    assert again.count("unchanged") == 4
    second = outcome_import_preview(
        program=cast.program, uploaded_by=cast.coord, filename="o.csv", content=GOOD
    )
    outcome_import_apply(outcome_import=second, by=cast.coord)
    counts = [m.objects.count() for m in (Publication, Grant, RankChange, Departure)]
    assert counts == [1, 1, 1, 1]


def test_every_bad_row_is_reported_with_its_line_and_column(cast, alice_profile):
    content = (
        "person,kind,date,year,reason,title,doi,funder,role\n"
        "A1,publication,,2025,,Fine,,,\n"  # line 2: fine
        "nobody,publication,,2025,,A title,,,\n"  # line 3: unknown person
        "A1,publication,,19x5,,A title,bad,,\n"  # line 4: year and doi
        "A1,grant,,2025,,,,NIH,emperor\n"  # line 5: role
        "A1,departure,2999-01-01,,bored,,,,\n"  # line 6: future date and reason
        "A1,award,,2025,,,,,\n"  # line 7: unknown kind
        "A1,grant,,2025,personal,,,NIH,pi\n"  # line 8: reason does not apply to a grant
    )
    plan = outcome_plan(program=cast.program, content=content)
    found = {(error["line"], error["column"]) for error in plan.errors}
    assert found == {
        (3, "person"),
        (4, "year"),
        (4, "doi"),
        (5, "role"),
        (6, "date"),
        (6, "reason"),
        (7, "kind"),
        (8, "reason"),
    }
    assert not plan.rows


def test_a_file_with_one_bad_row_imports_nothing(cast, alice_profile, client_for):
    content = GOOD + "A1,publication,,,,,,,,,,\n"  # line 6: no year, no title
    client = client_for(cast.coord)
    upload_url = reverse("outcomes:import_upload", args=[cast.program.slug])
    response = client.post(
        upload_url, {"file": SimpleUploadedFile("o.csv", content.encode(), "text/csv")}
    )
    assert response.status_code == 302
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert "Nothing has been imported" in body
    assert "a publication needs a year" in body
    assert f'<a class="button" href="{upload_url}">Upload a corrected file</a>' in body
    outcome_import = OutcomeImport.objects.get()
    with pytest.raises(ValidationError):
        outcome_import_apply(outcome_import=outcome_import, by=cast.coord)
    applied = client.post(response["Location"], {"action": "apply"})
    assert applied.status_code == 302
    assert Publication.objects.count() == 0
    assert Grant.objects.count() == 0


def test_an_unknown_column_is_reported_on_the_header_line(cast):
    plan = outcome_plan(program=cast.program, content="person,kind,colour\nA1,grant,red\n")
    assert plan.errors == [
        {
            "line": 1,
            "column": "colour",
            "message": plan.errors[0]["message"],
        }
    ]
    assert "unknown column" in plan.errors[0]["message"]


def test_an_applied_import_cannot_be_applied_twice(cast, alice_profile):
    preview = outcome_import_preview(
        program=cast.program, uploaded_by=cast.coord, filename="o.csv", content=GOOD
    )
    outcome_import_apply(outcome_import=preview, by=cast.coord)
    with pytest.raises(ValidationError):
        outcome_import_apply(outcome_import=preview, by=cast.coord)


def test_people_are_found_only_within_the_program(cast, alice_profile):
    plan = outcome_plan(
        program=cast.program,
        content="person,kind,year,title\ndave@example.org,publication,2025,Elsewhere\n",
    )
    assert [(e["line"], e["column"]) for e in plan.errors] == [(2, "person")]


def _counts() -> list[int]:
    return [m.objects.count() for m in (Publication, Grant, RankChange, Departure)]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.lists(
        st.lists(
            st.one_of(
                st.sampled_from(["A1", "publication", "grant", "2025", "2999", "pi", "x", ""]),
                st.text(max_size=12),
            ),
            min_size=4,
            max_size=4,
        ),
        max_size=5,
    )
)
def test_any_file_is_either_applied_whole_or_refused_with_located_errors(
    cast, alice_profile, cells
):
    lines = ["person,kind,year,title"]
    for row in cells:
        lines.append(",".join('"' + cell.replace('"', '""') + '"' for cell in row))
    content = "\n".join(lines) + "\n"
    before = _counts()
    preview = outcome_import_preview(
        program=cast.program, uploaded_by=cast.coord, filename="o.csv", content=content
    )
    errors = preview.summary["errors"]
    if errors:
        # An empty file is reported on line 2, where the first outcome should be.
        last_line = max(2, len(re.split(r"\r\n|\r|\n", content)))  # cells may hold breaks
        assert all(1 <= error["line"] <= last_line for error in errors)
        with pytest.raises(ValidationError):
            outcome_import_apply(outcome_import=preview, by=cast.coord)
        assert _counts() == before
    else:
        plan = outcome_import_apply(outcome_import=preview, by=cast.coord)
        assert sum(_counts()) - sum(before) == plan.count("created")


def test_a_file_holding_a_nul_character_is_refused_with_its_line(cast):
    """Found on PostgreSQL, which cannot store NUL in text: it used to fail as a server error."""
    from tandem.outcomes.csv_import import parse_outcomes

    rows, errors = parse_outcomes(cast.program, "roster_id,kind\nA1,publication\x00\n")
    assert rows == []
    assert errors[0]["line"] == 2
    assert "NUL" in errors[0]["message"]


def test_an_applied_outcomes_file_is_one_import_event_in_the_audit_log(cast, alice_profile):
    from tandem.audit.models import AuditEvent

    content = "person,kind,year,title\nA1,publication,2025,Peer mentoring works\n"
    preview = outcome_import_preview(
        program=cast.program, uploaded_by=cast.coord, filename="o.csv", content=content
    )
    outcome_import_apply(outcome_import=preview, by=cast.coord)
    event = AuditEvent.objects.get(action="import")
    assert (event.actor, event.detail["kind"], event.detail["counts"]["created"]) == (
        cast.coord,
        "outcomes",
        1,
    )
    assert "Peer mentoring" not in str(event.detail)


def test_an_outcomes_upload_in_excels_windows_encoding_keeps_the_form_with_how_to_fix(
    cast, client_for
):
    content = "person,kind,year,title\nA1,publication,2025,Étude\n".encode("cp1252")
    response = client_for(cast.coord).post(
        reverse("outcomes:import_upload", args=["riverside"]),
        {"file": SimpleUploadedFile("o.csv", content)},
    )
    assert response.status_code == 200
    assert "CSV UTF-8" in response.content.decode()
    assert not OutcomeImport.objects.exists()
