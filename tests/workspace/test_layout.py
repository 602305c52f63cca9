"""The frame every workspace page shares: the breadcrumb names the partners, and the tabs."""

from __future__ import annotations

import re

from django.urls import reverse

from tests import factories
from tests.workspace.factories import sign_agreement


def _breadcrumb(page) -> str:
    html = page.content.decode()
    found = re.search(r'<p class="breadcrumbs">(.*?)</p>', html, re.S)
    assert found, "the page has no breadcrumb"
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_the_breadcrumb_of_a_pair_names_the_partner_without_a_trailing_comma(signed, client_for):
    for viewer, partner in ((signed.alice, "Bob"), (signed.bob, "Alice")):
        page = client_for(viewer).get(reverse("workspace:home", args=[signed.partnership.pk]))
        assert _breadcrumb(page) == f"Partnerships › With {partner}"


def test_the_breadcrumb_of_a_triad_lists_both_partners(cast, client_for):
    erin = factories.participant(cast.cohort, email="erin@example.org", full_name="Erin Evans")
    finn = factories.participant(cast.cohort, email="finn@example.org", full_name="Finn Ford")
    triad = factories.partnership(cast.cohort, [cast.carol, erin, finn])
    sign_agreement(triad)
    page = client_for(finn).get(reverse("workspace:notes", args=[triad.pk]))
    assert _breadcrumb(page) == "Partnerships › With Carol, Erin › Notes"
