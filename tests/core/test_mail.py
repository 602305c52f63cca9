"""Plain-text email shows names as typed: no HTML escaping of apostrophes or ampersands."""

from __future__ import annotations

from tandem.core.mail import render_email
from tandem.programs import services


def test_plain_text_email_is_not_html_escaped(cast):
    cast.coord.full_name = "Cora O'Neil & Partners"
    cast.coord.save()
    invitation, token = services.invitation_create(
        program=cast.program,
        cohort=cast.cohort,
        email="x@example.org",
        invited_by=cast.coord,
        send=False,
    )
    subject, body = render_email(
        "programs/email/invitation",
        {"invitation": invitation, "token": token, "inviter": cast.coord},
    )
    assert "Cora O'Neil & Partners has invited you" in body
    assert "&amp;" not in body
    assert "&#x27;" not in body
    assert "\n" not in subject
