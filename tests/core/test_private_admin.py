"""The admin never shows or edits encrypted fields: they read "[private]"."""

from __future__ import annotations

from django.contrib import admin

from tandem.core.crypto import encrypted_fields
from tests.workspace import factories as wf


def test_every_model_with_encrypted_fields_hides_them_in_the_admin(cast, client_for, rf):
    olga = client_for(cast.olga)
    wf.sign_agreement(cast.partnership)
    note = wf.note(cast.partnership, cast.alice, "Admin must not see this")
    response = olga.get(f"/admin/workspace/note/{note.pk}/change/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "[private]" in text
    assert "Admin must not see this" not in text
    assert 'name="body"' not in text
    request = rf.get("/")
    request.user = cast.olga
    for model, field in encrypted_fields():
        # A model kept out of the admin altogether (schedules) shows nothing there at all.
        if model not in admin.site._registry:
            continue
        model_admin = admin.site._registry[model]
        assert field.name in model_admin.get_exclude(request)
        assert field.name not in model_admin.get_list_display(request)
        assert field.name not in model_admin.get_fields(request)
