"""Forms of circles and speed events; each keeps what the person typed when it is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone

from tandem.accounts.models import User
from tandem.circles.guides import GuideTopic
from tandem.circles.services import GuideChoice

EVERY = [
    (7, "Every week"),
    (14, "Every two weeks"),
    (21, "Every three weeks"),
    (28, "Every four weeks"),
]


class PlanForm(forms.Form):
    guide = forms.ChoiceField(label="Session guide", widget=forms.RadioSelect)
    first_date = forms.DateField(
        label="Date of the first session", widget=forms.DateInput(attrs={"type": "date"})
    )
    first_time = forms.TimeField(
        label="Time", initial=dt.time(18, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    every_days = forms.TypedChoiceField(label="How often", choices=EVERY, coerce=int, initial=28)

    def __init__(self, *args: Any, choices: Sequence[GuideChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        guide = self.fields["guide"]
        assert isinstance(guide, forms.ChoiceField)
        guide.choices = [
            (c.ref, f"{c.title}{' · written by Tandem' if c.tandem_authored else ''}")
            for c in choices
        ]

    def first_at(self) -> dt.datetime:
        moment = dt.datetime.combine(
            self.cleaned_data["first_date"], self.cleaned_data["first_time"]
        )
        return timezone.make_aware(moment)


class SessionMoveForm(forms.Form):
    starts_date = forms.DateField(label="New date", widget=forms.DateInput(attrs={"type": "date"}))
    starts_time = forms.TimeField(label="New time", widget=forms.TimeInput(attrs={"type": "time"}))

    def starts_at(self) -> dt.datetime:
        moment = dt.datetime.combine(
            self.cleaned_data["starts_date"], self.cleaned_data["starts_time"]
        )
        return timezone.make_aware(moment)


class CircleSettingsForm(forms.Form):
    rotating_facilitation = forms.BooleanField(
        required=False,
        label="Rotate facilitation: each session's facilitator is the next member in turn",
    )


class GuideForm(forms.Form):
    title = forms.CharField(max_length=120)
    summary = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class GuideSessionForm(forms.Form):
    topic = forms.CharField(max_length=160, required=False)
    prompt_one = forms.CharField(max_length=400, required=False, label="First prompt")
    prompt_two = forms.CharField(max_length=400, required=False, label="Second prompt")
    prompt_three = forms.CharField(max_length=400, required=False, label="Third prompt")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [bool(data.get(name, "").strip()) for name in self.fields]
        if any(filled) and not all(filled):
            raise forms.ValidationError("A session needs a topic and all three prompts.")
        return data

    def topic_or_none(self) -> GuideTopic | None:
        data = self.cleaned_data
        if not data.get("topic", "").strip():
            return None
        return GuideTopic(
            data["topic"].strip(),
            (data["prompt_one"].strip(), data["prompt_two"].strip(), data["prompt_three"].strip()),
        )


GuideSessionFormSet = forms.formset_factory(GuideSessionForm, extra=2, max_num=24)


def session_initial(topics: Sequence[GuideTopic]) -> list[dict[str, str]]:
    return [
        {
            "topic": t.topic,
            "prompt_one": t.prompts[0],
            "prompt_two": t.prompts[1],
            "prompt_three": t.prompts[2],
        }
        for t in topics
    ]


class SpeedEventForm(forms.Form):
    title = forms.CharField(max_length=120, initial="Speed mentoring")
    starts_at = forms.DateTimeField(
        label="Starts",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    round_minutes = forms.IntegerField(
        label="Minutes per round", min_value=1, max_value=60, initial=7
    )
    rounds = forms.IntegerField(label="Rounds", min_value=1, max_value=20, initial=6)


class RankingForm(forms.Form):
    """One choice per person met: their place in the ranking, or not as a peer mentor."""

    def __init__(self, *args: Any, met: Sequence[User], ranked: Sequence[int] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.met = list(met)
        places = [("", "Not as my peer mentor")] + [
            (str(n), f"Choice {n}") for n in range(1, len(self.met) + 1)
        ]
        for person in self.met:
            initial = str(ranked.index(person.pk) + 1) if person.pk in ranked else ""
            self.fields[f"person_{person.pk}"] = forms.ChoiceField(
                label=person.display_name, choices=places, required=False, initial=initial
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        places = [value for value in data.values() if value]
        if len(places) != len(set(places)):
            raise forms.ValidationError("Give each choice number to one person only.")
        return data

    def ranked_ids(self) -> list[int]:
        chosen = [
            (int(self.cleaned_data[f"person_{p.pk}"]), p.pk)
            for p in self.met
            if self.cleaned_data.get(f"person_{p.pk}")
        ]
        return [pk for _, pk in sorted(chosen)]
