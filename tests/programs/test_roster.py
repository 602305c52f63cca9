"""Roster import: a dry-run preview, then all rows or none; bad rows named by line and column.

People not yet in the program are invited and join when they accept; the import creates no
account. How it treats accounts that exist elsewhere is in test_roster_takeover.py.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.accounts.models import User
from tandem.programs import services
from tandem.programs.models import (
    Enrollment,
    Exclusion,
    Invitation,
    PendingEvaluatorLine,
    Profile,
    RosterImport,
)
from tandem.programs.roster import roster_apply, roster_plan, roster_preview
from tests.factories import PASSWORD

GOOD = (
    "id,name,email,stage,specialty,offers,seeks,main_thing,specialty_preference,availability,evaluates\n"
    "R1,Ana Ruiz,ana@example.org,PGY1,Pediatrics,research,grants,Publish a paper,any,mon-am,\n"
    "R2,Ben Ode,ben@example.org,PGY2,Surgery,teaching;grants,research,Teach well,different,,\n"
    "C1,Cy Chief,cy@example.org,Chief resident,Pediatrics,leadership,,Lead,same,fri-pm,R1;R2\n"
)


def _counts():
    return (
        User.objects.count(),
        Profile.objects.count(),
        Enrollment.objects.count(),
        Exclusion.objects.count(),
        Invitation.objects.count(),
    )


def _import(cast, content):
    roster_import = roster_preview(
        program=cast.program,
        cohort=cast.cohort,
        uploaded_by=cast.coord,
        filename="r.csv",
        content=content,
    )
    return roster_apply(roster_import=roster_import, by=cast.coord)


def _everyone_accepts():
    """Each invited person signs up with their own password and accepts."""
    for invitation in Invitation.objects.filter(accepted_at__isnull=True).order_by("pk"):
        user = User.objects.create_user(
            email=invitation.email, full_name=invitation.full_name, password=PASSWORD
        )
        services.invitation_accept(invitation=invitation, user=user)


def test_preview_counts_people_to_invite_and_changes_nothing(cast):
    before = _counts()
    plan = roster_plan(program=cast.program, cohort=cast.cohort, content=GOOD)
    assert plan.ok
    assert (plan.count("invited"), plan.count("updated"), plan.count("unchanged")) == (3, 0, 0)
    assert plan.new_evaluator_lines == 2
    assert _counts() == before


def test_apply_invites_people_and_creates_no_account(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    users_before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        plan = _import(cast, GOOD)
    assert plan.count("invited") == 3
    assert User.objects.count() == users_before
    assert not cast.cohort.enrollments.filter(user__email="ana@example.org").exists()
    invitation = Invitation.objects.get(email="ana@example.org")
    assert (invitation.cohort, invitation.roster_id, invitation.full_name) == (
        cast.cohort,
        "R1",
        "Ana Ruiz",
    )
    assert PendingEvaluatorLine.objects.filter(program=cast.program).count() == 2
    assert sorted(message.to[0] for message in mailoutbox) == [
        "ana@example.org",
        "ben@example.org",
        "cy@example.org",
    ]


def test_accepting_gives_the_profile_enrolment_and_evaluator_lines_of_the_row(cast):
    _import(cast, GOOD)
    _everyone_accepts()
    ana = User.objects.get(email="ana@example.org")
    profile = ana.profiles.get(program=cast.program)
    assert profile.roster_id == "R1"
    assert profile.stage == "PGY1"
    assert profile.offers == ["research"]
    assert profile.availability == ["mon-am"]
    assert cast.cohort.enrollments.filter(user=ana, source=Enrollment.Source.INVITATION).exists()
    cy = User.objects.get(email="cy@example.org")
    evaluated = set(Exclusion.objects.filter(person=cy).values_list("other__email", flat=True))
    assert evaluated == {"ana@example.org", "ben@example.org"}
    assert not PendingEvaluatorLine.objects.exists()


def test_reimporting_the_same_file_changes_nothing(cast):
    _import(cast, GOOD)
    before = _counts()
    invitations_before = list(Invitation.objects.order_by("pk").values())
    plan = _import(cast, GOOD)
    assert (plan.count("invited"), plan.count("updated"), plan.count("unchanged")) == (0, 0, 3)
    assert plan.new_evaluator_lines == 0
    assert _counts() == before
    assert list(Invitation.objects.order_by("pk").values()) == invitations_before


def test_reimporting_after_everyone_accepted_changes_nothing(cast):
    _import(cast, GOOD)
    _everyone_accepts()
    before = _counts()
    profiles_before = list(Profile.objects.order_by("pk").values())
    plan = _import(cast, GOOD)
    assert (plan.count("invited"), plan.count("updated"), plan.count("unchanged")) == (0, 0, 3)
    assert plan.new_evaluator_lines == 0
    assert _counts() == before
    assert list(Profile.objects.order_by("pk").values()) == profiles_before


def test_a_changed_row_is_reported_as_updated_with_its_changes(cast):
    _import(cast, GOOD)
    changed = GOOD.replace("R2,Ben Ode,ben@example.org,PGY2", "R2,Ben Ode,ben@example.org,PGY3")
    plan = roster_plan(program=cast.program, cohort=cast.cohort, content=changed)
    updated = [row for row in plan.rows if row.action == "updated"]
    assert [(row.roster_id, row.changes) for row in updated] == [("R2", ["stage"])]


def test_a_changed_row_updates_a_pending_invitation_without_sending_another(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    _import(cast, GOOD)
    changed = GOOD.replace("R2,Ben Ode,ben@example.org,PGY2", "R2,Ben Ode,ben@example.org,PGY3")
    with django_capture_on_commit_callbacks(execute=True):
        _import(cast, changed)
    assert Invitation.objects.get(email="ben@example.org").profile_values["stage"] == "PGY3"
    assert mailoutbox == []


def test_empty_cells_never_erase_what_a_participant_entered(cast):
    _import(cast, GOOD)
    _everyone_accepts()
    profile = Profile.objects.get(user__email="ben@example.org")
    profile.availability = ["tue-pm"]
    profile.save()
    _import(cast, GOOD)
    profile.refresh_from_db()
    assert profile.availability == ["tue-pm"]


def test_an_existing_member_is_matched_by_email_and_enrolled(cast):
    content = "id,name,email,stage\nA7,Alice Adams,alice@example.org,PGY2\n"
    plan = roster_plan(program=cast.program, cohort=cast.cohort, content=content)
    assert [(row.action, row.changes) for row in plan.rows] == [("updated", ["id"])]


@pytest.mark.parametrize("accepted", [False, True])
def test_an_id_that_belongs_to_someone_else_is_refused(cast, accepted):
    _import(cast, GOOD)
    if accepted:
        _everyone_accepts()
    content = "id,name,email,stage\nR1,Impostor,imp@example.org,PGY1\n"
    plan = roster_plan(program=cast.program, cohort=cast.cohort, content=content)
    assert not plan.ok
    assert plan.errors[0]["line"] == 2
    assert "ana@example.org" in plan.errors[0]["message"]


def test_evaluates_may_name_people_already_in_the_program(cast):
    _import(cast, GOOD)
    _everyone_accepts()
    content = "id,name,email,stage,evaluates\nF1,Fay Fellow,fay@example.org,Fellow,R1\n"
    plan = _import(cast, content)
    assert plan.ok
    assert plan.new_evaluator_lines == 1
    _everyone_accepts()
    fay = User.objects.get(email="fay@example.org")
    assert Exclusion.objects.filter(person=fay, other__email="ana@example.org").exists()


@pytest.mark.parametrize(
    ("content", "line", "column", "words"),
    [
        ("id,name,email,stage\nX1,Xi,xi@example.org,PGY9\n", 2, "stage", "unknown stage"),
        (
            "id,name,email,stage\nX1,Xi,xi@example.org,PGY1\nX1,Yu,yu@example.org,PGY1\n",
            3,
            "id",
            "duplicate id",
        ),
        (
            "id,name,email,stage,evaluates\nX1,Xi,xi@example.org,PGY1,X1\n",
            2,
            "evaluates",
            "lists themselves",
        ),
        (
            "id,name,email,stage,color\nX1,Xi,xi@example.org,PGY1,red\n",
            1,
            "color",
            "unknown column",
        ),
        ("id,name,stage\nX1,Xi,PGY1\n", 1, "email", "missing"),
        ("id,name,email,stage\nX1,Xi,not-an-email,PGY1\n", 2, "email", "not an email"),
        (
            "id,name,email,stage,offers\nX1,Xi,xi@example.org,PGY1,juggling\n",
            2,
            "offers",
            "juggling",
        ),
        ("id,name,email,stage\nX1,Xi,xi@example.org\n", 2, "", "expected 4 fields"),
    ],
)
def test_each_bad_row_is_reported_with_line_and_column(cast, content, line, column, words):
    plan = roster_plan(program=cast.program, cohort=cast.cohort, content=content)
    assert not plan.ok
    assert not plan.rows
    matching = [e for e in plan.errors if e["line"] == line and e["column"] == column]
    assert matching, plan.errors
    assert words.lower() in matching[0]["message"].lower()


def test_every_bad_row_is_reported_not_just_the_first(cast):
    content = (
        "id,name,email,stage\n"
        "X1,Xi,xi@example.org,PGY9\n"
        "X2,Yu,yu@example.org,PGY1\n"
        "X3,Zo,bad,PGY1\n"
    )
    plan = roster_plan(program=cast.program, cohort=cast.cohort, content=content)
    assert [(e["line"], e["column"]) for e in plan.errors] == [(2, "stage"), (4, "email")]


# Cells that can make a row invalid, and the column each one breaks.
BAD_CELLS = {
    "stage": st.sampled_from(["", "PGY99", "Dean", "resident"]),
    "email": st.sampled_from(["", "no-at-sign", "two@@example.org", "a@b"]),
    "offers": st.sampled_from(["juggling", "research;knitting"]),
    "specialty_preference": st.sampled_from(["maybe", "opposite"]),
    "availability": st.sampled_from(["monday", "mon-night", "13:00"]),
}


@st.composite
def malformed_rosters(draw):
    size = draw(st.integers(min_value=1, max_value=8))
    rows = []
    for index in range(size):
        rows.append(
            {
                "id": f"P{index}",
                "name": f"Person {index}",
                "email": f"p{index}@example.org",
                "stage": draw(st.sampled_from(["PGY1", "PGY2", "Fellow"])),
                "offers": "research",
                "specialty_preference": "any",
                "availability": "mon-am",
            }
        )
    bad_line = draw(st.integers(min_value=0, max_value=size - 1))
    column = draw(st.sampled_from(sorted(BAD_CELLS)))
    rows[bad_line][column] = draw(BAD_CELLS[column])
    header = list(rows[0])
    text = io.StringIO()
    text.write(",".join(header) + "\n")
    for row in rows:
        text.write(",".join(row[name] for name in header) + "\n")
    return text.getvalue(), bad_line + 2, column


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=malformed_rosters())
def test_a_malformed_roster_is_refused_whole_with_the_bad_line_named(cast, case):
    content, line, column = case
    before = _counts()
    roster_import = roster_preview(
        program=cast.program,
        cohort=cast.cohort,
        uploaded_by=cast.coord,
        filename="r.csv",
        content=content,
    )
    assert roster_import.summary["errors"]
    assert any(e["line"] == line and e["column"] == column for e in roster_import.summary["errors"])
    with pytest.raises(Exception, match="errors"):
        roster_apply(roster_import=roster_import, by=cast.coord)
    assert _counts() == before


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(content=st.text(max_size=300))
def test_arbitrary_text_never_half_imports(cast, content):
    before = _counts()
    plan = roster_plan(program=cast.program, cohort=cast.cohort, content=content)
    if not plan.ok:
        assert all({"line", "column", "message"} <= set(error) for error in plan.errors)
        assert all(error["line"] >= 1 for error in plan.errors)
    assert _counts() == before


def test_a_failure_halfway_through_applying_rolls_everything_back(cast, monkeypatch):
    from tandem.programs import roster

    roster_import = roster_preview(
        program=cast.program,
        cohort=cast.cohort,
        uploaded_by=cast.coord,
        filename="r.csv",
        content=GOOD,
    )
    before = _counts()
    real_create = roster.services.invitation_create
    calls = []

    def fail_on_third(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_create(**kwargs)

    monkeypatch.setattr(roster.services, "invitation_create", fail_on_third)
    with pytest.raises(RuntimeError):
        roster_apply(roster_import=roster_import, by=cast.coord)
    assert _counts() == before
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.PREVIEWED


def test_an_import_cannot_be_applied_twice(cast):
    roster_import = roster_preview(
        program=cast.program,
        cohort=cast.cohort,
        uploaded_by=cast.coord,
        filename="r.csv",
        content=GOOD,
    )
    roster_apply(roster_import=roster_import, by=cast.coord)
    with pytest.raises(Exception, match="already been applied"):
        roster_apply(roster_import=roster_import, by=cast.coord)


def test_web_flow_preview_then_apply(cast, client_for):
    client = client_for(cast.coord)
    upload_url = reverse("programs:roster_upload", args=["riverside", "fall"])
    upload = io.BytesIO(("\ufeff" + GOOD).encode("utf-8"))
    upload.name = "roster.csv"
    response = client.post(upload_url, {"roster": upload})
    assert response.status_code == 302
    preview_page = client.get(response["Location"])
    assert b"will be invited" in preview_page.content
    assert not Invitation.objects.filter(email="ana@example.org").exists()
    applied = client.post(response["Location"], {"action": "apply"})
    assert applied.status_code == 302
    assert Invitation.objects.filter(email="ana@example.org", cohort=cast.cohort).exists()
    assert not User.objects.filter(email="ana@example.org").exists()


def test_web_preview_lists_errors_and_offers_no_apply_button(cast, client_for):
    client = client_for(cast.coord)
    upload = io.BytesIO(b"id,name,email,stage\nX1,Xi,xi@example.org,PGY9\n")
    upload.name = "bad.csv"
    response = client.post(
        reverse("programs:roster_upload", args=["riverside", "fall"]), {"roster": upload}
    )
    page = client.get(response["Location"]).content.decode()
    assert "unknown stage" in page
    assert 'value="apply"' not in page


def test_a_non_utf8_upload_keeps_the_form_with_a_clear_error(cast, client_for):
    upload = io.BytesIO("id,name\nX,Zoë".encode("latin-1"))
    upload.name = "latin.csv"
    response = client_for(cast.coord).post(
        reverse("programs:roster_upload", args=["riverside", "fall"]), {"roster": upload}
    )
    assert response.status_code == 200
    assert b"not UTF-8" in response.content


def test_another_programs_coordinator_cannot_preview_an_import(cast, client_for):
    roster_import = roster_preview(
        program=cast.program,
        cohort=cast.cohort,
        uploaded_by=cast.coord,
        filename="r.csv",
        content=GOOD,
    )
    url = reverse("programs:roster_preview", args=["riverside", "fall", roster_import.pk])
    assert client_for(cast.other_coord).get(url).status_code == 404
    assert client_for(cast.alice).get(url).status_code == 404
    assert client_for(cast.coord).get(url).status_code == 200


def test_command_imports_a_file(cast, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(GOOD)
    out = io.StringIO()
    call_command("import_roster", str(path), program="riverside", cohort="fall", stdout=out)
    assert "3 invited" in out.getvalue()
    assert Invitation.objects.filter(email="cy@example.org").exists()


def test_command_dry_run_writes_nothing(cast, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(GOOD)
    before = _counts()
    out = io.StringIO()
    call_command(
        "import_roster", str(path), program="riverside", cohort="fall", dry_run=True, stdout=out
    )
    assert "3 will be invited" in out.getvalue()
    assert "line 4: C1 cy@example.org: will be invited" in out.getvalue()
    assert _counts() == before
    assert not RosterImport.objects.exists()


def test_command_reports_errors_with_line_numbers_and_fails(cast, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("id,name,email,stage\nX1,Xi,xi@example.org,PGY9\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_roster", str(path), program="riverside", cohort="fall", stderr=err)
    assert "line 2, column stage" in err.getvalue()


def test_an_applied_roster_is_one_import_event_in_the_audit_log_without_names(cast):
    from tandem.audit.models import AuditEvent

    roster_import = roster_preview(
        program=cast.program, cohort=cast.cohort, uploaded_by=cast.coord, filename="r.csv",
        content=GOOD,
    )  # fmt: skip
    assert not AuditEvent.objects.filter(action="import").exists()
    roster_apply(roster_import=roster_import, by=cast.coord)
    event = AuditEvent.objects.get(action="import")
    assert (event.actor, event.target_id, event.detail["kind"]) == (
        cast.coord,
        str(roster_import.pk),
        "roster",
    )
    assert event.detail["counts"]["invited"] == 3
    assert "ana@example.org" not in str(event.detail)


def test_a_roster_holding_nul_or_too_many_rows_is_refused_as_a_whole(cast, settings):
    nul = roster_preview(
        program=cast.program, cohort=cast.cohort, uploaded_by=cast.coord, filename="r.csv",
        content=GOOD.replace("Ben Ode", "Ben\x00Ode"),
    )  # fmt: skip
    assert "NUL" in nul.summary["errors"][0]["message"]
    assert nul.summary["errors"][0]["line"] == 3
    settings.TANDEM_IMPORT_MAX_ROWS = 2
    many = roster_preview(
        program=cast.program, cohort=cast.cohort, uploaded_by=cast.coord, filename="r.csv",
        content=GOOD,
    )  # fmt: skip
    assert "at most 2 rows" in many.summary["errors"][0]["message"]
    with pytest.raises(Exception, match="nothing was imported"):
        roster_apply(roster_import=many, by=cast.coord)
    assert not Invitation.objects.exists()


def test_the_roster_command_refuses_excels_windows_encoding(cast, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(GOOD.replace("Ana Ruiz", "Ana Muñoz").encode("cp1252"))
    with pytest.raises(CommandError, match="cp1252"):
        call_command("import_roster", str(path), "--program", "riverside", "--cohort", "fall")
