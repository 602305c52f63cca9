"""Forms for match rounds: cohort match settings, starting a run and the review edits."""

from __future__ import annotations

from django import forms

from tandem.engine.defaults import COMPONENTS
from tandem.rounds.models import MatchRun
from tandem.rounds.wording import COMPONENT_PHRASES


class MatchSettingsForm(forms.Form):
    response_days = forms.IntegerField(
        label="Days to answer a proposal",
        min_value=1,
        max_value=60,
        help_text="After this many days an unanswered proposal lapses and its members return "
        "to the pool.",
    )
    allow_previous_partners = forms.BooleanField(
        label="Allow previous partners to be matched again", required=False
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in COMPONENTS:
            self.fields[f"weight_{name}"] = forms.FloatField(
                # What the part of the score means, not the engine's name for it.
                label=f"Weight of “{COMPONENT_PHRASES.get(name, name)}”",
                min_value=0,
                max_value=100,
            )

    def weights(self) -> dict[str, float]:
        return {name: float(self.cleaned_data[f"weight_{name}"]) for name in COMPONENTS}


class RunStartForm(forms.Form):
    seed = forms.IntegerField(
        label="Variation number",
        min_value=0,
        max_value=MatchRun.SEED_MAX,
        initial=0,
        required=False,
        help_text=(
            "Runs with the same number and the same people give the same groups; "
            "change it to see another good grouping."
        ),
    )
    mutual_objective = forms.ChoiceField(
        label="When no stable matching exists",
        choices=MatchRun.MutualObjective.choices,
        initial=MatchRun.MutualObjective.FEWEST_BLOCKING,
        required=False,
        help_text=(
            "Mutual choice only. Fewest blocking pairs leaves the fewest two people who would "
            "both rather be together than with their partners; highest score ignores that."
        ),
    )

    def __init__(self, *args: object, mutual: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not mutual:
            del self.fields["mutual_objective"]

    def objective(self) -> str:
        return str(
            self.cleaned_data.get("mutual_objective") or MatchRun.MutualObjective.FEWEST_BLOCKING
        )


class ForbidForm(forms.Form):
    a = forms.TypedChoiceField(label="First person", coerce=int)
    b = forms.TypedChoiceField(label="Second person", coerce=int)

    def __init__(self, *args: object, people: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["a"].choices = people  # type: ignore[attr-defined]
        self.fields["b"].choices = people  # type: ignore[attr-defined]
