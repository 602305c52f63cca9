"""The agreement: the workspace shows only it until every member signs; amendments take
effect when every member signs the new version; the program's template is the start."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tandem.workspace import selectors, services
from tandem.workspace.models import DEFAULT_AGREEMENT, AgreementVersion


def test_until_everyone_signs_the_workspace_shows_only_the_agreement(cast, client_for):
    pair = cast.partnership.pk
    alice = client_for(cast.alice)
    for name in ("workspace:home", "workspace:notes", "workspace:goals", "workspace:meetings"):
        response = alice.get(reverse(name, args=[pair]))
        assert response.status_code == 302
        assert response["Location"] == reverse("workspace:agreement", args=[pair])
    page = alice.get(reverse("workspace:agreement", args=[pair])).content.decode()
    assert "Confidentiality" in page
    assert "I agree" in page
    assert "Workspace sections" not in page  # no tabs into the rest yet

    alice.post(reverse("workspace:agreement", args=[pair]))
    assert alice.get(reverse("workspace:notes", args=[pair])).status_code == 302
    client_for(cast.bob).post(reverse("workspace:agreement", args=[pair]))
    assert alice.get(reverse("workspace:notes", args=[pair])).status_code == 200
    signed = AgreementVersion.objects.get(partnership=cast.partnership, number=1)
    assert signed.effective_at is not None
    assert {s.user for s in signed.signatures.all()} == {cast.alice, cast.bob}


def test_the_api_refuses_until_the_agreement_is_signed(cast, client_for):
    response = client_for(cast.alice).get(f"/api/v1/partnerships/{cast.partnership.pk}/notes")
    assert response.status_code == 403


def test_the_agreement_starts_from_the_programs_edited_template(cast, client_for):
    coord = client_for(cast.coord)
    url = reverse("workspace_staff:agreement_template", args=["riverside"])
    assert DEFAULT_AGREEMENT.splitlines()[0] in coord.get(url).content.decode()
    response = coord.post(url, {"text": "We meet **every other Tuesday**."})
    assert response.status_code == 302
    page = client_for(cast.alice).get(reverse("workspace:agreement", args=[cast.partnership.pk]))
    assert "<strong>every other Tuesday</strong>" in page.content.decode()


def test_an_empty_template_is_refused_and_the_form_keeps_its_page(cast, client_for):
    url = reverse("workspace_staff:agreement_template", args=["riverside"])
    response = client_for(cast.coord).post(url, {"text": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_an_amendment_takes_effect_only_when_everyone_signs(signed, client_for):
    pair = signed.partnership
    with_outbox = len(mail.outbox)
    response = client_for(signed.alice).post(
        reverse("workspace:agreement_amend", args=[pair.pk]), {"text": "We meet weekly."}
    )
    assert response.status_code == 302
    assert selectors.agreement_current(pair).number == 1
    pending = selectors.agreement_pending(pair)
    assert pending.number == 2
    assert pending.proposed_by == signed.alice
    assert [s.user for s in pending.signatures.all()] == [signed.alice]
    # The workspace stays open under version 1 meanwhile.
    assert client_for(signed.bob).get(reverse("workspace:notes", args=[pair.pk])).status_code == 200

    client_for(signed.bob).post(reverse("workspace:agreement", args=[pair.pk]))
    current = selectors.agreement_current(pair)
    assert current.number == 2
    assert current.text == "We meet weekly."
    history = client_for(signed.bob).get(reverse("workspace:agreement", args=[pair.pk]))
    assert "In force from" in history.content.decode()
    assert len(selectors.agreement_versions(pair)) == 2
    assert len(mail.outbox) >= with_outbox


def test_partner_is_emailed_about_an_amendment_without_its_text(
    signed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_propose(
            partnership=signed.partnership, user=signed.alice, text="Off-limits: my divorce."
        )
    [message] = mail.outbox
    assert message.to == ["bob@example.org"]
    assert "divorce" not in message.body
    assert "Alice" in message.body


def test_a_newer_proposal_replaces_a_pending_one(signed):
    pair = signed.partnership
    first = services.agreement_propose(partnership=pair, user=signed.alice, text="Draft A")
    second = services.agreement_propose(partnership=pair, user=signed.bob, text="Draft B")
    first.refresh_from_db()
    assert first.withdrawn_at is not None
    assert selectors.agreement_pending(pair) == second
    with pytest.raises(Exception, match="no longer open"):
        services.agreement_sign(version=first, user=signed.bob)


def test_signing_twice_keeps_one_signature(cast):
    version = services.agreement_start(partnership=cast.partnership)
    services.agreement_sign(version=version, user=cast.alice)
    services.agreement_sign(version=version, user=cast.alice)
    assert version.signatures.count() == 1
    assert version.effective_at is None or not selectors.agreement_in_force(cast.partnership)
