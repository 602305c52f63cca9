"""Writes of engagement: asking the first-contact question, recording answers, the nudge, the
no-fault rematch, the program's rules and the periodic run that escalates.

Every e-mail is recorded under a unique key through ``reminder_send_once`` in the transaction
that causes it, so a rerun of the periodic job never sends anything twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.engagement import policies, selectors
from tandem.engagement.models import (
    CHECK_DAYS,
    LATEST_RULE_DAY,
    ContactCheck,
    EngagementRules,
    Escalation,
    Rematch,
)
from tandem.notifications.models import ReminderSent
from tandem.notifications.services import reminder_send_once
from tandem.partnerships.models import Partnership
from tandem.partnerships.services import partnership_exit
from tandem.programs.models import Program
from tandem.workspace.policies import seated_members


def _partners_of(partnership: Partnership, user: User) -> list[User]:
    return [
        m.user for m in seated_members(partnership).select_related("user") if m.user_id != user.pk
    ]


def _names(users: list[User]) -> str:
    return " and ".join(u.display_name for u in users) or "your partner"


def check_answer(*, check: ContactCheck, answer: str, now: dt.datetime | None = None) -> None:
    """Record a member's answer; a "yes" clears any escalation (the partnership is rescued).

    Locks the check (``select_for_update``) so a click on the mail and one on the page at once
    leave one answer.
    """
    if answer not in ContactCheck.Answer.values:
        raise ValidationError("Choose one of the three answers.")
    now = now or timezone.now()
    with transaction.atomic():
        locked = ContactCheck.objects.select_for_update().get(pk=check.pk)
        locked.answer = answer
        locked.answered_at = now
        locked.save(update_fields=["answer", "answered_at"])
        if answer == ContactCheck.Answer.YES:
            Escalation.objects.filter(partnership_id=locked.partnership_id, cleared_at=None).update(
                cleared_at=now
            )
    check.refresh_from_db()


def member_answer(*, partnership: Partnership, member: User, answer: str) -> ContactCheck:
    """Answer the member's latest question from the signed-in page."""
    check = selectors.latest_check(partnership, member)
    if check is None:
        raise ValidationError("Tandem asks this question from day 7 on.")
    check_answer(check=check, answer=answer)
    return check


def partner_nudge(*, partnership: Partnership, member: User) -> int:
    """Send the partners Tandem's own reminder, once per check; returns how many were told.

    The reminder names nobody as its cause and carries nothing the asker wrote.
    """
    with transaction.atomic():
        check = selectors.latest_check(partnership, member)
        if check is None or not selectors.nudge_offered(partnership, member):
            raise ValidationError("A reminder is offered after two “not yet” or a problem.")
        check = ContactCheck.objects.select_for_update().get(pk=check.pk)
        if check.nudged_at is not None:
            raise ValidationError("Tandem already sent your partner a reminder for this check.")
        check.nudged_at = timezone.now()
        check.save(update_fields=["nudged_at"])
        partners = _partners_of(partnership, member)
        for partner in partners:
            reminder_send_once(
                key=f"engagement:nudge:{check.pk}:{partner.pk}",
                user=partner,
                kind=ReminderSent.Kind.OTHER,
                template="engagement/email/partner_nudge",
                context={
                    "partners": _names(_partners_of(partnership, partner)),
                    "link": reverse("engagement:partnership", args=[partnership.pk]),
                    "windows_link": reverse("schedules:windows", args=[partnership.pk]),
                },
            )
    return len(partners)


def rematch_request(*, partnership: Partnership, member: User) -> Rematch:
    """End the partnership without fault and put its members back in the pool with priority."""
    if not selectors.help_offered(partnership, member):
        raise ValidationError("A rematch is offered after two “not yet”, a problem, or day 35.")
    with transaction.atomic():
        try:
            with transaction.atomic():
                rematch = Rematch.objects.create(
                    partnership=partnership, cohort=partnership.cohort, asked_by=member
                )
        except IntegrityError:
            raise ValidationError("A rematch was already asked for.") from None
        partnership_exit(partnership=partnership, member=member)
    return rematch


def rules_update(*, program: Program, at_risk_day: int, rematch_day: int) -> EngagementRules:
    if not 15 <= at_risk_day <= 180:
        raise ValidationError(
            {"at_risk_day": "Choose a day from 15 (after the last check) to 180."}
        )
    if not at_risk_day < rematch_day <= LATEST_RULE_DAY:
        raise ValidationError({"rematch_day": "The rematch day comes after the at-risk day."})
    with transaction.atomic():
        rules, _ = EngagementRules.objects.select_for_update().get_or_create(program=program)
        rules.at_risk_day = at_risk_day
        rules.rematch_day = rematch_day
        rules.updated_at = timezone.now()
        rules.save()
    return rules


@dataclass
class RunResult:
    asked: int = 0
    at_risk: int = 0
    rematch_offered: int = 0
    rescued: int = 0


def _ask(partnership: Partnership, member: User, day: int, now: dt.datetime) -> bool:
    try:
        with transaction.atomic():
            check = ContactCheck.objects.create(
                partnership=partnership, member=member, day=day, asked_at=now
            )
            link = reverse("engagement:link", args=[policies.check_token(check)])
            return reminder_send_once(
                key=f"engagement:check:{check.pk}",
                user=member,
                kind=ReminderSent.Kind.OTHER,
                template="engagement/email/contact_check",
                context={
                    "day": day,
                    "partners": _names(_partners_of(partnership, member)),
                    "link": link,
                    "page": reverse("engagement:partnership", args=[partnership.pk]),
                },
            )
    except IntegrityError:
        return False


def _escalate(partnership: Partnership, level: str, now: dt.datetime) -> bool:
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                partnership=partnership, level=level, raised_at=now
            )
            rules = selectors.rules_of(partnership.cohort.program)
            for seat in seated_members(partnership).select_related("user"):
                reminder_send_once(
                    key=f"engagement:{level}:{escalation.pk}:{seat.user_id}",
                    user=seat.user,
                    kind=ReminderSent.Kind.OTHER,
                    template=f"engagement/email/{level}",
                    context={
                        "partners": _names(_partners_of(partnership, seat.user)),
                        "rules": rules,
                        "page": reverse("engagement:partnership", args=[partnership.pk]),
                    },
                )
    except IntegrityError:
        return False
    return True


def engagement_run(*, now: dt.datetime | None = None) -> RunResult:
    """Ask the day-7 and day-14 questions, raise and clear escalations; idempotent.

    A question is asked only in its own week (day 7 until day 14, day 14 until the at-risk
    day), so partnerships that started long before this ran are not asked late, and not once
    the partnership is under way.
    """
    now = now or timezone.now()
    result = RunResult()
    # Past the latest possible rematch day only an open escalation can still change (rescue).
    open_escalation = Escalation.objects.filter(partnership=OuterRef("pk"), cleared_at=None)
    partnerships = (
        Partnership.objects.filter(status=Partnership.Status.ACTIVE, activated_at__isnull=False)
        .filter(
            Q(activated_at__gte=now - dt.timedelta(days=LATEST_RULE_DAY + 1))
            | Q(Exists(open_escalation))
        )
        .select_related("cohort__program")
    )
    for partnership in partnerships:
        rules = selectors.rules_of(partnership.cohort.program)
        day = selectors.day_of(partnership, now)
        if selectors.has_started(partnership):
            result.rescued += Escalation.objects.filter(
                partnership=partnership, cleared_at=None
            ).update(cleared_at=now)
            continue
        ends = (*CHECK_DAYS[1:], rules.at_risk_day)
        for check_day, until in zip(CHECK_DAYS, ends, strict=True):
            if check_day <= day < until:
                for seat in seated_members(partnership).select_related("user"):
                    result.asked += _ask(partnership, seat.user, check_day, now)
        if day >= rules.at_risk_day:
            result.at_risk += _escalate(partnership, Escalation.Level.AT_RISK, now)
        if day >= rules.rematch_day:
            result.rematch_offered += _escalate(partnership, Escalation.Level.REMATCH, now)
    return result
