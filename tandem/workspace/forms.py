"""Forms of the workspace pages: they parse and validate input, the services write."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.conf import settings

from tandem.accounts.models import User
from tandem.core.forms import LongSelect
from tandem.workspace.models import Goal, Meeting
from tandem.workspace.services.meetings import MAX_MINUTES, MIN_MINUTES, meeting_start

TIMEZONE_CHOICES = [
    (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
]


class AgreementTextForm(forms.Form):
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 14}),
        label="Agreement",
        help_text="Markdown: **bold**, *italic*, numbered and bulleted lists, links.",
        max_length=20_000,
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Note",
        help_text="Only the members of this partnership can read it. Markdown works.",
        max_length=20_000,
    )


class GoalForm(forms.Form):
    title = forms.CharField(max_length=500, label="What is the goal?")
    measure = forms.CharField(
        max_length=1000,
        required=False,
        label="How will you measure it?",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_on = forms.DateField(
        required=False, label="Due date", widget=forms.DateInput(attrs={"type": "date"})
    )
    serves_main_thing = forms.BooleanField(
        required=False, initial=True, label="This goal serves my main thing"
    )

    @classmethod
    def for_goal(cls, goal: Goal, data: Any = None) -> GoalEditForm:
        initial = {
            name: getattr(goal, name)
            for name in ("title", "measure", "due_on", "serves_main_thing", "status")
        }
        return GoalEditForm(data=data, initial=initial)


class GoalEditForm(GoalForm):
    status = forms.ChoiceField(choices=Goal.Status.choices)


class MilestoneForm(forms.Form):
    text = forms.CharField(max_length=500, label="Milestone")
    due_on = forms.DateField(
        required=False, label="Due date", widget=forms.DateInput(attrs={"type": "date"})
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label="Comment", max_length=2000
    )


class MeetingForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), label="Start time")
    duration_minutes = forms.IntegerField(
        min_value=MIN_MINUTES, max_value=MAX_MINUTES, initial=60, label="Length (minutes)"
    )
    timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES, label="Time zone", widget=LongSelect)
    location = forms.CharField(max_length=500, required=False, label="Place or video link")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("timezone", settings.TIME_ZONE)
        kwargs["initial"].setdefault("duration_minutes", 60)
        super().__init__(*args, **kwargs)

    @classmethod
    def for_meeting(cls, meeting: Meeting, data: Any = None) -> MeetingForm:
        local = meeting.starts_at.astimezone(zoneinfo.ZoneInfo(meeting.timezone))
        initial = {
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": meeting.duration_minutes,
            "timezone": meeting.timezone,
            "location": meeting.location,
        }
        return cls(data=data, initial=initial)

    def starts_at(self) -> dt.datetime:
        data = self.cleaned_data
        return meeting_start(data["date"], data["time"], data["timezone"])


class MeetingRecordForm(forms.Form):
    status = forms.ChoiceField(
        choices=Meeting.Status.choices, label="How did it go?", widget=forms.RadioSelect
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        label="Meeting notes",
        help_text="Only the members of this partnership can read them. Markdown works.",
        max_length=20_000,
    )


class ActionItemForm(forms.Form):
    text = forms.CharField(max_length=1000, label="Action")
    owner = forms.TypedChoiceField(coerce=int, label="Who does it")
    due_on = forms.DateField(
        required=False, label="Due date", widget=forms.DateInput(attrs={"type": "date"})
    )
    goal = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Goal")
    serves_main_thing = forms.BooleanField(required=False, label="This serves the main thing")

    def __init__(self, *args: Any, members: list[User], goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goal_count = len(goals)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.TypedChoiceField)
        owner.choices = [(user.pk, user.display_name) for user in members]
        goal = self.fields["goal"]
        assert isinstance(goal, forms.TypedChoiceField)
        goal.choices = [("", "No goal")] + [
            (g.pk, f"{g.owner.display_name}: {g.title}") for g in goals
        ]
