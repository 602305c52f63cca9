"""Roster, exclusion and lock files: every problem reported once, with its line and column."""

from __future__ import annotations

from tandem.engine.roster import (
    build_constraints,
    exclusion_kind,
    parse_exclusions,
    parse_locks,
    parse_roster,
)

HEADER = "id,name,email,stage,specialty,offers,seeks,main_thing,specialty_preference,evaluates"


def roster(*lines: str, header: str = HEADER) -> str:
    return "\n".join((header, *lines)) + "\n"


def test_valid_roster_is_normalised_to_the_program_spelling() -> None:
    text = roster(
        'a1,Ann,ann@example.org,pgy2,Surgery,Research; GRANTS,teaching,"Publish, then teach",'
        "Different,b2",
        "b2,Ben,ben@example.org,PGY3,,,,,,",
    )
    rows, errors = parse_roster(text, require_contact=True)
    assert errors == []
    ann = rows[0]
    assert ann.stage == "PGY2"
    assert ann.stage_index == 5
    assert ann.offers == frozenset({"research", "grants"})
    assert ann.specialty_preference == "different"
    assert ann.evaluates == ("b2",)
    assert rows[1].specialty_preference == "any"


def test_byte_order_mark_is_accepted() -> None:
    rows, errors = parse_roster("\ufeff" + roster("a1,,,MS1,,,,,,"), require_contact=False)
    assert errors == []
    assert [r.id for r in rows] == ["a1"]


def test_unknown_column_is_an_error_on_line_one() -> None:
    _, errors = parse_roster(roster("a1,MS1,x", header="id,stage,hobby"), require_contact=False)
    assert len(errors) == 1
    assert errors[0].line == 1
    assert errors[0].column == "hobby"
    assert "unknown column 'hobby'" in errors[0].message


def test_missing_required_columns_are_reported() -> None:
    _, errors = parse_roster(roster("a1", header="id"), require_contact=True)
    missing = {e.column for e in errors if "required column" in e.message}
    assert missing == {"stage", "name", "email"}


def test_unknown_stage_names_the_line_and_the_ladder() -> None:
    _, errors = parse_roster(roster("a1,,,MS1,,,,,,", "b2,,,PGY9,,,,,,"), require_contact=False)
    assert len(errors) == 1
    assert str(errors[0]).startswith(
        "line 3, column stage: unknown stage 'PGY9'; the ladder is MS1"
    )


def test_duplicate_id_points_at_the_first_use() -> None:
    _, errors = parse_roster(
        roster("a1,,,MS1,,,,,,", "b2,,,MS1,,,,,,", "a1,,,MS2,,,,,,"), require_contact=False
    )
    assert len(errors) == 1
    assert (errors[0].line, errors[0].column) == (4, "id")
    assert "duplicate id 'a1' (first used on line 2)" in errors[0].message


def test_self_evaluation_and_unknown_evaluatee_are_errors() -> None:
    _, errors = parse_roster(roster("a1,,,MS1,,,,,,a1", "b2,,,MS1,,,,,,zz"), require_contact=False)
    assert [(e.line, e.column) for e in errors] == [(2, "evaluates"), (3, "evaluates")]
    assert "lists themselves" in errors[0].message
    assert "'zz', which is not an id" in errors[1].message


def test_all_errors_are_collected_not_just_the_first() -> None:
    text = roster(
        "a1,,not-an-email,MS1,,juggling,,,sometimes,",
        "a1,,,MS9,,,,,,",
        ",,,MS1,,,,,,",
    )
    _, errors = parse_roster(text, require_contact=True)
    found = {(e.line, e.column) for e in errors}
    assert {
        (2, "email"),
        (2, "offers"),
        (2, "specialty_preference"),
        (2, "name"),
        (3, "id"),
        (3, "stage"),
        (4, "id"),
    } <= found


def test_contact_columns_are_optional_offline() -> None:
    rows, errors = parse_roster(roster("a1,,,MS1,,,,,,"), require_contact=False)
    assert errors == []
    assert rows[0].email == ""


def test_quoted_multiline_field_keeps_line_numbers_right() -> None:
    text = roster('a1,,,MS1,,,,"two\nlines",,', "b2,,,MS0,,,,,,")
    _, errors = parse_roster(text, require_contact=False)
    assert [(e.line, e.column) for e in errors] == [(4, "stage")]


def test_ragged_row_is_reported() -> None:
    _, errors = parse_roster(roster("a1,,,MS1"), require_contact=False)
    assert errors[0].line == 2
    assert "expected 10 fields" in errors[0].message


def test_custom_ladder_and_topics() -> None:
    text = "id,stage,offers\nx,Junior,Cooking\ny,Senior,cooking\n"
    rows, errors = parse_roster(
        text, ladder=("Junior", "Senior"), topics=("Cooking",), require_contact=False
    )
    assert errors == []
    assert [r.stage_index for r in rows] == [0, 1]


def test_exclusions_self_exclusion_and_unknown_id_have_line_numbers() -> None:
    text = "a,b,reason\nx,y,blocked\nx,x,oops\nx,zz,previous partner\n"
    rows, errors = parse_exclusions(text, ["x", "y"])
    assert [(r.a, r.b, r.kind) for r in rows] == [("x", "y", "blocked")]
    assert [(e.line, e.column) for e in errors] == [(3, "b"), (4, "b")]
    assert "cannot be excluded from themselves" in errors[0].message


def test_exclusion_kinds_from_reasons() -> None:
    assert exclusion_kind("Evaluator") == "evaluator"
    assert exclusion_kind("supervises in clinic") == "evaluator"
    assert exclusion_kind("previous partner 2024") == "previous_partner"
    assert exclusion_kind("forbidden by coordinator") == "coordinator"
    assert exclusion_kind("") == "blocked"


def test_locks_accept_an_earlier_output_file() -> None:
    text = "group,id,score\n1,x,55.0\n1,y,55.0\n2,z,40\n2,x,40\n"
    groups, errors = parse_locks(text, ["x", "y", "z"])
    assert groups == [("x", "y"), ("z",)]
    assert [(e.line, e.column) for e in errors] == [(5, "id")]


def test_constraints_combine_evaluates_exclusions_and_locks() -> None:
    rows, _ = parse_roster(
        roster("a1,,,MS1,,,,,,b2", "b2,,,MS1,,,,,,", "c3,,,MS1,,,,,,"), require_contact=False
    )
    excl, _ = parse_exclusions("a,b,reason\nb2,c3,previous\n", ["a1", "b2", "c3"])
    cons = build_constraints(rows, excl, [("a1", "c3")])
    assert {(f.a, f.b, f.kind) for f in cons.forbidden} == {
        ("a1", "b2", "evaluator"),
        ("b2", "c3", "previous_partner"),
    }
    assert cons.locked == (("a1", "c3"),)


def test_availability_slots_read_as_words_in_week_order():
    from tandem.engine.roster import slot_words, slots_in_order

    assert slot_words("mon-am") == "Monday mornings"
    assert slot_words("SAT-eve") == "Saturday evenings"
    assert slot_words("someday") == "someday"
    assert slots_in_order(["thu-pm", "mon-eve", "mon-am", "odd"]) == [
        "mon-am",
        "mon-eve",
        "thu-pm",
        "odd",
    ]
