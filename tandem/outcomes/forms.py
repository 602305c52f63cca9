"""Forms for entering outcomes by hand and uploading files; input only, the services validate."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from tandem.core.imports import ImportFileField
from tandem.outcomes.models import Departure, Grant
from tandem.programs.models import Program

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"


class DepartureForm(forms.Form):
    left_on = forms.DateField(label="Left on", widget=DateInput)
    scope = forms.ChoiceField(
        label="Left", choices=Departure.Scope.choices, initial=Departure.Scope.INSTITUTION
    )
    reason = forms.ChoiceField(
        label="Reason",
        choices=Departure.Reason.choices,
        help_text="Completing training as planned is recorded, but the report does not count "
        "it as leaving early.",
    )


class RankChangeForm(forms.Form):
    from_rung = forms.ChoiceField(label="From")
    to_rung = forms.ChoiceField(label="To")
    changed_on = forms.DateField(label="On", widget=DateInput)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rungs = [(rung, rung) for rung in program.ladder]
        for name in ("from_rung", "to_rung"):
            cast(forms.ChoiceField, self.fields[name]).choices = rungs


class FellowshipForm(forms.Form):
    fellowship = forms.CharField(
        label="Fellowship",
        max_length=200,
        help_text="Specialty and program, such as “Cardiology, Riverside University”.",
    )
    year = forms.IntegerField(label="Match year")


class PublicationForm(forms.Form):
    title = forms.CharField(label="Title", max_length=1000)
    journal = forms.CharField(label="Journal", max_length=300, required=False)
    year = forms.IntegerField(label="Year")
    doi = forms.CharField(
        label="DOI", max_length=200, required=False, help_text="Such as 10.1056/NEJMoa2034577."
    )
    pmid = forms.CharField(label="PMID", max_length=20, required=False)


class GrantForm(forms.Form):
    funder = forms.CharField(label="Funder", max_length=200)
    role = forms.ChoiceField(label="Role", choices=Grant.Role.choices)
    year = forms.IntegerField(label="Year awarded")
    title = forms.CharField(label="Title", max_length=500, required=False)


FORMS: dict[str, type[forms.Form]] = {
    "departure": DepartureForm,
    "rank-change": RankChangeForm,
    "fellowship": FellowshipForm,
    "publication": PublicationForm,
    "grant": GrantForm,
}


class _UploadForm(forms.Form):
    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB.")
        return upload


class OutcomeCsvForm(forms.Form):
    file = ImportFileField(label="Outcomes CSV", help_text="UTF-8, with a header row.")


class PublicationFileForm(_UploadForm):
    file = forms.FileField(
        label="ORCID or PubMed file",
        help_text="An ORCID works export (JSON) or a PubMed search saved in PubMed (MEDLINE) "
        "format.",
    )
