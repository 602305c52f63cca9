"""Shared form pieces: the long select renders what Django's own select would."""

from __future__ import annotations

from django import forms

from tandem.core.forms import LongSelect, SearchForm
from tandem.workspace.forms import TIMEZONE_CHOICES, MeetingForm

CHOICES = [("a", "Apple"), ("b&c", "Bread & <cheese>"), ("", "None")]


def test_long_select_renders_the_same_markup_as_djangos_select():
    for value in ("a", "b&c", "", None, "missing"):
        attrs = {"id": "id_fruit", "required": True, "aria-describedby": "help"}
        expected = forms.Select(choices=CHOICES).render("fruit", value, attrs)
        assert LongSelect(choices=CHOICES).render("fruit", value, attrs) == expected.replace(
            "\n", ""
        ).replace("  ", "")


def test_long_select_escapes_labels_and_values():
    html = LongSelect(choices=CHOICES).render("fruit", "b&c")
    assert '<option value="b&amp;c" selected>Bread &amp; &lt;cheese&gt;</option>' in html
    assert "<cheese>" not in html


def test_the_meeting_form_offers_every_time_zone_with_its_own_selected():
    html = str(MeetingForm(initial={"timezone": "America/Chicago"})["timezone"])
    assert html.count("<option ") == len(TIMEZONE_CHOICES)
    assert '<option value="America/Chicago" selected>America/Chicago</option>' in html
    assert html.count(" selected>") == 1


def test_search_terms_are_trimmed_and_overlong_searches_ignored():
    assert SearchForm({"q": "  Ada  "}).terms() == "Ada"
    assert SearchForm({}).terms() == ""
    assert SearchForm({"q": "x" * 201}).terms() == ""
