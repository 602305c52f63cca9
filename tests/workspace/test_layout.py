"""The frame every workspace page shares: the breadcrumb names the partners, and the tabs."""

from __future__ import annotations

import re

from django.urls import reverse

from tests import factories
from tests.workspace.factories import goal as make_goal
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


def _links(page, nav_class: str) -> list[tuple[str, str, bool]]:
    html = page.content.decode()
    nav = re.search(rf'<nav class="{nav_class}"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, f"the page has no {nav_class}"
    return [
        (href, label, "aria-current" in attrs)
        for href, attrs, label in re.findall(r'<a href="([^"]+)"([^>]*)>([^<]+)</a>', nav.group(1))
    ]


def _tabs(page) -> list[tuple[str, str, bool]]:
    return _links(page, "workspace-tabs")


def _section_pages(page) -> list[tuple[str, str, bool]]:
    return _links(page, "section-pages")


WELLBEING_TABS = (
    ("wellbeing:kudos", "Kudos"),
    ("wellbeing:shared", "Shared"),
    ("wellbeing:marathon", "Marathon"),
)


def test_the_workspace_has_four_tabs_each_described_with_its_pages_under_it(signed, client_for):
    pair = signed.partnership.pk
    client = client_for(signed.alice)
    home = client.get(reverse("workspace:home", args=[pair]))
    assert [label for _href, label, _current in _tabs(home)] == [
        "Overview",
        "Meet",
        "Goals",
        "Support",
    ]
    expected = {
        "Overview": ["Overview", "Agreement"],
        "Meet": ["Meetings", "When can we meet?", "Notes"],
        "Goals": ["Goals", "Action items", "Accountability"],
        "Support": ["Kudos", "Shared", "Marathon"],
    }
    for href, label, _current in _tabs(home):
        page = client.get(href)
        assert page.status_code == 200
        assert [current for _h, tab, current in _tabs(page) if tab == label] == [True]
        assert [label for _h, label, _c in _section_pages(page)] == expected[label]
        assert '<p class="section-about">' in page.content.decode()


def test_marathon_and_accountability_are_explained_in_words(signed, client_for):
    client = client_for(signed.alice)
    pair = signed.partnership.pk
    support = client.get(reverse("wellbeing:marathon", args=[pair])).content.decode()
    assert "A career is a marathon, not a sprint" in support
    assert "the ground you have covered together month by month" in support
    goals = client.get(reverse("workspace:accountability", args=[pair])).content.decode()
    assert "Accountability sets side by side how each of you keeps your word" in goals


def test_a_detail_page_marks_its_tab_and_page(signed, client_for):
    goal = make_goal(signed.partnership, signed.alice)
    page = client_for(signed.alice).get(
        reverse("workspace:goal", args=[signed.partnership.pk, goal.pk])
    )
    assert [label for _h, label, current in _tabs(page) if current] == ["Goals"]
    assert [label for _h, label, current in _section_pages(page) if current] == ["Goals"]


def test_an_ended_partnership_offers_no_time_finder(signed, client_for):
    from tandem.partnerships.services import partnership_close

    partnership_close(partnership=signed.partnership)
    page = client_for(signed.alice).get(reverse("workspace:meetings", args=[signed.partnership.pk]))
    assert [label for _h, label, _c in _section_pages(page)] == ["Meetings", "Notes"]


def test_the_tabs_lead_to_kudos_shared_and_the_marathon(signed, client_for):
    pair = signed.partnership.pk
    page = client_for(signed.alice).get(reverse("wellbeing:kudos", args=[pair]))
    for name, label in WELLBEING_TABS:
        assert (reverse(name, args=[pair]), label, label == "Kudos") in _section_pages(page)


def test_the_wellbeing_pages_sit_in_the_workspace_frame_with_their_tab_marked(signed, client_for):
    pair = signed.partnership.pk
    client = client_for(signed.bob)
    for name, label in WELLBEING_TABS:
        page = client.get(reverse(name, args=[pair]))
        assert page.status_code == 200
        assert [tab for _href, tab, is_current in _tabs(page) if is_current] == ["Support"]
        current = [tab for _href, tab, is_current in _section_pages(page) if is_current]
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
