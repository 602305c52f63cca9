"""Participants see their open surveys, answer once per wave, and can change answers until
the wave closes; free text is stored encrypted and shown to its author alone."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from tandem.core.crypto import PREFIX
from tandem.surveys import selectors, services
from tandem.surveys.models import Answer, Response
from tests.surveys.conftest import answers


def test_open_waves_list_only_the_persons_cohort(world, cast, client_for):
    page = client_for(cast.alice).get(reverse("surveys:list")).content.decode()
    assert "Peer check" in page
    assert reverse("surveys:answer", args=[world.baseline.pk]) in page
    # The 3-month wave is not open yet, and Dave is in another program.
    assert reverse("surveys:answer", args=[world.later.pk]) not in page
    assert "Peer check" not in client_for(cast.dave).get(reverse("surveys:list")).content.decode()


def test_answering_saves_one_response_and_editing_replaces_it(world, cast, client_for):
    client = client_for(cast.alice)
    url = reverse("surveys:answer", args=[world.baseline.pk])
    response = client.post(url, {"a": "4", "b": "2", "c": "3", "d": "7", "note": "Mine alone"})
    assert response.status_code == 302
    response = client.post(url, {"a": "5", "b": "1", "c": "5", "d": "10"})
    assert response.status_code == 302
    assert Response.objects.filter(wave=world.baseline, user=cast.alice).count() == 1
    assert selectors.own_answers(world.baseline, cast.alice) == {
        "a": 5,
        "b": 1,
        "c": 5,
        "d": 10,
    }
    page = client.get(url).content.decode()
    assert "Save my changes" in page
    assert 'value="10"' in page


def test_a_form_error_keeps_what_was_typed_and_saves_nothing(world, cast, client_for):
    url = reverse("surveys:answer", args=[world.baseline.pk])
    response = client_for(cast.alice).post(url, {"a": "4", "d": "11", "note": "Half-typed thought"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Half-typed thought" in page
    assert 'value="11"' in page
    assert "Please answer this question." in page or "This field is required." in page
    assert not Response.objects.filter(user=cast.alice).exists()


def test_free_text_is_stored_as_ciphertext(world, cast):
    services.response_submit(
        wave=world.baseline, user=cast.alice, answers=answers(note="SECRETNOTE")
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM surveys_answer WHERE text <> ''")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored
    assert all(value.startswith(PREFIX) for value in stored)
    assert all("SECRETNOTE" not in value for value in stored)
    assert Answer.objects.get(item__key="note").text == "SECRETNOTE"


def test_people_outside_the_cohort_cannot_answer(world, cast):
    with pytest.raises(ValidationError):
        services.response_submit(wave=world.baseline, user=cast.dave, answers=answers())


def test_a_closed_wave_refuses_answers_and_is_not_found(world, cast, client_for):
    services.response_submit(wave=world.baseline, user=cast.alice, answers=answers())
    after_close = world.baseline.closes_on + dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(after_close, dt.time(12)), tick=False):
        with pytest.raises(ValidationError):
            services.response_submit(wave=world.baseline, user=cast.alice, answers=answers(a=1))
        url = reverse("surveys:answer", args=[world.baseline.pk])
        assert client_for(cast.alice).get(url).status_code == 404
    assert selectors.own_answers(world.baseline, cast.alice)["a"] == 4


def test_a_bad_answer_writes_nothing(world, cast):
    with pytest.raises(ValidationError) as error:
        services.response_submit(wave=world.baseline, user=cast.alice, answers=answers(b=9))
    assert "b" in error.value.message_dict
    assert not Response.objects.exists()


def test_unknown_questions_are_an_error(world, cast):
    with pytest.raises(ValidationError):
        services.response_submit(
            wave=world.baseline, user=cast.alice, answers={**answers(), "zz": 1}
        )


@pytest.mark.parametrize("actor", ["carol", "dave", "coord", "rhea", "olga", "other_coord"])
def test_nobody_else_sees_a_persons_answer_page_contents(world, cast, client_for, actor):
    services.response_submit(
        wave=world.baseline, user=cast.alice, answers=answers(note="ALICEONLY")
    )
    url = reverse("surveys:answer", args=[world.baseline.pk])
    response = client_for(getattr(cast, actor)).get(url)
    assert "ALICEONLY" not in response.content.decode()
    # Carol is in the cohort: she gets her own empty form, never Alice's answers.
    assert response.status_code == (200 if actor == "carol" else 404)
