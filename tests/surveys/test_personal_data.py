"""A person's survey answers are in their data download, and go with their account."""

from __future__ import annotations

import json

from django.urls import reverse

from tandem.surveys import services
from tandem.surveys.models import Answer, Response
from tests.factories import PASSWORD
from tests.surveys.conftest import answers


def test_the_download_holds_the_persons_own_answers_and_no_one_elses(world, cast, client_for):
    services.response_submit(wave=world.baseline, user=cast.alice, answers=answers(note="MINE"))
    services.response_submit(wave=world.baseline, user=cast.bob, answers=answers(note="BOBS"))
    response = client_for(cast.alice).post(reverse("privacy:download"), {"format": "json"})
    content = response.content.decode()
    rows = json.loads(content)["sections"]["surveys"]["answers"]
    assert [(row["question"], row["answer"]) for row in rows] == [
        ("I trust my peer.", 4),
        ("I hold back with my peer.", 2),
        ("We talk goals.", 3),
        ("Confidence 0-10", 7),
        ("Anything else?", "MINE"),
    ]
    assert rows[0]["wave"] == "Baseline"
    assert "BOBS" not in content


def test_deleting_the_account_deletes_the_persons_answers(world, cast, client_for):
    services.response_submit(wave=world.baseline, user=cast.alice, answers=answers(note="MINE"))
    services.response_submit(wave=world.baseline, user=cast.bob, answers=answers(note="BOBS"))
    client_for(cast.alice).post(reverse("privacy:delete"), {"confirmation": PASSWORD})
    assert list(Response.objects.values_list("user__email", flat=True)) == ["bob@example.org"]
    assert [answer.text for answer in Answer.objects.all() if answer.text] == ["BOBS"]


def test_deleting_a_program_deletes_its_surveys_and_answers(world, cast):
    services.response_submit(wave=world.baseline, user=cast.alice, answers=answers())
    cast.program.delete()
    assert not Response.objects.exists()
