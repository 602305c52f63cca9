"""Forms for the survey builder and for answering (input only; services do the saving)."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.programs.models import Cohort, Program
from tandem.surveys.library import LIBRARY
from tandem.surveys.models import TEXT_ANSWER_MAX_LENGTH, Instrument, InstrumentVersion, Item


class InstrumentForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to participants above the questions.",
    )
    scoring = forms.ChoiceField(
        choices=InstrumentVersion.Scoring.choices,
        initial=InstrumentVersion.Scoring.MEAN,
        help_text="How the scored questions combine into the total and each subscale.",
    )
    source = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Who wrote it and where it was published.",
    )
    licence = forms.CharField(
        required=False, max_length=300, help_text="On what terms you may use its wording."
    )
    is_validated = forms.BooleanField(
        required=False,
        label="This exact wording has published validity evidence",
    )

    @classmethod
    def for_instrument(cls, instrument: Instrument, data: Any = None) -> InstrumentForm:
        return cls(
            data=data,
            initial={
                "name": instrument.name,
                "description": instrument.description,
                "scoring": instrument.latest_version.scoring,
                "source": instrument.source,
                "licence": instrument.licence,
                "is_validated": instrument.is_validated,
            },
        )


class LibraryForm(forms.Form):
    slug = forms.ChoiceField(
        label="Instrument",
        choices=[(slug, definition.name) for slug, definition in LIBRARY.items()],
        widget=forms.RadioSelect,
    )


class ImportForm(forms.Form):
    name = forms.CharField(max_length=200)
    text = forms.CharField(
        label="Questions",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="One question per line. Optional lines: “scale: 1-7”, “labels: lowest | … | "
        "highest”, “[Subscale name]”, “R:” before a reverse-scored question, “text:” before "
        "a free-text question, “#” for a comment.",
    )
    scoring = forms.ChoiceField(
        choices=InstrumentVersion.Scoring.choices, initial=InstrumentVersion.Scoring.MEAN
    )
    source = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    licence = forms.CharField(required=False, max_length=300)
    is_validated = forms.BooleanField(
        required=False, label="This exact wording has published validity evidence"
    )


class ItemForm(forms.Form):
    text = forms.CharField(label="Question", widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(
        label="Answer",
        choices=Item.Kind.choices,
        initial=Item.Kind.LIKERT,
        widget=forms.RadioSelect,
    )
    scale_min = forms.IntegerField(
        label="Lowest answer", required=False, initial=1, min_value=-1000, max_value=1000
    )
    scale_max = forms.IntegerField(
        label="Highest answer", required=False, initial=5, min_value=-1000, max_value=1000
    )
    point_labels = forms.CharField(
        label="Point labels",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For a rating scale: one label per line, lowest first — a label for every "
        "point, or just two for the lowest and highest.",
    )
    reverse_scored = forms.BooleanField(
        required=False,
        label="Reverse-scored",
        help_text="A high answer counts as low (for questions worded the other way round).",
    )
    subscale = forms.CharField(
        required=False,
        max_length=80,
        help_text="Optional: questions with the same subscale name get a score of their own.",
    )
    required = forms.BooleanField(required=False, initial=True, label="An answer is required")

    @classmethod
    def for_item(cls, item: Item, data: Any = None) -> ItemForm:
        return cls(
            data=data,
            initial={
                "text": item.text,
                "kind": item.kind,
                "scale_min": item.scale_min,
                "scale_max": item.scale_max,
                "point_labels": "\n".join(item.point_labels or []),
                "reverse_scored": item.reverse_scored,
                "subscale": item.subscale,
                "required": item.required,
            },
        )

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["point_labels"] = [
            line.strip() for line in (data.get("point_labels") or "").splitlines()
        ]
        return data


class SurveyForm(forms.Form):
    title = forms.CharField(
        max_length=200, required=False, help_text="Empty: the instrument's name."
    )
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none())
    instrument = forms.ModelChoiceField(queryset=Instrument.objects.none())
    offsets_months = forms.CharField(
        label="Waves (months after the cohort starts)",
        initial="0, 3, 12",
        help_text="Separated by commas; 0 is a baseline at the start.",
    )
    window_days = forms.IntegerField(
        label="Each wave stays open for (days)", initial=14, min_value=1, max_value=90
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = Cohort.objects.filter(program=program)  # type: ignore[attr-defined]
        self.fields["instrument"].queryset = Instrument.objects.filter(program=program)  # type: ignore[attr-defined]

    def clean_offsets_months(self) -> list[int]:
        raw = self.cleaned_data["offsets_months"]
        try:
            return [int(part) for part in raw.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError("Give whole numbers of months, such as 0, 3, 12.") from None


class WaveForm(forms.Form):
    label = forms.CharField(max_length=80)
    opens_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


def response_form(items: list[Item], data: Any = None, initial: Any = None) -> forms.Form:
    """A form with one field per question, named by the question's key."""
    form = forms.Form(data=data, initial=initial)
    for item in items:
        label = item.text
        if item.kind == Item.Kind.LIKERT:
            choices = [
                (value, f"{value} — {text}" if text else str(value)) for value, text in item.points
            ]
            field: forms.Field = forms.TypedChoiceField(
                label=label,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                required=item.required,
                empty_value=None,
            )
        elif item.kind == Item.Kind.NUMBER:
            field = forms.IntegerField(
                label=label,
                min_value=item.scale_min,
                max_value=item.scale_max,
                required=item.required,
                help_text=f"A whole number from {item.scale_min} to {item.scale_max}.",
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        else:
            field = forms.CharField(
                label=label,
                required=item.required,
                max_length=TEXT_ANSWER_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text="Only you can read what you write here — not your program.",
            )
        field.error_messages["required"] = "Please answer this question."
        form.fields[item.key] = field
    return form
