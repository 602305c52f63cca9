from __future__ import annotations

from django import forms

from tandem.research.models import ResearchConsent


class StudyProtocolForm(forms.Form):
    title = forms.CharField(max_length=200)
    information = forms.CharField(
        label="Study information for participants",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What the study is for, which de-identified data it uses, who sees them, and "
        "that anyone may decline or withdraw at any time without affecting their place.",
    )
    outcomes = forms.CharField(
        label="Registered outcomes and time windows",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line, for example: Retention at 12 months.",
    )
    longitudinal = forms.BooleanField(
        label="Longitudinal design: follow people across exports",
        required=False,
        help_text="Tick only if the study must link one person's records between exports: "
        "each person then keeps one study id. Otherwise every export gets fresh study ids. "
        "Locked with the protocol.",
    )
    seed = forms.IntegerField(
        label="Randomisation seed",
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        help_text="Leave empty to keep the current one (a random seed is drawn at creation).",
    )


class ConsentForm(forms.Form):
    decision = forms.ChoiceField(choices=ResearchConsent.Decision.choices)


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[("csv", "CSV and codebook"), ("redcap", "REDCap dictionary and records")]
    )
