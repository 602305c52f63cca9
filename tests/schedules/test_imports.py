"""Schedule imports: the program's block schedule (page and command) and a person's own file.

Bad rows are reported by line and column, nothing is half-imported, re-importing changes
nothing, and no preview repeats a rotation name.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.schedules.models import OwnScheduleImport, ScheduleBlock, ScheduleImport
from tandem.schedules.parsing import CSV_COLUMNS, parse_schedule_csv, parse_schedule_ics
from tandem.schedules.services import program_schedule_replace

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "schedules-example.csv"

GOOD = """email,start,end,kind,label
alice@example.org,2026-07-01,2026-07-28,day,Cardiology wards
alice@example.org,2026-07-03T07:00+02:00,2026-07-04T08:00+02:00,call,
bob@example.org,2026-07-01,2026-07-14,night,Night float
"""


def test_a_good_file_parses_into_blocks() -> None:
    parsed = parse_schedule_csv(GOOD, person_column=True)
    assert parsed.errors == []
    assert [b.kind for b in parsed.blocks] == ["day", "call", "night"]
    assert parsed.blocks[0].whole_days
    assert not parsed.blocks[1].whole_days
    assert parsed.blocks[1].starts_at == dt.datetime(2026, 7, 3, 5, tzinfo=dt.UTC)


def test_bad_rows_are_reported_by_line_and_column() -> None:
    content = (
        "email,start,end,kind,label\n"
        "alice@example.org,2026-07-01,2026-06-01,day,\n"
        "alice@example.org,2026-07-01T07:00,2026-07-01T19:00,day,\n"
        "alice@example.org,tomorrow,2026-07-01,day,\n"
        "alice@example.org,2026-07-01,2026-07-02,rounds,\n"
        ",2026-07-01,2026-07-02,day,\n"
        "alice@example.org,2026-07-01,2026-07-02T10:00Z,day,\n"
    )
    parsed = parse_schedule_csv(content, person_column=True)
    found = [(e["line"], e["column"]) for e in parsed.errors]
    assert found == [
        (2, "end"),
        (3, "start"),
        (3, "end"),
        (4, "start"),
        (5, "kind"),
        (6, "email"),
        (7, "end"),
    ]
    assert parsed.blocks == []


def test_unknown_and_missing_columns_are_refused() -> None:
    parsed = parse_schedule_csv("who,start,end\n", person_column=True)
    messages = {(e["column"], e["message"].split(";")[0]) for e in parsed.errors}
    assert ("who", "Unknown column") in messages
    assert ("kind", "This column is missing.") in messages


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=6), max_size=6))
def test_any_file_parses_to_blocks_or_located_problems(rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    buffer.write("email,start,end,kind,label\n")
    for row in rows:
        buffer.write(",".join(cell.replace("\n", " ").replace("\r", " ") for cell in row) + "\n")
    parsed = parse_schedule_csv(buffer.getvalue(), person_column=True)
    for error in parsed.errors:
        assert error["line"] >= 1
        # A problem names its column, or none when the line as a whole is wrong.
        assert error["column"] in (*CSV_COLUMNS, "")
        assert error["message"]
    for block in parsed.blocks:
        assert block.ends_at >= block.starts_at


def test_an_ics_file_becomes_blocks_with_kinds_from_the_titles() -> None:
    content = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Rota//EN
BEGIN:VEVENT
UID:1
DTSTAMP:20260101T000000Z
DTSTART:20260701T190000Z
DTEND:20260702T070000Z
SUMMARY:Night float MICU
END:VEVENT
BEGIN:VEVENT
UID:2
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:20260710
DTEND;VALUE=DATE:20260712
SUMMARY:Vacation
END:VEVENT
END:VCALENDAR
"""
    parsed = parse_schedule_ics(content)
    assert parsed.errors == []
    night, vacation = parsed.blocks
    assert (night.kind, night.label, night.whole_days) == ("night", "Night float MICU", False)
    assert (vacation.kind, vacation.whole_days) == ("vacation", True)
    assert (vacation.starts_at.date(), vacation.ends_at.date()) == (
        dt.date(2026, 7, 10),
        dt.date(2026, 7, 11),
    )


def test_a_broken_ics_file_is_one_clear_problem() -> None:
    parsed = parse_schedule_ics(b"<html>not a calendar</html>")
    assert parsed.blocks == []
    assert len(parsed.errors) == 1


def test_the_program_import_replaces_earlier_blocks_and_stores_labels_encrypted(cast) -> None:
    program_schedule_replace(program=cast.program, content=GOOD)
    program_schedule_replace(program=cast.program, content=GOOD)
    assert ScheduleBlock.objects.filter(user=cast.alice).count() == 2
    assert ScheduleBlock.objects.filter(user=cast.bob).count() == 1
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT label FROM schedules_scheduleblock")
        stored = [row[0] for row in cursor.fetchall() if row[0] is not None]
    assert all("Night" not in value and "Cardiology" not in value for value in stored)


def test_a_person_is_named_by_roster_id_too(cast) -> None:
    cast.alice.profiles.filter(program=cast.program).update(roster_id="R-17")
    program_schedule_replace(
        program=cast.program, content="email,start,end,kind\nR-17,2026-07-01,2026-07-02,off\n"
    )
    assert ScheduleBlock.objects.filter(user=cast.alice, kind="off").count() == 1


def test_a_person_outside_the_program_is_a_row_error_and_nothing_is_imported(
    cast, tmp_path
) -> None:
    path = tmp_path / "blocks.csv"
    path.write_text(GOOD + "dave@example.org,2026-07-01,2026-07-02,day,\n")
    with pytest.raises(CommandError):
        call_command("import_schedules", str(path), "--program", "riverside")
    assert not ScheduleBlock.objects.exists()


def test_the_command_imports_and_its_dry_run_changes_nothing(cast, tmp_path, capsys) -> None:
    path = tmp_path / "blocks.csv"
    path.write_text(GOOD)
    call_command("import_schedules", str(path), "--program", "riverside", "--dry-run")
    assert "would import 3 blocks for 2 people" in capsys.readouterr().out
    assert not ScheduleBlock.objects.exists()
    call_command("import_schedules", str(path), "--program", "riverside")
    assert ScheduleBlock.objects.count() == 3


def test_the_command_prints_each_problem_with_line_and_column(cast, tmp_path, capsys) -> None:
    path = tmp_path / "blocks.csv"
    path.write_text("email,start,end,kind,label\nalice@example.org,2026-07-01,2026-07-02,rounds,\n")
    with pytest.raises(CommandError):
        call_command("import_schedules", str(path), "--program", "riverside")
    assert "line 2, column kind" in capsys.readouterr().err


def test_the_example_file_in_the_docs_imports(cast, settings) -> None:
    content = EXAMPLE.read_text().replace("@riverside.example", "@example.org")
    summary = program_schedule_replace(program=cast.program, content=content)
    assert summary["counts"]["blocks"] > 0


# ------------------------------------------------------------------ the pages
def _upload(client, url: str, name: str, content: str | bytes):
    data = content.encode() if isinstance(content, str) else content
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(url, {"schedule": upload})


def test_a_coordinator_previews_then_applies_a_block_schedule(cast, client_for) -> None:
    client = client_for(cast.coord)
    response = _upload(client, "/programs/riverside/schedules/", "blocks.csv", GOOD)
    schedule_import = ScheduleImport.objects.get()
    assert response.status_code == 302
    preview = client.get(f"/programs/riverside/schedules/imports/{schedule_import.pk}/")
    text = preview.content.decode()
    assert "Night float" not in text
    assert "Cardiology" not in text
    assert not ScheduleBlock.objects.exists()
    client.post(f"/programs/riverside/schedules/imports/{schedule_import.pk}/", {"action": "apply"})
    assert ScheduleBlock.objects.count() == 3
    schedule_import.refresh_from_db()
    assert schedule_import.content == ""
    assert schedule_import.status == "applied"


def test_a_refused_program_file_lists_its_problems_and_imports_nothing(cast, client_for) -> None:
    client = client_for(cast.coord)
    _upload(
        client,
        "/programs/riverside/schedules/",
        "blocks.csv",
        GOOD + "nobody@x.org,2026-07-01,2026-07-02,day,\n",
    )
    schedule_import = ScheduleImport.objects.get()
    preview = client.get(f"/programs/riverside/schedules/imports/{schedule_import.pk}/")
    assert "1 problem found" in preview.content.decode()
    client.post(f"/programs/riverside/schedules/imports/{schedule_import.pk}/", {"action": "apply"})
    assert not ScheduleBlock.objects.exists()


@pytest.mark.parametrize("who", ["alice", "carol", "other_coord", "rhea", "dave"])
def test_only_the_programs_coordinators_reach_its_schedule_pages(cast, client_for, who) -> None:
    client = client_for(getattr(cast, who))
    assert client.get("/programs/riverside/schedules/").status_code == 404
    response = _upload(client, "/programs/riverside/schedules/", "blocks.csv", GOOD)
    assert response.status_code == 404
    assert not ScheduleImport.objects.exists()


def _apply_own(client, response):
    """Follow an upload to its preview and apply it."""
    assert response.status_code == 302
    return client.post(response["Location"], {"action": "apply"})


def test_a_person_previews_their_own_csv_then_applies_it(cast, client_for) -> None:
    client = client_for(cast.alice)
    content = "start,end,kind,label\n2099-07-01,2099-07-28,day,Cardiology wards\n"
    response = _upload(client, "/account/schedule/upload/", "mine.csv", content)
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "Cardiology wards" in preview
    assert 'value="apply"' in preview
    assert not ScheduleBlock.objects.filter(user=cast.alice).exists()
    assert client.post(response["Location"], {"action": "apply"}).status_code == 302
    page = client.get("/account/schedule/").content.decode()
    assert "Cardiology wards" in page
    assert ScheduleBlock.objects.get(user=cast.alice).source == "upload"
    upload = OwnScheduleImport.objects.get()
    assert (upload.status, upload.content) == ("applied", "")
    assert "Cardiology" not in str(upload.summary)


def test_a_discarded_personal_file_changes_nothing_and_is_not_kept(cast, client_for) -> None:
    client = client_for(cast.alice)
    content = "start,end,kind,label\n2099-07-01,2099-07-28,day,Cardiology wards\n"
    response = _upload(client, "/account/schedule/upload/", "mine.csv", content)
    client.post(response["Location"], {"action": "discard"})
    upload = OwnScheduleImport.objects.get()
    assert (upload.status, upload.content) == ("discarded", "")
    assert client.post(response["Location"], {"action": "apply"}).status_code == 302
    assert not ScheduleBlock.objects.exists()


@pytest.mark.parametrize("who", ["bob", "carol", "coord", "rhea", "olga"])
def test_nobody_else_opens_or_applies_a_persons_schedule_upload(cast, client_for, who) -> None:
    content = "start,end,kind,label\n2099-07-01,2099-07-28,day,Cardiology wards\n"
    url = _upload(client_for(cast.alice), "/account/schedule/upload/", "mine.csv", content)[
        "Location"
    ]
    client = client_for(getattr(cast, who))
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "apply"}).status_code == 404
    assert not ScheduleBlock.objects.exists()


def test_a_personal_file_naming_someone_else_is_refused(cast, client_for) -> None:
    client = client_for(cast.alice)
    content = "email,start,end,kind\nbob@example.org,2099-07-01,2099-07-02,off\n"
    response = _upload(client, "/account/schedule/upload/", "mine.csv", content)
    page = client.get(response["Location"]).content.decode()
    assert "only hold your own blocks" in page
    client.post(response["Location"], {"action": "apply"})
    assert not ScheduleBlock.objects.exists()


def test_a_bad_personal_file_shows_line_and_column_and_keeps_the_old_blocks(
    cast, client_for
) -> None:
    client = client_for(cast.alice)
    _apply_own(
        client,
        _upload(
            client,
            "/account/schedule/upload/",
            "mine.csv",
            "start,end,kind\n2099-07-01,2099-07-02,off\n",
        ),
    )
    response = _upload(
        client,
        "/account/schedule/upload/",
        "mine.csv",
        "start,end,kind\n2099-07-01,2099-06-02,off\n",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Nothing has been imported" in page
    assert 'value="apply"' not in page
    client.post(response["Location"], {"action": "apply"})
    assert ScheduleBlock.objects.filter(user=cast.alice).count() == 1


def test_a_personal_file_in_excels_windows_encoding_is_refused_with_how_to_save_it(
    cast, client_for
) -> None:
    client = client_for(cast.alice)
    content = "start,end,kind,label\n2099-07-01,2099-07-28,day,Urgences pédiatriques\n"
    response = _upload(client, "/account/schedule/upload/", "mine.csv", content.encode("cp1252"))
    assert response.status_code == 422
    assert "CSV UTF-8" in response.content.decode()
    assert not OwnScheduleImport.objects.exists()


def test_a_person_uploads_an_ics_file(cast, client_for) -> None:
    content = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        "DTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20990710\r\nDTEND;VALUE=DATE:20990712\r\n"
        "SUMMARY:Vacation\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    client = client_for(cast.alice)
    response = _upload(client, "/account/schedule/upload/", "rota.ics", content)
    assert "vacation" in client.get(response["Location"]).content.decode()
    assert not ScheduleBlock.objects.exists()
    _apply_own(client, response)
    block = ScheduleBlock.objects.get(user=cast.alice)
    assert (block.source, block.kind) == ("ics", "vacation")


@pytest.mark.parametrize("who", ["alice", "bob", "other_coord", "rhea", "dave"])
def test_only_the_programs_coordinators_open_or_apply_a_preview(cast, client_for, who) -> None:
    _upload(client_for(cast.coord), "/programs/riverside/schedules/", "blocks.csv", GOOD)
    url = f"/programs/riverside/schedules/imports/{ScheduleImport.objects.get().pk}/"
    client = client_for(getattr(cast, who))
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "apply"}).status_code == 404
    assert client.post("/programs/riverside/schedules/rules/", {}).status_code == 404
    assert not ScheduleBlock.objects.exists()


def test_the_operator_sees_counts_but_never_a_rotation_name(cast, client_for) -> None:
    program_schedule_replace(program=cast.program, content=GOOD)
    page = client_for(cast.olga).get("/programs/riverside/schedules/").content.decode()
    assert "Night float" not in page
    assert "Cardiology" not in page


def test_applied_schedule_files_are_import_events_without_rotation_names(cast, client_for) -> None:
    from tandem.audit.models import AuditEvent

    client = client_for(cast.coord)
    _upload(client, "/programs/riverside/schedules/", "blocks.csv", GOOD)
    client.post(
        f"/programs/riverside/schedules/imports/{ScheduleImport.objects.get().pk}/",
        {"action": "apply"},
    )
    mine = client_for(cast.alice)
    _apply_own(
        mine,
        _upload(
            mine,
            "/account/schedule/upload/",
            "mine.csv",
            "start,end,kind,label\n2099-07-01,2099-07-28,day,Cardiology wards\n",
        ),
    )
    events = AuditEvent.objects.filter(action="import").order_by("at")
    assert [(e.actor, e.detail["kind"]) for e in events] == [
        (cast.coord, "block schedule"),
        (cast.alice, "own schedule"),
    ]
    assert all("Cardiology" not in str(e.detail) for e in events)
