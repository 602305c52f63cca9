"""The admin's index reads as English: each section named once, plurals spelled right."""

from __future__ import annotations

import re
from collections import Counter

from django.contrib import admin


def test_the_admin_index_names_each_section_once_and_spells_its_plurals(cast, client_for):
    page = client_for(cast.olga).get("/admin/").content.decode()
    sections = re.findall(r"<caption>\s*<a [^>]*>([^<]+)</a>", page)
    assert sections, "the admin index lists no sections"
    assert [name for name, count in Counter(sections).items() if count > 1] == []
    assert "Fellowship matches" in page
    assert "Fellowship matchs" not in page


def test_every_model_in_the_admin_has_a_plural_a_reader_would_write():
    odd = re.compile(r"(?:ss|chs|shs|xs|[^aeiou]ys|sents)$")
    wrong = [
        f"{model._meta.label}: {model._meta.verbose_name_plural}"
        for model in admin.site._registry
        if odd.search(str(model._meta.verbose_name_plural))
    ]
    assert wrong == []
