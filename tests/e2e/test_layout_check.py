"""The journeys' layout assertion finds what a person would see as broken, and passes a page
that holds: it is only worth running on every page if it can fail."""

from __future__ import annotations

import pytest

from tests.e2e.harness import LAYOUT_CHECK, VIEWPORTS

pytestmark = pytest.mark.browser

CARDS = "<style>.card{{border:1px solid;{card}}} .grid{{display:grid;gap:8px;{grid}}}</style>"


def problems(browser, body: str, viewport: str = "phone") -> list[str]:
    context = browser.new_context(**VIEWPORTS[viewport])
    page = context.new_page()
    page.set_content(
        f'<html><head><meta name="viewport" content="width=device-width"></head>'
        f"<body>{body}</body></html>"
    )
    found = page.evaluate(LAYOUT_CHECK)
    context.close()
    return found


def test_a_page_that_holds_has_no_layout_problem(browser):
    body = CARDS.format(card="", grid="grid-template-columns:1fr 1fr") + (
        '<div class="grid"><div class="card">One</div><div class="card">Two</div></div>'
        '<div style="overflow-x:auto"><table><tr><td style="min-width:900px">wide</td></tr>'
        "</table></div>"
    )
    assert problems(browser, body) == []


def test_an_element_wider_than_the_screen_is_reported(browser):
    found = problems(browser, '<div id="wide" style="width:900px">too wide</div>')
    assert any("div#wide runs to 908px" in problem for problem in found)
    assert any("the page scrolls sideways" in problem for problem in found)


def test_content_spilling_out_of_its_card_is_reported(browser):
    body = CARDS.format(card="width:150px", grid="") + (
        '<div class="card"><p id="long" style="width:300px">cut off</p></div>'
    )
    assert any("p#long spills out of its card" in problem for problem in problems(browser, body))


def test_overlapping_cards_are_reported(browser):
    body = CARDS.format(card="width:200px;height:100px", grid="") + (
        '<div class="card" id="a">A</div><div class="card" id="b" style="margin-top:-50px">B</div>'
    )
    found = problems(browser, body, "desktop")
    assert "div#a.card and div#b.card overlap" in found
