"""Two people with the same name can be told apart in the coordinator's lists."""

from __future__ import annotations

from django.urls import reverse

from tests import factories


def test_namesakes_show_their_own_email_on_the_roster_and_the_people_list(cast, client_for):
    first = factories.participant(cast.cohort, email="alex.g1@example.org", full_name="Alex Garcia")
    second = factories.participant(
        cast.cohort, email="alex.g2@example.org", full_name="Alex Garcia"
    )
    coord = client_for(cast.coord)
    for url in (
        reverse("programs:cohort", args=[cast.program.slug, cast.cohort.slug]),
        reverse("programs:people", args=[cast.program.slug]),
    ):
        page = coord.get(url).content.decode()
        assert page.count("Alex Garcia") == 2
        assert first.email in page
        assert second.email in page
