"""Writes for check-ins, reflections, kudos, support resources and check-in settings.

Nothing here ever sends or shows a person's answers to anyone else: crossing the threshold
only changes what the person themself sees next, and reminders carry no content.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core.crypto import encrypted_update
from tandem.core.mail import send_email_on_commit
from tandem.notifications.selectors import preferences_of
from tandem.partnerships.models import Partnership
from tandem.programs.models import Cohort, Enrollment, Program
from tandem.wellbeing import instruments, selectors
from tandem.wellbeing.defaults import DEFAULT_RESOURCES
from tandem.wellbeing.figures import period_figures, periods_of
from tandem.wellbeing.models import (
    KUDOS_MAX_LENGTH,
    Kudos,
    PeriodRelease,
    ProgramWellbeing,
    Pulse,
    Reflection,
    SharedReflection,
    SupportResource,
    WellbeingSettings,
)

logger = logging.getLogger(__name__)

REFLECTION_MAX_LENGTH = 5000


def _score(value: int, field: str) -> int:
    if not isinstance(value, int) or value not in instruments.SCALE:
        raise ValidationError({field: "Choose one of the five answers."})
    return value


def _clean_word(word: str) -> str:
    word = " ".join((word or "").split())
    if len(word) > instruments.WORD_MAX_LENGTH:
        raise ValidationError(
            {"word": f"Keep it to {instruments.WORD_MAX_LENGTH} characters or fewer."}
        )
    return word


def pulse_record(
    *, user: User, burnout: int, supported: int, word: str = "", share: bool = False
) -> Pulse:
    """Save a check-in. Only participants of a program check in."""
    if not selectors.is_participant(user):
        raise ValidationError("Check-ins are for participants of a program.")
    return Pulse.objects.create(
        user=user,
        burnout=_score(burnout, "burnout"),
        supported=_score(supported, "supported"),
        word=_clean_word(word),
        shared_with_partners=bool(share),
    )


def pulse_share_set(*, pulse: Pulse, shared: bool) -> Pulse:
    pulse.shared_with_partners = shared
    pulse.save(update_fields=["shared_with_partners"])
    return pulse


def pulse_delete(*, pulse: Pulse) -> None:
    pulse.delete()


def wellbeing_settings_update(*, user: User, pulse_every_days: int | None) -> WellbeingSettings:
    """Save the person's own check-in schedule (None: as their program suggests).

    Whether they get reminder emails is a notification preference, not set here.
    """
    if pulse_every_days is not None and not 7 <= pulse_every_days <= 90:
        raise ValidationError({"pulse_every_days": "Choose between 7 and 90 days."})
    found, _ = WellbeingSettings.objects.update_or_create(
        user=user, defaults={"pulse_every_days": pulse_every_days}
    )
    return found


def _reflection_fields(
    kind: str, what_happened: str, opportunity: str, advice_to_peer: str
) -> dict[str, str]:
    if kind not in Reflection.Kind.values:
        raise ValidationError({"kind": "Say whether this is a win or a setback."})
    what_happened = (what_happened or "").strip()
    if not what_happened:
        raise ValidationError({"what_happened": "Write a few words about what happened."})
    fields = {
        "kind": kind,
        "what_happened": what_happened,
        "opportunity": (opportunity or "").strip(),
        "advice_to_peer": (advice_to_peer or "").strip(),
    }
    for name, value in fields.items():
        if len(value) > REFLECTION_MAX_LENGTH:
            raise ValidationError({name: f"Keep it under {REFLECTION_MAX_LENGTH} characters."})
    return fields


def reflection_create(
    *, user: User, kind: str, what_happened: str, opportunity: str = "", advice_to_peer: str = ""
) -> Reflection:
    fields = _reflection_fields(kind, what_happened, opportunity, advice_to_peer)
    return Reflection.objects.create(user=user, **fields)


def reflection_update(
    *,
    reflection: Reflection,
    kind: str,
    what_happened: str,
    opportunity: str = "",
    advice_to_peer: str = "",
) -> Reflection:
    """Edit the private entry; copies already shared stay as they were until shared again."""
    fields = _reflection_fields(kind, what_happened, opportunity, advice_to_peer)
    for name, value in fields.items():
        setattr(reflection, name, value)
    reflection.updated_at = timezone.now()
    reflection.save()
    return reflection


def reflection_delete(*, reflection: Reflection) -> None:
    """Delete the entry and every copy of it shared into a workspace."""
    reflection.delete()


def reflection_share(
    *, reflection: Reflection, partnership: Partnership, user: User
) -> SharedReflection:
    """Copy the entry, as it is now, into a partnership the author currently belongs to."""
    if reflection.user_id != user.pk or selectors.current_member(partnership, user) is None:
        raise ValidationError("You can share your own entries with your current partners only.")
    shared, _ = SharedReflection.objects.update_or_create(
        reflection=reflection,
        partnership=partnership,
        defaults={
            "author": user,
            "kind": reflection.kind,
            "what_happened": reflection.what_happened,
            "opportunity": reflection.opportunity,
            "advice_to_peer": reflection.advice_to_peer,
            "written_at": reflection.created_at,
            "shared_at": timezone.now(),
        },
    )
    return shared


def reflection_unshare(*, reflection: Reflection, partnership: Partnership) -> None:
    SharedReflection.objects.filter(reflection=reflection, partnership=partnership).delete()


def kudos_send(
    *,
    partnership: Partnership,
    sender: User,
    message: str,
    recipient: User | None = None,
    notify: bool = True,
) -> Kudos:
    """Send encouragement to the other current members (or to one of them).

    Each recipient who wants kudos emails is told, once the kudos is saved, that it arrived —
    never what it says. ``notify=False`` sends no email (demo seeding).
    """
    if selectors.current_member(partnership, sender) is None:
        raise ValidationError("Kudos go between current members of an active partnership.")
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": "Write a few words of encouragement."})
    if len(message) > KUDOS_MAX_LENGTH:
        raise ValidationError({"message": f"Keep it to {KUDOS_MAX_LENGTH} characters or fewer."})
    partners = selectors.current_partners(partnership, sender)
    if recipient is not None and recipient not in partners:
        raise ValidationError({"recipient": "Choose one of your partners."})
    with transaction.atomic():
        kudos = Kudos.objects.create(
            partnership=partnership, sender=sender, recipient=recipient, message=message
        )
        if notify:
            _email_kudos_arrived(kudos, sender, [recipient] if recipient else partners)
    return kudos


def _email_kudos_arrived(kudos: Kudos, sender: User, recipients: list[User]) -> None:
    """A content-free note to each recipient who wants one: who sent kudos, and a link."""
    preferences = preferences_of(recipients)
    link = reverse("wellbeing:kudos", args=[kudos.partnership_id])
    for person in recipients:
        if not person.is_active or not preferences[person.pk].kudos_emails:
            continue
        send_email_on_commit(
            to=[person.email],
            template="wellbeing/email/kudos_received",
            context={"recipient": person, "sender_name": sender.display_name, "link": link},
        )


def partnership_wellbeing_purge(*, partnership: Partnership) -> dict[str, int]:
    """The retention purge of an ended partnership: shared copies of journal entries are
    deleted (the authors keep their own entries) and kudos are blanked, keeping their dates.

    Called by the workspace's purge, inside its transaction; returns what was removed.
    """
    shared_deleted, _ = SharedReflection.objects.filter(partnership=partnership).delete()
    # Each blank is sealed for its own row, like every encrypted value.
    kudos_blanked = encrypted_update(Kudos.objects.filter(partnership=partnership), message="")
    return {"shared_reflections_deleted": shared_deleted, "kudos_blanked": kudos_blanked}


def program_wellbeing_ensure(*, program: Program) -> ProgramWellbeing:
    """Give a program its check-in settings and the example support resources, once."""
    with transaction.atomic():
        settings_row, created = ProgramWellbeing.objects.get_or_create(program=program)
        if created and not SupportResource.objects.filter(program=program).exists():
            SupportResource.objects.bulk_create(
                SupportResource(program=program, is_example=True, **fields)
                for fields in DEFAULT_RESOURCES
            )
    return settings_row


def program_wellbeing_update(
    *, program: Program, pulse_every_days: int, burnout_threshold: int, supported_threshold: int
) -> ProgramWellbeing:
    errors = {}
    if not 7 <= pulse_every_days <= 90:
        errors["pulse_every_days"] = "Choose between 7 and 90 days."
    if not 2 <= burnout_threshold <= 5:
        errors["burnout_threshold"] = "Choose an answer from 2 to 5."
    if not 1 <= supported_threshold <= 4:
        errors["supported_threshold"] = "Choose an answer from 1 to 4."
    if errors:
        raise ValidationError(errors)
    settings_row = program_wellbeing_ensure(program=program)
    settings_row.pulse_every_days = pulse_every_days
    settings_row.burnout_threshold = burnout_threshold
    settings_row.supported_threshold = supported_threshold
    settings_row.updated_at = timezone.now()
    settings_row.save()
    return settings_row


def _resource_fields(fields: dict[str, object]) -> dict[str, object]:
    allowed = {"name", "kind", "description", "phone", "url", "hours", "order"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if not str(fields.get("name", "")).strip():
        raise ValidationError({"name": "Give the resource a name."})
    if not (fields.get("phone") or fields.get("url")):
        raise ValidationError("Give a phone number or a web address, so people can reach it.")
    return fields


def support_resource_create(*, program: Program, **fields: object) -> SupportResource:
    resource = SupportResource(program=program, **_resource_fields(fields))
    resource.full_clean()
    resource.save()
    return resource


def support_resource_update(*, resource: SupportResource, **fields: object) -> SupportResource:
    """Save the program's edit; a checked example is no longer marked as an example."""
    for name, value in _resource_fields(fields).items():
        setattr(resource, name, value)
    resource.is_example = False
    resource.updated_at = timezone.now()
    resource.full_clean()
    resource.save()
    return resource


def support_resource_delete(*, resource: SupportResource) -> None:
    resource.delete()


def pulse_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Email everyone whose check-in is due and who has not been reminded for a whole interval.

    One reminder per interval at most: each person's settings row is locked while checked, so
    two workers running at once cannot both send. Returns how many reminders were queued.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = (
        User.objects.filter(
            is_active=True,
            enrollments__status=Enrollment.Status.ACTIVE,
            enrollments__cohort__starts_on__lte=today,
            enrollments__cohort__ends_on__gte=today,
        )
        .exclude(Q(notification_preference__checkin_reminders=False))
        .distinct()
    )
    sent = 0
    for person in candidates:
        if _remind(person, now=now):
            sent += 1
    return sent


def _remind(person: User, *, now: dt.datetime) -> bool:
    with transaction.atomic():
        WellbeingSettings.objects.get_or_create(user=person)
        own = WellbeingSettings.objects.select_for_update().get(user=person)
        if not selectors.wellbeing_reminders_wanted(person):
            return False
        every = dt.timedelta(days=selectors.pulse_every_days(person, own))
        last_pulse = selectors.last_pulse_at(person)
        if last_pulse is not None and now - last_pulse < every:
            return False
        if own.last_reminded_at is not None and now - own.last_reminded_at < every:
            return False
        own.last_reminded_at = now
        own.save(update_fields=["last_reminded_at"])
        send_email_on_commit(
            to=[person.email],
            template="wellbeing/email/pulse_reminder",
            context={"person": person, "every_days": every.days},
        )
    logger.info("queued a check-in reminder for user %s", person.pk)
    return True


def checkin_periods_release(*, cohort: Cohort, today: dt.date | None = None) -> dict[dt.date, Any]:
    """Release every period of the cohort that has ended and has no figures yet; all by start.

    A period's counts are fixed the first time they are asked for after it ended, so nothing
    shows while people are still checking in, and nothing moves afterwards. The cohort row is
    locked while periods are released, so two requests cannot release one period twice.
    """
    today = today or timezone.localdate()
    ended = [period for period in periods_of(cohort, today=today) if period.ends_on < today]
    released = {
        release.starts_on: release.figures
        for release in PeriodRelease.objects.filter(cohort=cohort)
    }
    due = [period for period in ended if period.starts_on not in released]
    if not due:
        return released
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        taken = set(PeriodRelease.objects.filter(cohort=cohort).values_list("starts_on", flat=True))
        for period in due:
            if period.starts_on not in taken:
                PeriodRelease.objects.create(
                    cohort=cohort,
                    starts_on=period.starts_on,
                    figures=period_figures(cohort, period),
                )
    return {
        release.starts_on: release.figures
        for release in PeriodRelease.objects.filter(cohort=cohort)
    }
