"""Forms for check-ins, the journal, kudos and the program's support settings (input only)."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.accounts.models import User
from tandem.wellbeing import instruments
from tandem.wellbeing.models import KUDOS_MAX_LENGTH, Reflection, SupportResource
from tandem.wellbeing.services import REFLECTION_MAX_LENGTH


class PulseForm(forms.Form):
    burnout = forms.TypedChoiceField(
        label=instruments.BURNOUT_QUESTION,
        choices=instruments.BURNOUT_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    supported = forms.TypedChoiceField(
        label=instruments.SUPPORTED_QUESTION,
        choices=instruments.SUPPORTED_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    word = forms.CharField(
        label=instruments.WORD_QUESTION,
        max_length=instruments.WORD_MAX_LENGTH,
        required=False,
        help_text="Optional. Only you see it, unless you share this check-in.",
    )
    share = forms.BooleanField(
        label="Share this check-in with my partner(s)",
        required=False,
        help_text="Your partners then see these answers in your shared space. You can stop "
        "sharing at any time. Coordinators never see your check-ins.",
    )


class WellbeingSettingsForm(forms.Form):
    pulse_every_days = forms.TypedChoiceField(
        label="How often I check in",
        choices=[
            ("", "As my program suggests"),
            (7, "Every week"),
            (14, "Every two weeks"),
            (28, "Every four weeks"),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )


class ReflectionForm(forms.Form):
    kind = forms.ChoiceField(
        label="This is about", choices=Reflection.Kind.choices, widget=forms.RadioSelect
    )
    what_happened = forms.CharField(
        label="What happened?", max_length=REFLECTION_MAX_LENGTH, widget=forms.Textarea
    )
    opportunity = forms.CharField(
        label=instruments.OPPORTUNITY_PROMPT,
        max_length=REFLECTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea,
        help_text="Even a setback can open a door: a skill to build, a person to ask, a "
        "different path.",
    )
    advice_to_peer = forms.CharField(
        label=instruments.PEER_PROMPT,
        max_length=REFLECTION_MAX_LENGTH,
        required=False,
        widget=forms.Textarea,
        help_text="We are often kinder to a peer than to ourselves.",
    )

    @classmethod
    def for_reflection(cls, reflection: Reflection, data: Any = None) -> ReflectionForm:
        return cls(
            data,
            initial={
                "kind": reflection.kind,
                "what_happened": reflection.what_happened,
                "opportunity": reflection.opportunity,
                "advice_to_peer": reflection.advice_to_peer,
            },
        )


class KudosForm(forms.Form):
    message = forms.CharField(
        label="Your message",
        max_length=KUDOS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Up to {KUDOS_MAX_LENGTH} characters. Only members of this partnership see it.",
    )
    recipient = forms.TypedChoiceField(
        label="For", coerce=int, empty_value=None, required=False, choices=[]
    )

    def __init__(self, *args: Any, partners: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(partners) > 1:
            choices = [("", "Everyone in the partnership")]
            choices += [(str(partner.pk), partner.display_name) for partner in partners]
            recipient = self.fields["recipient"]
            assert isinstance(recipient, forms.ChoiceField)
            recipient.choices = choices
        else:
            del self.fields["recipient"]


class ProgramWellbeingForm(forms.Form):
    pulse_every_days = forms.IntegerField(
        label="Check-in every (days)",
        min_value=7,
        max_value=90,
        help_text="A check-in is due when a person has not checked in for this many days.",
    )
    burnout_threshold = forms.TypedChoiceField(
        label="Show support resources at once when burnout is at least",
        choices=[(score, f"{score} — {text}") for score, text in instruments.BURNOUT_CHOICES[1:]],
        coerce=int,
    )
    supported_threshold = forms.TypedChoiceField(
        label="…or when feeling supported is at most",
        choices=[(score, f"{score} — {text}") for score, text in instruments.SUPPORTED_CHOICES[:4]],
        coerce=int,
    )


class SupportResourceForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=SupportResource.Kind.choices)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    phone = forms.CharField(max_length=60, required=False)
    url = forms.URLField(label="Web address", required=False, assume_scheme="https")
    hours = forms.CharField(
        max_length=200, required=False, help_text="For example: 24 hours a day, 7 days a week."
    )
    order = forms.IntegerField(
        min_value=0, max_value=999, initial=0, help_text="Lower numbers are listed first."
    )

    @classmethod
    def for_resource(cls, resource: SupportResource, data: Any = None) -> SupportResourceForm:
        fields = ("name", "kind", "description", "phone", "url", "hours", "order")
        return cls(data, initial={name: getattr(resource, name) for name in fields})
