"""Helpers shared by forms across the apps."""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, field by field where it names fields."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class SearchForm(forms.Form):
    """The search box above a long list of people: part of a name or an email address."""

    q = forms.CharField(
        required=False,
        max_length=200,
        label="Find a person",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Part of a name or email"}),
    )

    def terms(self) -> str:
        return self.cleaned_data["q"].strip() if self.is_valid() else ""


class LongSelect(forms.Select):
    """A select with hundreds of options (time zones), rendered in plain Python.

    Django renders every <option> through a template of its own, and even format_html costs
    tens of microseconds a call; for the ~600 time zones that was 20 ms of every meetings page.
    Same markup as forms.Select, for options without groups.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        # Widget's own context: name and attributes, without ChoiceWidget's dict per option.
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        wanted = set(self.format_value(value))
        rendered = []
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                raise ValueError("LongSelect takes options without groups.")
            text = "" if option_value is None else str(option_value)
            selected = text in wanted
            if selected and not self.allow_multiple_selected:
                wanted = set()  # as Django does: only the first matching option is selected
            rendered.append(
                f'<option value="{_escape(text)}"{" selected" if selected else ""}>'
                f"{_escape(label)}</option>"
            )
        return mark_safe(  # noqa: S308 - every value above is escaped
            f'<select name="{_escape(widget["name"])}"{_attributes(widget["attrs"])}>'
            f"{''.join(rendered)}</select>"
        )


def _escape(value: Any) -> str:
    """Django's conditional_escape without its lazy-string check, which dominated the cost."""
    return str(value.__html__()) if hasattr(value, "__html__") else html.escape(str(value))


def _attributes(attrs: dict[str, Any]) -> str:
    """HTML attributes in their given order, as Django's attrs.html writes them."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )
