"""A database administrator who copies one row's ciphertext into another row or field (with raw
SQL, past the application) does not make it readable there: the value is bound to its model,
field and row, so it fails loudly instead of showing another person's words."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.urls import reverse

from tandem.core import crypto
from tandem.surveys.models import Answer
from tandem.wellbeing import services as wellbeing
from tandem.wellbeing.models import Pulse
from tandem.workspace.models import ActionItem, Goal, Note
from tests import factories
from tests.workspace import factories as wf

SECRET = "Erin's private worry about the fellowship interview"


def raw(model, field: str, pk: int) -> str:
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def overwrite(model, field: str, pk: int, stored: str) -> None:
    """What a database administrator can do: write a column directly."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [stored, pk])  # noqa: S608


@pytest.fixture
def other_pair(cast):
    erin = factories.participant(cast.cohort, email="erin@example.org", full_name="Erin Estes")
    pair = factories.partnership(cast.cohort, [cast.carol, erin])
    wf.sign_agreement(pair)
    wf.sign_agreement(cast.partnership)
    return pair, erin


def test_a_new_row_is_stored_bound_to_its_own_id(cast, other_pair):
    note = wf.note(cast.partnership, cast.alice, "Bound from the first write")
    stored = raw(Note, "body", note.pk)
    assert stored.startswith(crypto.PREFIX)
    assert "Bound" not in stored
    place = f"workspace.note.body:{note.pk}"
    assert crypto.decrypt(stored, binding=place) == "Bound from the first write"
    assert Note.objects.get(pk=note.pk).body == "Bound from the first write"


def test_a_note_copied_into_another_partnerships_note_does_not_read_there(
    cast, other_pair, client_for
):
    pair, erin = other_pair
    secret_note = wf.note(pair, erin, SECRET)
    alices_note = wf.note(cast.partnership, cast.alice, "Alice's own note")
    overwrite(Note, "body", alices_note.pk, raw(Note, "body", secret_note.pk))

    with pytest.raises(crypto.UndecryptableValue):
        Note.objects.get(pk=alices_note.pk).body  # noqa: B018
    alice = client_for(cast.alice)
    alice.raise_request_exception = False
    page = alice.get(reverse("workspace:notes", args=[cast.partnership.pk]))
    assert page.status_code == 500
    assert SECRET not in page.content.decode()
    # Erin's own note is untouched and still reads for her.
    assert Note.objects.get(pk=secret_note.pk).body == SECRET


def test_a_value_copied_between_fields_of_the_same_row_does_not_read(cast, other_pair):
    goal = wf.goal(cast.partnership, cast.alice, "Submit the K award", measure="Submitted")
    overwrite(Goal, "measure", goal.pk, raw(Goal, "title", goal.pk))
    fresh = Goal.objects.get(pk=goal.pk)
    assert fresh.title == "Submit the K award"
    with pytest.raises(crypto.UndecryptableValue):
        fresh.measure  # noqa: B018


def test_a_value_copied_to_another_table_with_the_same_id_does_not_read(cast, other_pair):
    note = wf.note(cast.partnership, cast.alice, SECRET)
    item = wf.action_item(cast.partnership, cast.bob, "Book the room")
    ActionItem.objects.filter(pk=item.pk).update(partnership=cast.partnership)
    # Same id in both tables, so only the model and field tell the places apart.
    overwrite(
        ActionItem,
        "text",
        item.pk,
        crypto.encrypt(SECRET, binding=f"workspace.note.body:{item.pk}"),
    )
    with pytest.raises(crypto.UndecryptableValue):
        ActionItem.objects.get(pk=item.pk).text  # noqa: B018
    assert Note.objects.get(pk=note.pk).body == SECRET


def test_a_check_in_copied_from_one_person_to_another_does_not_read(cast):
    alices = wellbeing.pulse_record(user=cast.alice, burnout=5, supported=1, word="drowning")
    bobs = wellbeing.pulse_record(user=cast.bob, burnout=1, supported=5, word="fine")
    overwrite(Pulse, "burnout", bobs.pk, raw(Pulse, "burnout", alices.pk))
    with pytest.raises(crypto.UndecryptableValue):
        Pulse.objects.get(pk=bobs.pk).burnout  # noqa: B018
    assert Pulse.objects.get(pk=alices.pk).burnout == 5


def test_an_old_unbound_value_still_reads_and_rotate_keys_binds_it(cast, other_pair):
    note = wf.note(cast.partnership, cast.alice, "placeholder")
    legacy = crypto.LEGACY_PREFIX + crypto._multifernet(crypto.configured_keys()).encrypt(
        b"Written by an older Tandem"
    ).decode("ascii")
    overwrite(Note, "body", note.pk, legacy)
    assert Note.objects.get(pk=note.pk).body == "Written by an older Tandem"

    out = io.StringIO()
    call_command("rotate_keys", stdout=out)
    assert "workspace.Note.body: 1 re-encrypted (1 moved to the row-bound format)" in out.getvalue()
    stored = raw(Note, "body", note.pk)
    assert stored.startswith(crypto.PREFIX)
    assert crypto.decrypt(stored, binding=f"workspace.note.body:{note.pk}") == (
        "Written by an older Tandem"
    )
    with override_settings(FIELD_ENCRYPTION_READ_UNBOUND=False):
        assert Note.objects.get(pk=note.pk).body == "Written by an older Tandem"
        overwrite(Note, "body", note.pk, legacy)
        with pytest.raises(crypto.UndecryptableValue, match="unbound"):
            Note.objects.get(pk=note.pk).body  # noqa: B018


def test_rotate_keys_refuses_a_value_copied_from_another_row(cast, other_pair):
    first = wf.note(cast.partnership, cast.alice, "first")
    second = wf.note(cast.partnership, cast.alice, "second")
    overwrite(Note, "body", second.pk, raw(Note, "body", first.pk))
    with pytest.raises(Exception, match=r"workspace\.Note\.body: 1"):
        call_command("rotate_keys", stdout=io.StringIO())


def test_writes_that_cannot_name_their_row_are_refused(cast, other_pair):
    note = wf.note(cast.partnership, cast.alice, "kept")
    with pytest.raises(crypto.UnboundWrite), transaction.atomic():
        Note.objects.filter(pk=note.pk).update(body="overwritten")
    assert Note.objects.get(pk=note.pk).body == "kept"


def test_encrypted_update_seals_each_row_for_itself(cast, other_pair):
    notes = [wf.note(cast.partnership, cast.alice, f"note {index}") for index in range(3)]
    written = crypto.encrypted_update(Note.objects.filter(partnership=cast.partnership), body="")
    assert written == 3
    stored = {raw(Note, "body", note.pk) for note in notes}
    assert len(stored) == 3
    assert [note.body for note in Note.objects.filter(partnership=cast.partnership)] == [""] * 3


def test_bulk_created_rows_are_bound_to_their_own_ids(cast):
    from django.utils import timezone

    from tandem.surveys.models import Item, Response
    from tests.surveys.builders import cast_survey

    survey = cast_survey(cast)
    now = timezone.now()
    response = Response.objects.create(
        wave=survey.waves.first(), user=cast.alice, submitted_at=now, updated_at=now
    )
    note, other = Item.objects.filter(version=survey.version, key__in=["note", "a"])
    one_by_one = Answer.objects.bulk_create([Answer(response=response, item=note, text="one")])
    reserved = crypto.primary_keys_assign([Answer(response=response, item=other, text="two")])
    Answer.objects.bulk_create(reserved)
    for answer, text in ((one_by_one[0], "one"), (reserved[0], "two")):
        stored = raw(Answer, "text", answer.pk)
        assert crypto.decrypt(stored, binding=f"surveys.answer.text:{answer.pk}") == text
        assert Answer.objects.get(pk=answer.pk).text == text
