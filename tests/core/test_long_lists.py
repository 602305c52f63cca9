"""Coordinators' long lists — a cohort's enrolled people and its partnerships — come a page at
a time with a search box that finds people by name or email, never by what partners wrote."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests import factories
from tests.workspace import factories as workspace_factories


def _names(html: str) -> list[str]:
    return re.findall(r'<td data-label="(?:Name|Members)">(?:<a [^>]*>)?([^<]+)', html)


@pytest.fixture
def crowd(cast):
    """Twelve more people in the fall cohort (fifteen enrolled in all), six more pairs."""
    people = [
        factories.participant(
            cast.cohort, email=f"person{i:02d}@example.org", full_name=f"Person {i:02d}"
        )
        for i in range(12)
    ]
    for first, second in zip(people[::2], people[1::2], strict=True):
        factories.partnership(cast.cohort, [first, second])
    return cast


def test_the_cohort_overview_shows_one_page_of_people_and_links_to_the_next(
    crowd, client_for, monkeypatch
):
    monkeypatch.setattr("tandem.programs.views.coordinator.ROWS_PER_PAGE", 10)
    client = client_for(crowd.coord)
    url = reverse("programs:cohort", args=["riverside", "fall"])
    first = client.get(url).content.decode()
    assert "Enrolled (15)" in first
    assert "1–10 of 15" in first
    assert _names(first)[:3] == ["Alice Adams", "Bob Brown", "Carol Chen"]
    assert len(_names(first)) == 10
    assert 'rel="next" href="?page=2"' in first
    second = client.get(url, {"page": 2}).content.decode()
    assert _names(second) == [f"Person {i:02d}" for i in range(7, 12)]
    assert "11–15 of 15" in second
    assert 'rel="prev" href="?page=1"' in second
    # A page past the end shows the last one rather than an error.
    assert _names(client.get(url, {"page": 99}).content.decode()) == _names(second)


def test_the_cohort_overview_finds_people_by_name_or_email_and_keeps_the_search_across_pages(
    crowd, client_for, monkeypatch
):
    monkeypatch.setattr("tandem.programs.views.coordinator.ROWS_PER_PAGE", 2)
    client = client_for(crowd.coord)
    url = reverse("programs:cohort", args=["riverside", "fall"])
    by_name = client.get(url, {"q": "person 0"}).content.decode()
    assert _names(by_name) == ["Person 00", "Person 01"]
    assert "1–2 of 10" in by_name
    assert 'href="?q=person+0&amp;page=2"' in by_name
    assert 'value="person 0"' in by_name  # what was typed stays in the box
    assert _names(client.get(url, {"q": "carol@example"}).content.decode()) == ["Carol Chen"]
    nobody = client.get(url, {"q": "Zed"}).content.decode()
    assert _names(nobody) == []
    assert "Nobody enrolled matches “Zed”" in nobody
    assert "Enrolled (15)" in nobody


def test_the_partnerships_page_shows_one_page_and_finds_partnerships_by_member(
    crowd, client_for, monkeypatch
):
    monkeypatch.setattr("tandem.workspace.views.coordinator.ROWS_PER_PAGE", 4)
    client = client_for(crowd.coord)
    url = reverse("workspace_staff:cohort_partnerships", args=["riverside", "fall"])
    first = client.get(url).content.decode()
    assert "1–4 of 7" in first
    assert len(_names(first)) == 4
    second = client.get(url, {"page": 2}).content.decode()
    assert len(_names(second)) == 3
    assert set(_names(first)).isdisjoint(_names(second))
    found = client.get(url, {"q": "bob@"}).content.decode()
    assert _names(found) == ["Alice Adams, Bob Brown"]


def test_the_partnerships_search_never_looks_at_what_partners_wrote(crowd, client_for):
    workspace_factories.sign_agreement(crowd.partnership)
    workspace_factories.note(
        crowd.partnership, crowd.alice, body="Talked about the zebrafish grant"
    )
    client = client_for(crowd.coord)
    url = reverse("workspace_staff:cohort_partnerships", args=["riverside", "fall"])
    page = client.get(url, {"q": "zebrafish"}).content.decode()
    assert _names(page) == []
    assert "No partnership has a member matching “zebrafish”" in page


@pytest.mark.parametrize(
    "route", ["programs:cohort", "workspace_staff:cohort_partnerships"], ids=["people", "pairs"]
)
def test_a_search_does_not_open_another_programs_lists(crowd, client_for, route):
    url = reverse(route, args=["riverside", "fall"])
    for outsider in (crowd.other_coord, crowd.alice):
        assert client_for(outsider).get(url, {"q": "a", "page": 2}).status_code == 404
