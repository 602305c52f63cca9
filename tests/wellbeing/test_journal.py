"""The reflection journal: private entries with reframing prompts, shared only as frozen copies."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from tandem.wellbeing import services
from tandem.wellbeing.models import Reflection, SharedReflection

SETBACK = {
    "kind": "setback",
    "what_happened": "Missed the fellowship deadline",
    "opportunity": "Apply next cycle with a stronger paper",
    "advice_to_peer": "One deadline is not a career",
}


def test_the_journal_offers_both_reframing_prompts(cast, client_for):
    page = client_for(cast.alice).get("/journal/").content.decode()
    assert "What opportunity does this open?" in page
    assert "What would you tell your peer if it happened to them?" in page


def test_an_entry_is_written_edited_and_deleted_by_its_author(cast, client_for):
    client = client_for(cast.alice)
    assert client.post("/journal/", SETBACK).status_code == 302
    entry = Reflection.objects.get(user=cast.alice)
    assert entry.opportunity == SETBACK["opportunity"]
    edit = reverse("wellbeing:reflection_edit", args=[entry.pk])
    client.post(edit, {**SETBACK, "what_happened": "Missed it, by a day"})
    entry.refresh_from_db()
    assert entry.what_happened == "Missed it, by a day"
    client.post(reverse("wellbeing:reflection_delete", args=[entry.pk]))
    assert not Reflection.objects.filter(pk=entry.pk).exists()


def test_an_empty_entry_is_refused_and_what_was_typed_is_kept(cast, client_for):
    response = client_for(cast.alice).post(
        "/journal/", {"kind": "win", "what_happened": "  ", "opportunity": "MKKEPT"}
    )
    assert response.status_code == 200
    assert "MKKEPT" in response.content.decode()
    assert not Reflection.objects.exists()
    with pytest.raises(ValidationError):
        services.reflection_create(user=cast.alice, kind="neither", what_happened="x")


def test_entries_are_ciphertext_in_the_database(cast):
    entry = services.reflection_create(user=cast.alice, **SETBACK)
    services.reflection_share(reflection=entry, partnership=cast.partnership, user=cast.alice)
    with connection.cursor() as cursor:
        for table in ("wellbeing_reflection", "wellbeing_sharedreflection"):
            cursor.execute(f"SELECT kind, what_happened, opportunity, advice_to_peer FROM {table}")  # noqa: S608
            for raw in cursor.fetchone():
                assert raw.startswith("enc2:")
                assert "fellowship" not in raw
                assert raw != "setback"


def test_a_shared_copy_stays_as_it_was_until_shared_again(cast, client_for):
    entry = services.reflection_create(user=cast.alice, **SETBACK)
    alice = client_for(cast.alice)
    share = reverse("wellbeing:reflection_share", args=[entry.pk])
    alice.post(share, {"partnership": cast.partnership.pk, "shared": "1"})
    shared_page = reverse("wellbeing:shared", args=[cast.partnership.pk])
    bob = client_for(cast.bob)
    assert "Missed the fellowship deadline" in bob.get(shared_page).content.decode()

    services.reflection_update(reflection=entry, **{**SETBACK, "what_happened": "MKLATEREDIT"})
    assert "MKLATEREDIT" not in bob.get(shared_page).content.decode()
    alice.post(share, {"partnership": cast.partnership.pk, "shared": "1"})
    assert "MKLATEREDIT" in bob.get(shared_page).content.decode()
    assert SharedReflection.objects.count() == 1


def test_unsharing_or_deleting_removes_the_copy(cast, client_for):
    entry = services.reflection_create(user=cast.alice, **SETBACK)
    services.reflection_share(reflection=entry, partnership=cast.partnership, user=cast.alice)
    alice = client_for(cast.alice)
    alice.post(
        reverse("wellbeing:reflection_share", args=[entry.pk]),
        {"partnership": cast.partnership.pk, "shared": "0"},
    )
    assert not SharedReflection.objects.exists()
    services.reflection_share(reflection=entry, partnership=cast.partnership, user=cast.alice)
    alice.post(reverse("wellbeing:reflection_delete", args=[entry.pk]))
    assert not SharedReflection.objects.exists()
    page = client_for(cast.bob).get(reverse("wellbeing:shared", args=[cast.partnership.pk]))
    assert "fellowship" not in page.content.decode()


def test_an_entry_cannot_be_shared_into_an_ended_partnership(cast):
    entry = services.reflection_create(user=cast.alice, **SETBACK)
    cast.partnership.status = "closed"
    cast.partnership.save()
    with pytest.raises(ValidationError):
        services.reflection_share(reflection=entry, partnership=cast.partnership, user=cast.alice)


def test_the_api_covers_create_read_update_and_delete(cast, client_for):
    client = client_for(cast.alice)
    created = client.post("/api/v1/me/reflections", SETBACK, content_type="application/json")
    assert created.status_code == 201
    url = f"/api/v1/me/reflections/{created.json()['id']}"
    assert client.get(url).json()["advice_to_peer"] == SETBACK["advice_to_peer"]
    updated = client.put(url, {**SETBACK, "kind": "win"}, content_type="application/json")
    assert updated.json()["kind"] == "win"
    bad = client.put(url, {**SETBACK, "what_happened": ""}, content_type="application/json")
    assert bad.status_code == 422
    assert client.delete(url).status_code == 204
    assert client.get(url).status_code == 404
