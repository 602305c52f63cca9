"""The coordinator's builder: instruments, questions, order, scales, reverse scoring,
versions that keep past answers intact, the library, the paste-in loader and scheduling."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.surveys import selectors, services
from tandem.surveys.library import LIBRARY, parse_instrument_text
from tandem.surveys.models import Instrument, Item, Survey
from tandem.surveys.report import survey_report
from tests.surveys.conftest import answers


def program_url(cast, name, *args):
    return reverse(f"surveys:{name}", args=[cast.program.slug, *args])


def test_creating_an_instrument_and_adding_a_reverse_scored_question(cast, client_for):
    client = client_for(cast.coord)
    response = client.post(
        program_url(cast, "instrument_create"),
        {"name": "Team climate", "scoring": "sum", "description": "About your team"},
    )
    instrument = Instrument.objects.get(name="Team climate")
    assert response.status_code == 302
    response = client.post(
        program_url(cast, "item_add", instrument.pk),
        {
            "text": "I feel left out.",
            "kind": "likert",
            "scale_min": "1",
            "scale_max": "4",
            "point_labels": "Never\nRarely\nOften\nAlways",
            "reverse_scored": "on",
            "subscale": "Belonging",
            "required": "on",
        },
    )
    assert response.status_code == 302
    item = instrument.latest_version.items.get()
    assert item.points == [(1, "Never"), (2, "Rarely"), (3, "Often"), (4, "Always")]
    assert item.reverse_scored
    assert item.subscale == "Belonging"
    page = client.get(program_url(cast, "instrument", instrument.pk)).content.decode()
    assert "Reverse-scored" in page
    assert "Sum of the items" in page


def test_form_errors_keep_what_was_typed(cast, client_for):
    client = client_for(cast.coord)
    response = client.post(
        program_url(cast, "instrument_create"), {"name": "", "description": "Kept words"}
    )
    assert response.status_code == 200
    assert "Kept words" in response.content.decode()
    instrument = services.instrument_create(program=cast.program, name="Climate")
    response = client.post(
        program_url(cast, "item_add", instrument.pk),
        {"text": "Typed question", "kind": "likert", "scale_min": "5", "scale_max": "5"},
    )
    page = response.content.decode()
    assert "Typed question" in page
    assert "The highest answer must be above the lowest." in page
    assert not Item.objects.exists()


def test_only_two_labels_mean_the_ends_of_the_scale(cast):
    instrument = services.instrument_create(program=cast.program, name="Climate")
    item = services.item_add(
        instrument=instrument,
        text="How often?",
        kind="likert",
        scale_min=1,
        scale_max=5,
        point_labels=["Never", "Always"],
    )
    assert [label for _, label in item.points] == ["Never", "", "", "", "Always"]
    with pytest.raises(ValidationError):
        services.item_add(
            instrument=instrument,
            text="Three labels for five points",
            kind="likert",
            scale_min=1,
            scale_max=5,
            point_labels=["a", "b", "c"],
        )


def test_questions_can_be_reordered(world, cast, client_for):
    instrument = services.instrument_create(program=cast.program, name="Order")
    first = services.item_add(
        instrument=instrument, text="First", kind="number", scale_min=0, scale_max=3
    )
    services.item_add(instrument=instrument, text="Second", kind="number", scale_min=0, scale_max=3)
    client_for(cast.coord).post(
        program_url(cast, "item_move", instrument.pk, first.pk), {"direction": "down"}
    )
    texts = [item.text for item in selectors.items_of(instrument.latest_version)]
    assert texts == ["Second", "First"]


def test_editing_a_used_instrument_makes_a_new_version_and_keeps_past_answers(
    world, cast, client_for
):
    services.response_submit(wave=world.baseline, user=cast.alice, answers=answers())
    before = survey_report(world.survey).score_range
    old_item = world.survey.version.items.get(key="a")
    client_for(cast.coord).post(
        program_url(cast, "item_edit", world.instrument.pk, old_item.pk),
        {
            "text": "Reworded",
            "kind": "likert",
            "scale_min": "1",
            "scale_max": "7",
            "point_labels": "",
            "required": "on",
        },
    )
    world.instrument.refresh_from_db()
    assert world.instrument.latest_version.number == 2
    assert world.instrument.latest_version.items.get(key="a").text == "Reworded"
    old_item.refresh_from_db()
    assert old_item.text == "I trust my peer."
    assert old_item.scale_max == 5
    world.survey.refresh_from_db()
    assert world.survey.version.number == 1
    assert survey_report(world.survey).score_range == before
    # A second edit goes to the same new version, not a third one.
    services.item_delete(item=world.instrument.latest_version.items.get(key="c"))
    assert world.instrument.versions.count() == 2
    assert world.survey.version.items.filter(key="c").exists()


def test_tandems_library_instruments_can_be_added(cast, client_for):
    response = client_for(cast.coord).post(
        program_url(cast, "instrument_library"), {"slug": "peer-mentoring-experience"}
    )
    assert response.status_code == 302
    instrument = Instrument.objects.get(program=cast.program)
    items = selectors.items_of(instrument.latest_version)
    assert len(items) == len(LIBRARY["peer-mentoring-experience"].items)
    assert sum(item.reverse_scored for item in items) == 3
    assert {item.subscale for item in items} == {"Trust", "Shared goals", "Resiliency", ""}
    assert not instrument.is_validated


def test_pasted_instrument_text_is_parsed_into_scales_subscales_and_reversed_items():
    parsed = parse_instrument_text(
        "# from our licensed copy\n"
        "scale: 1-7\n"
        "labels: Low | High\n"
        "[Communication]\n"
        "1. Listening well\n"
        "2) Giving feedback (R)\n"
        "[Independence]\n"
        "R: Doing it for them\n"
        "text: Anything else?\n"
    )
    first, second, third, fourth = parsed.items
    assert (first.text, first.scale_min, first.scale_max, first.subscale) == (
        "Listening well",
        1,
        7,
        "Communication",
    )
    assert first.point_labels == ("Low", "", "", "", "", "", "High")
    assert (second.text, second.reverse_scored) == ("Giving feedback", True)
    assert (third.text, third.reverse_scored, third.subscale) == (
        "Doing it for them",
        True,
        "Independence",
    )
    assert fourth.kind == "text"


def test_a_bad_paste_names_the_line_and_creates_nothing(cast, client_for):
    response = client_for(cast.coord).post(
        program_url(cast, "instrument_import"),
        {"name": "MCA-21", "scoring": "mean", "text": "scale: 1-7\nlabels: a | b | c\nItem"},
    )
    page = response.content.decode()
    assert "Line 2" in page
    assert "labels: a | b | c" in page  # what was pasted is still there
    assert not Instrument.objects.exists()


def test_scheduling_a_survey_makes_waves_from_the_cohort_start(cast, client_for):
    instrument = services.instrument_from_library(program=cast.program, slug="career-confidence")
    response = client_for(cast.coord).post(
        program_url(cast, "survey_create"),
        {
            "cohort": cast.cohort.pk,
            "instrument": instrument.pk,
            "offsets_months": "0, 3, 12",
            "window_days": "21",
        },
    )
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert survey.title == instrument.name
    waves = list(survey.waves.order_by("offset_months"))
    assert [wave.label for wave in waves] == ["Baseline", "3 months", "12 months"]
    assert waves[0].opens_on == cast.cohort.starts_on
    assert waves[1].opens_on == services.add_months(cast.cohort.starts_on, 3)
    assert waves[2].closes_on - waves[2].opens_on == dt.timedelta(days=20)


def test_a_bad_schedule_keeps_what_was_typed(cast, client_for):
    instrument = services.instrument_create(program=cast.program, name="Empty")
    response = client_for(cast.coord).post(
        program_url(cast, "survey_create"),
        {
            "cohort": cast.cohort.pk,
            "instrument": instrument.pk,
            "offsets_months": "0, 3, 99",
            "window_days": "14",
        },
    )
    page = response.content.decode()
    assert "0, 3, 99" in page
    assert "Add questions to the instrument first." in page
    assert not Survey.objects.exists()


def test_another_programs_instrument_cannot_be_scheduled(cast, client_for):
    other = services.instrument_from_library(program=cast.other_program, slug="career-confidence")
    response = client_for(cast.coord).post(
        program_url(cast, "survey_create"),
        {
            "cohort": cast.cohort.pk,
            "instrument": other.pk,
            "offsets_months": "0",
            "window_days": "14",
        },
    )
    assert response.status_code == 200
    assert not Survey.objects.exists()
    url = reverse("surveys:instrument", args=[cast.program.slug, other.pk])
    assert client_for(cast.coord).get(url).status_code == 404


def test_month_arithmetic_keeps_to_the_months_last_day():
    assert services.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert services.add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)


def test_a_question_of_an_older_version_is_not_found(world, cast, client_for):
    old_item = world.survey.version.items.get(key="c")
    services.item_delete(item=old_item)  # version 2 is made without it
    client = client_for(cast.coord)
    edit = reverse("surveys:item_edit", args=[cast.program.slug, world.instrument.pk, old_item.pk])
    assert client.get(edit).status_code == 404
    delete = reverse(
        "surveys:item_delete", args=[cast.program.slug, world.instrument.pk, old_item.pk]
    )
    assert client.post(delete).status_code == 404
