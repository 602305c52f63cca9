"""Forms for programs, cohorts, invitations, roster uploads and profiles.

Forms only parse and validate input; the services in ``services.py`` do the writing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import validate_email

from tandem.core.imports import ImportFileField
from tandem.engine.roster import slot_words
from tandem.programs.models import Cohort, Invitation, Profile, Program
from tandem.programs.services import AVAILABILITY_DAYS, AVAILABILITY_PARTS


class LinesField(forms.CharField):
    """A textarea where each line is one item (a stage, a topic, an email address)."""

    widget = forms.Textarea(attrs={"rows": 8})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class ProgramForm(forms.Form):
    name = forms.CharField(max_length=200)
    slug = forms.SlugField(
        max_length=60,
        required=False,
        label="Short name",
        help_text="Used in web addresses and on the command line. Leave empty to derive it.",
    )
    institution = forms.CharField(max_length=200, required=False)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    ladder = LinesField(
        label="Career ladder", help_text="One stage per line, the most junior first."
    )
    topics = LinesField(
        label="Topics", help_text="One topic per line; participants offer and seek these."
    )
    max_stage_gap = forms.IntegerField(
        min_value=0,
        max_value=10,
        initial=1,
        label="Largest stage gap",
        help_text="How many rungs apart two peers may be. 1 means adjacent stages.",
    )
    retention_days = forms.IntegerField(
        min_value=1,
        max_value=3650,
        initial=365,
        label="Retention of ended partnerships (days)",
        help_text="How long former partners can still read their shared notes.",
    )
    require_mfa_for_staff = forms.BooleanField(
        required=False,
        label="Require two-factor authentication for coordinators and researchers",
        help_text="They must set up an authenticator app or a security key before using Tandem.",
    )

    @classmethod
    def for_program(cls, program: Program, data: Any = None) -> ProgramForm:
        initial = {
            name: getattr(program, name)
            for name in (
                "name",
                "slug",
                "institution",
                "description",
                "ladder",
                "topics",
                "max_stage_gap",
                "retention_days",
                "require_mfa_for_staff",
            )
        }
        form = cls(data=data, initial=initial)
        form.fields["slug"].disabled = True
        return form


class CohortForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="For example “2026–27 residents”.")
    slug = forms.SlugField(max_length=60, required=False, label="Short name")
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    mode = forms.ChoiceField(choices=Cohort.Mode.choices, widget=forms.RadioSelect)
    enrolment_open = forms.BooleanField(
        required=False, initial=True, label="Enrolment is open (people with the link may join)"
    )

    @classmethod
    def for_cohort(cls, cohort: Cohort, data: Any = None) -> CohortForm:
        initial = {
            name: getattr(cohort, name)
            for name in ("name", "slug", "starts_on", "ends_on", "mode", "enrolment_open")
        }
        form = cls(data=data, initial=initial)
        form.fields["slug"].disabled = True
        return form


class InviteParticipantsForm(forms.Form):
    emails = LinesField(
        label="Email addresses",
        help_text="One per line. Each person gets a link to sign up and join this cohort.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_emails(self) -> list[str]:
        emails: list[str] = self.cleaned_data["emails"]
        bad = []
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                bad.append(email)
        if bad:
            raise forms.ValidationError(f"Not valid email addresses: {', '.join(bad)}")
        return [email.lower() for email in emails]


class InviteStaffForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(
        choices=[
            (Invitation.Role.COORDINATOR, "Coordinator"),
            (Invitation.Role.RESEARCHER, "Researcher"),
        ]
    )


class RosterUploadForm(forms.Form):
    roster = ImportFileField(
        label="Roster CSV",
        help_text="UTF-8 CSV with a header row: id, name, email, stage and optional columns.",
    )


class ProfileForm(forms.Form):
    stage = forms.ChoiceField(label="Career stage")
    specialty = forms.CharField(max_length=120, required=False)
    institution = forms.CharField(max_length=200, required=False)
    offers = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Topics I can offer",
        help_text="Where you could help a peer.",
    )
    seeks = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Topics I am looking for",
        help_text="Where a peer could help you.",
    )
    main_thing = forms.CharField(
        max_length=300,
        required=False,
        label="My main thing",
        help_text="One sentence: the central career goal you want your peer to hold you to.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    specialty_preference = forms.ChoiceField(
        choices=Profile.SpecialtyPreference.choices,
        widget=forms.RadioSelect,
        label="Who would you like as a peer?",
    )
    availability = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="When I can usually meet",
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stage_field = self.fields["stage"]
        assert isinstance(stage_field, forms.ChoiceField)
        stage_field.choices = [("", "Choose your stage")] + [(s, s) for s in program.ladder]
        for name in ("offers", "seeks"):
            field = self.fields[name]
            assert isinstance(field, forms.MultipleChoiceField)
            field.choices = [(topic, topic) for topic in program.topics]
        availability = self.fields["availability"]
        assert isinstance(availability, forms.MultipleChoiceField)
        availability.choices = [
            (f"{day}-{part}", slot_words(f"{day}-{part}"))
            for day in AVAILABILITY_DAYS
            for part in AVAILABILITY_PARTS
        ]

    @classmethod
    def for_profile(cls, profile: Profile, data: Any = None) -> ProfileForm:
        initial = {
            name: getattr(profile, name)
            for name in (
                "stage",
                "specialty",
                "institution",
                "offers",
                "seeks",
                "main_thing",
                "specialty_preference",
                "availability",
            )
        }
        return cls(data=data, initial=initial, program=profile.program)
