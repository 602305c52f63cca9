"""Writes for instruments, surveys and their waves, responses, and survey reminders.

Instrument edits are copy-on-write: a version a survey uses is frozen, so the first edit after
that copies it into a new version and changes the copy. Reminders carry no answers, go only to
people who have not answered an open wave, and honour ``survey_reminders``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from tandem.accounts.models import User
from tandem.core.crypto import primary_keys_assign
from tandem.notifications.models import ReminderSent
from tandem.notifications.selectors import preferences_of
from tandem.notifications.services import reminder_send_once
from tandem.programs.models import Cohort, Enrollment, Program
from tandem.surveys import selectors
from tandem.surveys.figures import wave_figures
from tandem.surveys.library import (
    LIBRARY,
    InstrumentDefinition,
    expand_labels,
    parse_instrument_text,
)
from tandem.surveys.models import (
    TEXT_ANSWER_MAX_LENGTH,
    Answer,
    Instrument,
    InstrumentVersion,
    Item,
    Response,
    Survey,
    SurveyWave,
    WaveRelease,
)

logger = logging.getLogger(__name__)

MAX_WAVES = 12
MAX_OFFSET_MONTHS = 60
REMIND_EVERY_DAYS = 7


# --- instruments ---------------------------------------------------------------------------


def _unique_slug(program: Program, wanted: str) -> str:
    base = slugify(wanted)[:50] or "instrument"
    slug, counter = base, 2
    while Instrument.objects.filter(program=program, slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@dataclass(frozen=True)
class InstrumentFields:
    """An instrument's describing fields, checked and trimmed once for create and update."""

    name: str
    description: str
    source: str
    licence: str
    is_validated: bool
    scoring: str

    @classmethod
    def checked(
        cls,
        name: str,
        description: str,
        source: str,
        licence: str,
        is_validated: bool,
        scoring: str,
    ) -> InstrumentFields:
        name = (name or "").strip()
        if not name:
            raise ValidationError({"name": "Give the instrument a name."})
        if scoring not in InstrumentVersion.Scoring.values:
            raise ValidationError({"scoring": "Choose mean or sum."})
        return cls(
            name=name[:200],
            description=description.strip(),
            source=source.strip(),
            licence=licence.strip()[:300],
            is_validated=is_validated,
            scoring=scoring,
        )


def instrument_create(
    *,
    program: Program,
    name: str,
    description: str = "",
    source: str = "",
    licence: str = "",
    is_validated: bool = False,
    scoring: str = InstrumentVersion.Scoring.MEAN,
) -> Instrument:
    """A new instrument with an empty first version, ready for items."""
    fields = InstrumentFields.checked(name, description, source, licence, is_validated, scoring)
    with transaction.atomic():
        instrument = Instrument.objects.create(
            program=program,
            slug=_unique_slug(program, fields.name),
            name=fields.name,
            description=fields.description,
            source=fields.source,
            licence=fields.licence,
            is_validated=fields.is_validated,
        )
        InstrumentVersion.objects.create(instrument=instrument, number=1, scoring=fields.scoring)
    return instrument


def instrument_update(
    *,
    instrument: Instrument,
    name: str,
    description: str = "",
    source: str = "",
    licence: str = "",
    is_validated: bool = False,
    scoring: str = InstrumentVersion.Scoring.MEAN,
) -> Instrument:
    """Save the description (no version needed) and the scoring (in a draft version)."""
    fields = InstrumentFields.checked(name, description, source, licence, is_validated, scoring)
    with transaction.atomic():
        instrument.name = fields.name
        instrument.description = fields.description
        instrument.source = fields.source
        instrument.licence = fields.licence
        instrument.is_validated = fields.is_validated
        instrument.updated_at = timezone.now()
        instrument.save()
        if instrument.latest_version.scoring != fields.scoring:
            draft = instrument_draft(instrument=instrument)
            draft.scoring = fields.scoring
            draft.save(update_fields=["scoring"])
    return instrument


def instrument_draft(*, instrument: Instrument) -> InstrumentVersion:
    """The version edits go to: the latest, or a copy of it when a survey already uses it.

    Locks the instrument row, so two coordinators editing at once make one new version.
    """
    with transaction.atomic():
        Instrument.objects.select_for_update().get(pk=instrument.pk)
        latest = instrument.latest_version
        if not latest.is_frozen:
            return latest
        draft = InstrumentVersion.objects.create(
            instrument=instrument, number=latest.number + 1, scoring=latest.scoring
        )
        Item.objects.bulk_create(
            Item(
                version=draft,
                key=item.key,
                order=item.order,
                text=item.text,
                kind=item.kind,
                scale_min=item.scale_min,
                scale_max=item.scale_max,
                point_labels=list(item.point_labels),
                reverse_scored=item.reverse_scored,
                subscale=item.subscale,
                required=item.required,
            )
            for item in latest.items.all()
        )
        return draft


def _item_fields(
    *,
    text: str,
    kind: str,
    scale_min: int | None,
    scale_max: int | None,
    point_labels: Iterable[str] = (),
    reverse_scored: bool = False,
    subscale: str = "",
    required: bool = True,
) -> dict[str, Any]:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Write the question."})
    if kind not in Item.Kind.values:
        raise ValidationError({"kind": "Choose a kind of answer."})
    if kind == Item.Kind.TEXT:
        return {
            "text": text,
            "kind": kind,
            "scale_min": None,
            "scale_max": None,
            "point_labels": [],
            "reverse_scored": False,
            "subscale": "",
            "required": required,
        }
    if scale_min is None or scale_max is None:
        raise ValidationError({"scale_max": "Give the lowest and the highest answer."})
    if scale_max <= scale_min:
        raise ValidationError({"scale_max": "The highest answer must be above the lowest."})
    if kind == Item.Kind.LIKERT and scale_max - scale_min > 10:
        raise ValidationError({"scale_max": "A rating scale has at most 11 points."})
    if scale_min < -1000 or scale_max > 1000:
        raise ValidationError({"scale_max": "Keep answers between -1000 and 1000."})
    labels = [label.strip()[:100] for label in point_labels if label is not None]
    while labels and labels[-1] == "" and len(labels) > 2:
        labels.pop()
    if kind == Item.Kind.LIKERT:
        try:
            labels = list(expand_labels(labels, scale_min, scale_max))
        except ValidationError:
            raise ValidationError(
                {"point_labels": "Give one label per point, or just the lowest and highest."}
            ) from None
    else:
        labels = []
    return {
        "text": text,
        "kind": kind,
        "scale_min": scale_min,
        "scale_max": scale_max,
        "point_labels": labels,
        "reverse_scored": bool(reverse_scored),
        "subscale": (subscale or "").strip()[:80],
        "required": required,
    }


def _unique_key(version: InstrumentVersion, wanted: str) -> str:
    base = slugify(wanted)[:34] or "item"
    key, counter = base, 2
    while version.items.filter(key=key).exists():
        key, counter = f"{base}-{counter}", counter + 1
    return key


def item_add(*, instrument: Instrument, key: str = "", **fields: Any) -> Item:
    """Add a question at the end of the instrument's draft version."""
    cleaned = _item_fields(**fields)
    with transaction.atomic():
        draft = instrument_draft(instrument=instrument)
        last = draft.items.aggregate(last=Max("order"))["last"]
        return Item.objects.create(
            version=draft,
            key=_unique_key(draft, key or cleaned["text"][:30]),
            order=0 if last is None else last + 1,
            **cleaned,
        )


def _in_draft(item: Item) -> Item:
    draft = instrument_draft(instrument=item.version.instrument)
    return draft.items.get(key=item.key)


def item_update(*, item: Item, **fields: Any) -> Item:
    """Change a question; a frozen version is copied first, so past answers keep theirs."""
    cleaned = _item_fields(**fields)
    with transaction.atomic():
        target = _in_draft(item)
        for name, value in cleaned.items():
            setattr(target, name, value)
        target.save()
    return target


def item_move(*, item: Item, up: bool) -> Item:
    """Swap the question with its neighbour above (or below)."""
    with transaction.atomic():
        target = _in_draft(item)
        items = list(target.version.items.order_by("order", "pk"))
        index = next(i for i, found in enumerate(items) if found.pk == target.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
            for position, found in enumerate(items):
                if found.order != position:
                    found.order = position
                    found.save(update_fields=["order"])
    return target


def item_delete(*, item: Item) -> None:
    with transaction.atomic():
        _in_draft(item).delete()


def _create_items(version: InstrumentVersion, definition_items: Iterable[Any]) -> None:
    Item.objects.bulk_create(
        Item(
            version=version,
            key=entry.key,
            order=order,
            **_item_fields(
                text=entry.text,
                kind=entry.kind,
                scale_min=entry.scale_min,
                scale_max=entry.scale_max,
                point_labels=entry.point_labels,
                reverse_scored=entry.reverse_scored,
                subscale=entry.subscale,
                required=entry.required,
            ),
        )
        for order, entry in enumerate(definition_items)
    )


def instrument_from_library(*, program: Program, slug: str) -> Instrument:
    """Copy one of the instruments Tandem ships into the program, where it can be edited."""
    definition: InstrumentDefinition | None = LIBRARY.get(slug)
    if definition is None:
        raise ValidationError("Tandem ships no instrument of that name.")
    with transaction.atomic():
        instrument = instrument_create(
            program=program,
            name=definition.name,
            description=definition.description,
            source=definition.source,
            licence=definition.licence,
            is_validated=definition.is_validated,
            scoring=definition.scoring,
        )
        _create_items(instrument.latest_version, definition.items)
    return instrument


def instrument_import(
    *,
    program: Program,
    name: str,
    text: str,
    source: str = "",
    licence: str = "",
    is_validated: bool = False,
    scoring: str = InstrumentVersion.Scoring.MEAN,
) -> Instrument:
    """Create an instrument from pasted text (see ``library.parse_instrument_text``), whole
    or not at all."""
    parsed = parse_instrument_text(text or "")
    with transaction.atomic():
        instrument = instrument_create(
            program=program,
            name=name,
            source=source,
            licence=licence,
            is_validated=is_validated,
            scoring=scoring,
        )
        _create_items(instrument.latest_version, parsed.items)
    return instrument


# --- surveys and waves ---------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def wave_label(offset_months: int) -> str:
    if offset_months == 0:
        return "Baseline"
    return f"{offset_months} month{'' if offset_months == 1 else 's'}"


def survey_create(
    *,
    program: Program,
    cohort: Cohort,
    instrument: Instrument,
    offsets_months: list[int],
    window_days: int = 14,
    title: str = "",
    created_by: User | None = None,
) -> Survey:
    """Give the instrument's latest version to the cohort: one wave per offset, each open for
    ``window_days`` from the cohort's start plus the offset. The version is frozen from now."""
    errors: dict[str, str] = {}
    if cohort.program_id != program.pk or instrument.program_id != program.pk:
        raise ValidationError("The cohort and the instrument must belong to this program.")
    offsets = sorted(set(offsets_months))
    if not offsets:
        errors["offsets_months"] = "Give at least one wave, such as 0 for a baseline."
    elif len(offsets) > MAX_WAVES or offsets[0] < 0 or offsets[-1] > MAX_OFFSET_MONTHS:
        errors["offsets_months"] = (
            f"Give up to {MAX_WAVES} waves, 0 to {MAX_OFFSET_MONTHS} months after the start."
        )
    if not 1 <= window_days <= 90:
        errors["window_days"] = "Keep each wave open for 1 to 90 days."
    version = instrument.latest_version
    if not version.items.exists():
        errors["instrument"] = "Add questions to the instrument first."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        survey = Survey.objects.create(
            program=program,
            cohort=cohort,
            version=version,
            title=(title or "").strip()[:200] or instrument.name,
            created_by=created_by,
        )
        for offset in offsets:
            opens_on = add_months(cohort.starts_on, offset)
            SurveyWave.objects.create(
                survey=survey,
                label=wave_label(offset),
                offset_months=offset,
                opens_on=opens_on,
                closes_on=opens_on + dt.timedelta(days=window_days - 1),
            )
    return survey


def wave_update(
    *, wave: SurveyWave, label: str, opens_on: dt.date, closes_on: dt.date
) -> SurveyWave:
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": "Give the wave a name."})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": "A wave closes on or after the day it opens."})
    moved = (opens_on, closes_on) != (wave.opens_on, wave.closes_on)
    if moved and WaveRelease.objects.filter(wave=wave).exists():
        # Answers taken after the release would change figures already shown.
        raise ValidationError(
            {"closes_on": "This wave's results are out, so its dates can no longer change."}
        )
    wave.label, wave.opens_on, wave.closes_on = label[:80], opens_on, closes_on
    wave.save()
    return wave


def wave_releases_due(*, survey: Survey, today: dt.date | None = None) -> dict[int, WaveRelease]:
    """Release the figures of every wave that has closed and has none yet; all releases by wave.

    Waves are released in order, each once: the survey row is locked while it happens, so two
    requests at the close cannot release one wave twice or out of order.
    """
    today = today or timezone.localdate()
    waves = list(survey.waves.order_by("offset_months", "pk"))
    releases = {
        release.wave_id: release for release in WaveRelease.objects.filter(wave__survey=survey)
    }
    due = [wave for wave in waves if wave.closes_on < today and wave.pk not in releases]
    if not due:
        return releases
    with transaction.atomic():
        Survey.objects.select_for_update().filter(pk=survey.pk).first()
        releases = {
            release.wave_id: release for release in WaveRelease.objects.filter(wave__survey=survey)
        }
        for wave in due:
            if wave.pk in releases:
                continue
            published: dict[str, list[set[int]]] = {}
            for release in releases.values():
                published.setdefault(str(release.wave_id), [])
                for key, groups in release.figures["groups"].items():
                    published.setdefault(key, []).extend(set(group) for group in groups)
            figures = wave_figures(survey, wave, baseline=waves[0], published_groups=published)
            releases[wave.pk] = WaveRelease.objects.create(wave=wave, figures=figures)
    return releases


# --- responses -----------------------------------------------------------------------------


def _clean_answers(items: list[Item], answers: Mapping[str, Any]) -> dict[str, int | str]:
    """Check every answer against its item; raises one ValidationError naming each field."""
    known = {item.key for item in items}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ValidationError(f"Unknown questions: {', '.join(unknown)}.")
    errors: dict[str, str] = {}
    cleaned: dict[str, int | str] = {}
    for item in items:
        raw = answers.get(item.key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if item.required:
                errors[item.key] = "Please answer this question."
            continue
        if item.kind == Item.Kind.TEXT:
            text = str(raw).strip()
            if len(text) > TEXT_ANSWER_MAX_LENGTH:
                errors[item.key] = f"Keep it under {TEXT_ANSWER_MAX_LENGTH} characters."
            else:
                cleaned[item.key] = text
            continue
        try:
            number = int(str(raw).strip()) if not isinstance(raw, bool) else None
        except ValueError:
            number = None
        assert item.scale_min is not None
        assert item.scale_max is not None
        if number is None or not item.scale_min <= number <= item.scale_max:
            errors[item.key] = f"Choose a whole number from {item.scale_min} to {item.scale_max}."
            continue
        cleaned[item.key] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


def response_submit(*, wave: SurveyWave, user: User, answers: Mapping[str, Any]) -> Response:
    """Save (or replace) the person's answers to an open wave, all of them or none.

    Only people actively enrolled in the survey's cohort answer, and only while the wave is
    open; the person's earlier response row is locked while it is replaced.
    """
    today = timezone.localdate()
    if not wave.is_open_on(today):
        raise ValidationError("This survey is closed.")
    if not selectors.is_invited(wave.survey, user):
        raise ValidationError("This survey is for the people of its cohort.")
    items = list(wave.survey.version.items.order_by("order", "pk"))
    cleaned = _clean_answers(items, answers)
    by_key = {item.key: item for item in items}
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    wave=wave, user=user, submitted_at=now, updated_at=now
                )
        except IntegrityError:
            response = Response.objects.select_for_update().get(wave=wave, user=user)
            response.updated_at = now
            response.save(update_fields=["updated_at"])
            response.answers.all().delete()
        # Ids first: each answer's text is encrypted bound to its own row.
        Answer.objects.bulk_create(
            primary_keys_assign(
                Answer(
                    response=response,
                    item=by_key[key],
                    number=value if isinstance(value, int) else None,
                    text=value if isinstance(value, str) else "",
                )
                for key, value in cleaned.items()
            )
        )
    return response


# --- reminders -----------------------------------------------------------------------------


def survey_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Email each person who has not answered an open wave, at most once a week per wave.

    Only people actively enrolled in the cohort who keep ``survey_reminders`` on; the key of
    each reminder (wave, person, week of the wave) makes reruns send nothing twice.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    waves = SurveyWave.objects.filter(opens_on__lte=today, closes_on__gte=today).select_related(
        "survey__cohort__program"
    )
    for wave in waves:
        answered = Response.objects.filter(wave=wave).values("user_id")
        people = list(
            User.objects.filter(
                is_active=True,
                enrollments__cohort=wave.survey.cohort,
                enrollments__status=Enrollment.Status.ACTIVE,
            )
            .exclude(pk__in=answered)
            .distinct()
        )
        preferences = preferences_of(people)
        week = (today - wave.opens_on).days // REMIND_EVERY_DAYS
        link = reverse("surveys:answer", args=[wave.pk])
        for person in people:
            if not preferences[person.pk].survey_reminders:
                continue
            if reminder_send_once(
                key=f"survey:{wave.pk}:{person.pk}:{week}",
                user=person,
                kind=ReminderSent.Kind.OTHER,
                template="surveys/email/survey_reminder",
                context={
                    "survey_title": wave.survey.title,
                    "wave_label": wave.label,
                    "program_name": wave.survey.program.name,
                    "closes_on": wave.closes_on,
                    "link": link,
                },
            ):
                sent += 1
    if sent:
        logger.info("queued %s survey reminders", sent)
    return sent
