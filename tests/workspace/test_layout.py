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


def _tabs(page) -> list[tuple[str, str, bool]]:
    html = page.content.decode()
    nav = re.search(r'<nav class="workspace-tabs"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "the page has no workspace tabs"
    return [
        (href, label, "aria-current" in attrs)
        for href, attrs, label in re.findall(r'<a href="([^"]+)"([^>]*)>([^<]+)</a>', nav.group(1))
    ]


WELLBEING_TABS = (
    ("wellbeing:kudos", "Kudos"),
    ("wellbeing:shared", "Shared"),
    ("wellbeing:marathon", "Marathon"),
)


def test_the_tabs_lead_to_kudos_shared_and_the_marathon(signed, client_for):
    pair = signed.partnership.pk
    tabs = _tabs(client_for(signed.alice).get(reverse("workspace:home", args=[pair])))
    labels = [label for _href, label, _current in tabs]
    assert labels == [
        "Overview",
        "Notes",
        "Goals",
        "Meetings",
        "When can we meet?",
        "Action items",
        "Kudos",
        "Shared",
        "Marathon",
        "Accountability",
        "Agreement",
    ]
    for name, label in WELLBEING_TABS:
        assert (reverse(name, args=[pair]), label, False) in tabs


def test_the_wellbeing_pages_sit_in_the_workspace_frame_with_their_tab_marked(signed, client_for):
    pair = signed.partnership.pk
    client = client_for(signed.bob)
    for name, label in WELLBEING_TABS:
        page = client.get(reverse(name, args=[pair]))
        assert page.status_code == 200
        current = [tab_label for _href, tab_label, is_current in _tabs(page) if is_current]
        assert current == [label]
        title = {"Shared": "Shared with each other", "Marathon": "The marathon"}.get(label, label)
        assert _breadcrumb(page) == f"Partnerships › With Alice › {title}"
        assert f"<h1>{title}</h1>" in page.content.decode()
        # The main menu's Partnership entry is marked too: this is the partnership area.
        assert re.search(
            r'<a href="/partnerships/" aria-current="page">Partnership</a>', page.content.decode()
        )


def test_the_wellbeing_pages_and_kudos_api_use_the_workspace_door(cast, client_for):
    proposed = factories.partnership(
        cast.cohort, [cast.carol, factories.participant(cast.cohort)], status="proposed"
    )
    client = client_for(cast.carol)
    for name, _label in WELLBEING_TABS:
        assert client.get(reverse(name, args=[proposed.pk])).status_code == 404
    assert client.get(f"/api/v1/partnerships/{proposed.pk}/kudos").status_code == 404


def test_a_closed_partnership_shows_the_read_only_notice_on_the_wellbeing_pages(signed, client_for):
    from tandem.partnerships.services import partnership_close

    partnership_close(partnership=signed.partnership)
    page = client_for(signed.alice).get(reverse("wellbeing:kudos", args=[signed.partnership.pk]))
    text = page.content.decode()
    assert "This partnership ended on" in text
    assert "new kudos cannot be sent" in text


def test_the_check_in_page_no_longer_carries_stopgap_partnership_links(signed, client_for):
    page = client_for(signed.alice).get(reverse("wellbeing:checkin")).content.decode()
    assert f"/partnerships/{signed.partnership.pk}/" not in page


def test_coordinators_reach_check_ins_and_support_from_the_program_pages(cast, client_for):
    client = client_for(cast.coord)
    cohort = client.get(reverse("programs:cohort", args=["riverside", "fall"])).content.decode()
    assert (
        f'href="{reverse("workspace_staff:cohort_partnerships", args=["riverside", "fall"])}"'
        in cohort
    )
    assert f'href="{reverse("wellbeing:cohort", args=["riverside", "fall"])}"' in cohort
    program = client.get(reverse("programs:detail", args=["riverside"])).content.decode()
    assert f'href="{reverse("wellbeing:program_support", args=["riverside"])}"' in program
