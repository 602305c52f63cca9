"""Forms of the schedule pages: they parse and validate input, the services write."""

from __future__ import annotations

import datetime as dt

from django import forms

from tandem.core.forms import LongSelect
from tandem.core.imports import ImportFileField
from tandem.engine.availability import KINDS, RULES
from tandem.workspace.forms import TIMEZONE_CHOICES

RULE_LABELS = {
    "busy": "Busy the whole time",
    "daytime": "Busy during the working day; evenings free",
    "free": "Free",
}


class ScheduleSettingsForm(forms.Form):
    timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES, label="Time zone", widget=LongSelect)
    wakes_at = forms.TimeField(
        label="Free from",
        help_text="The earliest time you would meet.",
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    sleeps_at = forms.TimeField(
        label="Free until",
        help_text="The latest time a meeting may end.",
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    meeting_minutes = forms.IntegerField(
        min_value=15, max_value=240, label="Minutes you can give to one meeting"
    )
    drought_nudges = forms.BooleanField(
        required=False, label="Nudge me when my partnership has not met for a while"
    )


class ScheduleFileForm(forms.Form):
    schedule = ImportFileField(
        label="Your schedule (.csv or .ics)",
        help_text="A CSV with the columns start, end, kind, label, or a calendar file (.ics).",
    )


class FeedForm(forms.Form):
    feed_url = forms.CharField(
        required=False,
        max_length=500,
        label="Calendar subscription address",
        help_text="An https:// or webcal:// address of your rota; leave empty to stop.",
    )


class ProgramScheduleForm(forms.Form):
    schedule = ImportFileField(label="Block schedule (CSV)")


class ProgramRulesForm(forms.Form):
    day_starts_at = forms.TimeField(
        label="Working day starts", widget=forms.TimeInput(attrs={"type": "time"})
    )
    day_ends_at = forms.TimeField(
        label="Working day ends", widget=forms.TimeInput(attrs={"type": "time"})
    )
    drought_weeks = forms.IntegerField(
        min_value=0,
        max_value=26,
        label="Nudge a partnership after this many weeks without a meeting (0 is off)",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for kind in KINDS:
            self.fields[f"rule_{kind}"] = forms.ChoiceField(
                choices=[(rule, RULE_LABELS[rule]) for rule in RULES],
                label=f"“{kind}” blocks",
            )

    def kind_rules(self) -> dict[str, str]:
        return {kind: self.cleaned_data[f"rule_{kind}"] for kind in KINDS}


class WindowBookingForm(forms.Form):
    start = forms.DateTimeField(widget=forms.HiddenInput)

    def starts_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["start"]
        return value
