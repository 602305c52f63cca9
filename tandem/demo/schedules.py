"""Demo block schedules: the program's residents get a year of rotations and calls.

Built as the block-schedule CSV a residency scheduling system exports and imported through the
same service as the coordinator's upload, so the demo shows the windows a real program would.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tandem.partnerships.models import PartnershipMember
from tandem.programs.models import Enrollment, Program
from tandem.schedules.services import program_schedule_replace

ROTATIONS = (
    ("day", "Internal medicine wards"),
    ("night", "Night float"),
    ("day", "Cardiology consults"),
    ("clinic", "Continuity clinic"),
    ("day", "Emergency medicine"),
    ("vacation", "Vacation"),
    ("day", "Geriatrics"),
)


def block_schedule_csv(
    emails: list[str], start: dt.date, *, on_nights: str | None, on_days: str | None = None
) -> str:
    """Two-week rotations and a call every sixth day for a year; ``on_nights`` starts on nights,
    ``on_days`` on two day rotations (so the two share evenings from the second block on)."""
    rows = ["email,start,end,kind,label"]
    for index, email in enumerate(emails):
        shift = 1 if email == on_nights else (index * 2) % len(ROTATIONS)
        if email == on_nights:
            shift = 1
        elif email == on_days:
            shift = 6  # Geriatrics, then Internal medicine wards
        elif ROTATIONS[shift][0] == "night":
            shift += 1
        for block in range(26):
            kind, label = ROTATIONS[(block + shift) % len(ROTATIONS)]
            first = start + dt.timedelta(weeks=2 * block)
            rows.append(f"{email},{first},{first + dt.timedelta(days=13)},{kind},{label}")
        for day in range(2 + index % 6, 364, 6):
            begin = dt.datetime.combine(start + dt.timedelta(days=day), dt.time(7))
            begin = begin.replace(tzinfo=timezone.get_default_timezone())
            end = begin + dt.timedelta(hours=25)
            if email != on_nights:
                rows.append(f"{email},{begin.isoformat()},{end.isoformat()},call,Ward call")
    return "\n".join(rows) + "\n"


def seed_schedules(program: Program, *, participant_email: str) -> int:
    """Block schedules for the residents of the program; the demo participant's partner is on
    nights this week. Returns how many blocks were imported."""
    emails = sorted(
        {
            email
            for email, stage in Enrollment.objects.filter(cohort__program=program).values_list(
                "user__email", "user__profiles__stage"
            )
            if stage and stage.startswith("PGY")
        }
    )
    if participant_email not in emails:
        emails.append(participant_email)
    partner = (
        PartnershipMember.objects.filter(
            partnership__members__user__email=participant_email,
            partnership__cohort__program=program,
            partnership__status="active",
        )
        .exclude(user__email=participant_email)
        .values_list("user__email", flat=True)
        .first()
    )
    if partner and partner not in emails:
        emails.append(partner)
    today = timezone.localdate()
    start = today - dt.timedelta(days=today.weekday() + 7)
    content = block_schedule_csv(emails, start, on_nights=partner, on_days=participant_email)
    summary = program_schedule_replace(program=program, content=content)
    return int(summary["counts"]["blocks"])
