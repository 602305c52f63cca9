"""Private notes: shared by the members, written in Markdown that is made safe, stored
encrypted, changed only by their author."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.workspace import services
from tandem.workspace.markdown import ALLOWED_TAGS, render_markdown
from tandem.workspace.models import Note
from tests.workspace import factories as wf


def test_a_note_written_by_one_member_is_read_by_the_other(signed, client_for):
    pair = signed.partnership.pk
    client_for(signed.alice).post(
        reverse("workspace:notes", args=[pair]), {"body": "**Brave** talk"}
    )
    page = client_for(signed.bob).get(reverse("workspace:notes", args=[pair])).content.decode()
    assert "<strong>Brave</strong> talk" in page


def test_a_note_is_stored_as_ciphertext(signed):
    note = wf.note(signed.partnership, signed.alice, "my plaintext secret")
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM workspace_note WHERE id = %s", [note.pk])
        (raw,) = cursor.fetchone()
    assert raw.startswith("enc2:")
    assert "secret" not in raw
    assert Note.objects.get(pk=note.pk).body == "my plaintext secret"


def test_an_empty_note_keeps_the_form_with_an_error(signed, client_for):
    response = client_for(signed.alice).post(
        reverse("workspace:notes", args=[signed.partnership.pk]), {"body": "   "}
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert Note.objects.count() == 0


def test_only_the_author_edits_or_deletes_a_note(signed, client_for):
    note = wf.note(signed.partnership, signed.alice, "Alice's words")
    pair = signed.partnership.pk
    bob = client_for(signed.bob)
    bob.post(reverse("workspace:note_edit", args=[pair, note.pk]), {"body": "Bob's words"})
    bob.post(reverse("workspace:note_delete", args=[pair, note.pk]))
    note.refresh_from_db()
    assert note.body == "Alice's words"
    alice = client_for(signed.alice)
    alice.post(reverse("workspace:note_edit", args=[pair, note.pk]), {"body": "Edited"})
    note.refresh_from_db()
    assert note.body == "Edited"
    alice.post(reverse("workspace:note_delete", args=[pair, note.pk]))
    assert not Note.objects.filter(pk=note.pk).exists()


def test_a_note_of_another_partnership_is_not_found_through_this_one(signed, client_for):
    from tests import factories

    erin = factories.participant(signed.cohort, email="erin@example.org")
    other = factories.partnership(signed.cohort, [signed.carol, erin])
    wf.sign_agreement(other)
    foreign = wf.note(other, signed.carol, "Carol's")
    url = reverse("workspace:note_edit", args=[signed.partnership.pk, foreign.pk])
    assert client_for(signed.alice).get(url).status_code == 404


def test_notes_of_an_ended_partnership_cannot_be_written(signed):
    signed.partnership.status = "exited"
    signed.partnership.save()
    with pytest.raises(ValidationError, match="read-only"):
        services.note_create(partnership=signed.partnership, author=signed.alice, body="late")


def test_markdown_escapes_raw_html_and_marks_links():
    html = render_markdown(
        '<script>alert(1)</script> <img src="https://evil.example/x.png"> '
        "[site](https://example.org) [bad](javascript:alert(1)) ![pic](https://evil.example/p.png)"
    )
    assert "<script" not in html
    assert "<img" not in html
    assert "javascript:" not in html
    assert 'rel="noopener noreferrer nofollow"' in html
    assert 'href="https://example.org"' in html
    assert "&lt;script&gt;" in html  # shown as text, not run


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _assert_safe(html: str) -> None:
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, tag
        allowed = {"href", "title", "rel"} if tag == "a" else set()
        assert set(attrs) <= allowed, (tag, attrs)
        if tag == "a":
            assert attrs.get("rel") == "noopener noreferrer nofollow"
            href = (attrs.get("href") or "").strip().lower()
            assert not href or href.split(":")[0] in ("http", "https", "mailto") or ":" not in href


MARKUP = st.text(
    alphabet=st.sampled_from(list("<>/=\"' ()[]!#*_`:abcdehijlnoprstvx123\n")), max_size=200
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(MARKUP, st.text(max_size=200)))
def test_no_markdown_input_produces_a_tag_or_attribute_outside_the_allow_list(source):
    _assert_safe(render_markdown(source))


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["onerror", "onclick", "onload", "style", "srcdoc", "src"]),
    st.sampled_from(["img", "a", "p", "iframe", "svg", "script"]),
    st.text(alphabet="abc()=\"' ", max_size=20),
)
def test_html_typed_into_a_note_is_shown_as_text(attribute, tag, value):
    html = render_markdown(f'<{tag} {attribute}="{value}">x</{tag}>')
    _assert_safe(html)
    assert f"&lt;{tag}" in html
