"""Support resources: seeded as examples, edited by coordinators, shown to their participants."""

from __future__ import annotations

from django.urls import reverse

from tandem.wellbeing.models import ProgramWellbeing, SupportResource
from tests import factories


def test_a_new_program_starts_with_settings_and_example_resources(db):
    program = factories.ProgramFactory()
    assert ProgramWellbeing.objects.get(program=program).pulse_every_days == 14
    names = list(SupportResource.objects.filter(program=program).values_list("name", flat=True))
    assert names == [
        "988 Suicide & Crisis Lifeline (United States)",
        "Physician Support Line (United States)",
    ]
    assert all(SupportResource.objects.filter(program=program).values_list("is_example", flat=True))


def test_a_coordinator_adds_edits_and_removes_resources(cast, client_for):
    client = client_for(cast.coord)
    base = reverse("wellbeing:program_support", args=["riverside"])
    response = client.post(
        reverse("wellbeing:resource_create", args=["riverside"]),
        {
            "name": "Resident Wellness Office",
            "kind": "wellness",
            "phone": "555-0101",
            "url": "https://wellness.example.org",
            "hours": "Mon–Fri 8–5",
            "order": 2,
            "description": "Confidential counselling for trainees.",
        },
    )
    assert response.status_code == 302
    resource = SupportResource.objects.get(name="Resident Wellness Office")
    example = SupportResource.objects.filter(program=cast.program, is_example=True).first()
    client.post(
        reverse("wellbeing:resource_edit", args=["riverside", example.pk]),
        {"name": example.name, "kind": "crisis", "phone": "988", "order": 0},
    )
    example.refresh_from_db()
    assert example.is_example is False
    client.post(reverse("wellbeing:resource_delete", args=["riverside", resource.pk]))
    assert not SupportResource.objects.filter(pk=resource.pk).exists()
    assert "Example — please check" in client.get(base).content.decode()


def test_a_resource_needs_a_way_to_reach_it(cast, client_for):
    response = client_for(cast.coord).post(
        reverse("wellbeing:resource_create", args=["riverside"]),
        {"name": "Nowhere", "kind": "other", "order": 0},
    )
    assert response.status_code == 200
    assert "phone number or a web address" in response.content.decode()


def test_participants_see_their_own_programs_resources_only(cast, client_for):
    SupportResource.objects.create(
        program=cast.program, name="Riverside EAP", kind="assistance", phone="1"
    )
    SupportResource.objects.create(
        program=cast.other_program, name="Lakeside EAP", kind="assistance", phone="2"
    )
    page = client_for(cast.alice).get("/support/").content.decode()
    assert "Riverside EAP" in page
    assert "Lakeside EAP" not in page
    assert "If you need help now" in page


def test_a_crisis_line_is_always_on_the_support_page(cast, client_for):
    SupportResource.objects.filter(kind="crisis").delete()
    page = client_for(cast.alice).get("/support/").content.decode()
    assert "988 Suicide &amp; Crisis Lifeline" in page
    SupportResource.objects.create(
        program=cast.program, name="Samaritans", kind="crisis", phone="116 123"
    )
    page = client_for(cast.alice).get("/support/").content.decode()
    assert "Samaritans" in page
    assert "988 Suicide &amp; Crisis Lifeline" not in page


def test_a_coordinator_sets_the_schedule_and_threshold_within_bounds(cast, client_for):
    url = reverse("wellbeing:program_support", args=["riverside"])
    client = client_for(cast.coord)
    client.post(url, {"pulse_every_days": 21, "burnout_threshold": 4, "supported_threshold": 1})
    settings = ProgramWellbeing.objects.get(program=cast.program)
    assert (settings.pulse_every_days, settings.burnout_threshold) == (21, 4)
    response = client.post(
        url, {"pulse_every_days": 3, "burnout_threshold": 4, "supported_threshold": 1}
    )
    assert response.status_code == 200
    settings.refresh_from_db()
    assert settings.pulse_every_days == 21


def test_reading_a_partners_shared_items_and_exporting_the_aggregate_are_audited(
    cast, planted, client_for
):
    from tandem.audit.models import AuditEvent

    client_for(cast.bob).get(reverse("wellbeing:shared", args=[cast.partnership.pk]))
    read = AuditEvent.objects.get(action=AuditEvent.Action.PRIVATE_READ)
    assert (read.actor, read.target_id) == (cast.bob, str(cast.partnership.pk))
    assert read.detail == {"shared_pulses": 1, "shared_reflections": 1}
    client_for(cast.coord).get(reverse("wellbeing:cohort_csv", args=["riverside", "fall"]))
    export = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (export.actor, export.target_id) == (cast.coord, str(cast.cohort.pk))
