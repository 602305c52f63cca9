from __future__ import annotations

from django import forms

from tandem.engagement.models import ContactCheck, EngagementRules


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=ContactCheck.Answer.choices)


class RulesForm(forms.ModelForm):
    class Meta:
        model = EngagementRules
        fields = ["at_risk_day", "rematch_day"]
        labels = {"at_risk_day": "At risk on day", "rematch_day": "Rematch offered on day"}
