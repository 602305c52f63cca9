"""Writes of schedules: imports (a person's own file, a program's block schedule), settings,
calendar subscriptions and feeds, and a meeting booked from a window.

Every uploaded file goes through the import pipeline (``tandem.core.imports``): previewed,
then applied in one transaction that replaces the blocks from its own source; a file with any
bad row changes nothing, and importing the same file twice leaves the same blocks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core.crypto import encrypt, field_binding, ids_reserve
from tandem.core.imports import (
    ImportDefinition,
    PreviewTable,
    cell,
    import_apply,
    import_discard,
    import_preview,
)
from tandem.engine.availability import KINDS, RULES
from tandem.partnerships.models import Partnership
from tandem.programs.models import Enrollment, Profile, Program
from tandem.schedules.models import (
    CalendarFeed,
    OwnScheduleImport,
    ProgramScheduleRules,
    ScheduleBlock,
    ScheduleImport,
    ScheduleSettings,
)
from tandem.schedules.parsing import (
    ParsedBlock,
    ParsedSchedule,
    parse_schedule_csv,
    parse_schedule_ics,
)
from tandem.schedules.selectors import current_members, meeting_minutes_for, partnership_windows
from tandem.workspace.models import Meeting
from tandem.workspace.services.meetings import meeting_schedule

MAX_FEED_URL = 500


# ------------------------------------------------------------------ a person's own schedule
def _blocks_for(user_id: int, parsed: Iterable[ParsedBlock], **fields: Any) -> list[ScheduleBlock]:
    return [
        ScheduleBlock(
            user_id=user_id,
            starts_at=block.starts_at,
            ends_at=block.ends_at,
            whole_days=block.whole_days,
            kind=block.kind,
            label=block.label or None,
            **fields,
        )
        for block in parsed
    ]


def own_schedule_replace(*, user: User, parsed: ParsedSchedule, source: str) -> int:
    """Replace the person's blocks from ``source`` (their CSV, .ics file or subscription) with
    ``parsed``; refuses a file with any problem. Returns how many blocks were stored."""
    if parsed.errors:
        raise ValidationError("The file has problems; nothing was imported.")
    if source not in (
        ScheduleBlock.Source.UPLOAD,
        ScheduleBlock.Source.ICS,
        ScheduleBlock.Source.FEED,
    ):
        raise ValidationError("Unknown schedule source.")
    for block in parsed.blocks:
        if block.person and block.person.lower() != user.email.lower():
            raise ValidationError("Your own schedule can only hold your own blocks.")
    with transaction.atomic():
        ScheduleBlock.objects.filter(user=user, source=source).delete()
        ScheduleBlock.objects.bulk_create(_blocks_for(user.pk, parsed.blocks, source=source))
    return len(parsed.blocks)


def _own_parsed(record: OwnScheduleImport) -> ParsedSchedule:
    if record.source == ScheduleBlock.Source.ICS:
        return parse_schedule_ics(record.content.encode("utf-8"))
    parsed = parse_schedule_csv(record.content, person_column=False)
    for block in parsed.blocks:
        if block.person and block.person.lower() != record.user.email.lower():
            parsed.error(block.line, "email", "Your own schedule can only hold your own blocks.")
    parsed.errors.sort(key=lambda e: (e["line"], e["column"]))
    return parsed


class OwnScheduleFile(ImportDefinition):
    """A person's own schedule file (CSV or .ics) as an upload of the import pipeline; it
    replaces the blocks their earlier file of the same kind brought."""

    name = "own schedule"
    model = OwnScheduleImport
    keeps_content = False
    shown_blocks = 200

    def plan(self, record: OwnScheduleImport) -> dict[str, Any]:
        parsed = _own_parsed(record)
        kinds = {kind: 0 for kind in KINDS}
        for block in parsed.blocks:
            kinds[block.kind] += 1
        return {
            "errors": parsed.errors[:500],
            "error_count": len(parsed.errors),
            "counts": {"blocks": len(parsed.blocks), "kinds": kinds},
        }

    def write(self, record: OwnScheduleImport, *, by: User | None) -> dict[str, Any]:
        own_schedule_replace(user=record.user, parsed=_own_parsed(record), source=record.source)
        return dict(record.summary)

    def table(self, record: OwnScheduleImport) -> PreviewTable:
        """The blocks themselves, read again from the stored file: the preview is its owner's
        alone, and the summary keeps no label or date."""
        if not record.content:
            return _kind_table(record.summary)
        blocks = _own_parsed(record).blocks[: self.shown_blocks]
        return PreviewTable(
            figures=[(record.summary["counts"]["blocks"], "blocks")],
            caption=f"Blocks (the first {len(blocks)})",
            headers=["Line", "Start", "End", "Kind", "Label"],
            rows=[
                [
                    cell(block.line),
                    cell(_moment_text(block.starts_at, block.whole_days)),
                    cell(_moment_text(block.ends_at, block.whole_days)),
                    cell(block.kind),
                    cell(block.label),
                ]
                for block in blocks
            ],
            note="Your earlier blocks from a file of this kind are replaced.",
        )


def _moment_text(moment: dt.datetime, whole_days: bool) -> str:
    return moment.date().isoformat() if whole_days else moment.isoformat(timespec="minutes")


OWN_SCHEDULE = OwnScheduleFile()


def own_schedule_preview(*, user: User, filename: str, text: str, raw: bytes) -> OwnScheduleImport:
    """Keep a person's uploaded file for them to preview; a calendar file is told from a CSV
    by its name or its first line."""
    is_calendar = filename.lower().endswith(".ics") or raw.lstrip().startswith(b"BEGIN:VCALENDAR")
    source = ScheduleBlock.Source.ICS if is_calendar else ScheduleBlock.Source.UPLOAD
    record: OwnScheduleImport = import_preview(
        OWN_SCHEDULE, content=text, user=user, source=source, filename=filename[:255]
    )
    return record


def own_schedule_apply(*, schedule_upload: OwnScheduleImport) -> int:
    """Apply a previewed file of the person's own; returns how many blocks were stored."""
    summary = import_apply(OWN_SCHEDULE, record=schedule_upload, by=schedule_upload.user)
    return int(summary["counts"]["blocks"])


def own_schedule_discard(*, schedule_upload: OwnScheduleImport) -> None:
    import_discard(OWN_SCHEDULE, record=schedule_upload)


def own_schedule_clear(*, user: User) -> int:
    """Delete every block of the person, whatever its source."""
    deleted, _ = ScheduleBlock.objects.filter(user=user).delete()
    return deleted


def zone_checked(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"timezone": "Choose a time zone from the list."}) from None
    return name


def schedule_settings_update(
    *,
    user: User,
    timezone_name: str,
    wakes_at: dt.time,
    sleeps_at: dt.time,
    meeting_minutes: int,
    drought_nudges: bool,
) -> ScheduleSettings:
    zone_checked(timezone_name)
    if wakes_at == sleeps_at:
        raise ValidationError({"sleeps_at": "Waking hours need a different start and end."})
    if not 15 <= meeting_minutes <= 240:
        raise ValidationError({"meeting_minutes": "Give 15 to 240 minutes."})
    with transaction.atomic():
        mine, _ = ScheduleSettings.objects.select_for_update().get_or_create(user=user)
        mine.timezone = timezone_name
        mine.wakes_at = wakes_at
        mine.sleeps_at = sleeps_at
        mine.meeting_minutes = meeting_minutes
        mine.drought_nudges = drought_nudges
        mine.updated_at = timezone.now()
        mine.save()
    return mine


# ------------------------------------------------------------------ the program's block schedule
def program_people(program: Program, keys: set[str]) -> dict[str, int]:
    """Map each email (lower case) or roster id in ``keys`` to a user enrolled in ``program``."""
    enrolled = set(
        Enrollment.objects.filter(cohort__program=program).values_list("user_id", flat=True)
    )
    lowered = {key.lower() for key in keys}
    found: dict[str, int] = {}
    for user_id, email in User.objects.filter(pk__in=enrolled).values_list("pk", "email"):
        if email.lower() in lowered:
            found[email.lower()] = user_id
    for user_id, roster_id in Profile.objects.filter(
        program=program, roster_id__in=keys, user_id__in=enrolled
    ).values_list("user_id", "roster_id"):
        found.setdefault(roster_id, user_id)
    return found


def _person_key(text: str) -> str:
    return text.lower() if "@" in text else text


def program_schedule_plan(
    *, program: Program, content: str
) -> tuple[ParsedSchedule, dict[str, int]]:
    """The parsed file and who each row names; unknown people become row errors."""
    parsed = parse_schedule_csv(content, person_column=True)
    people = program_people(program, {block.person for block in parsed.blocks})
    for block in parsed.blocks:
        if _person_key(block.person) not in people:
            parsed.error(
                block.line,
                "email",
                f"No one enrolled in {program.name} has the email address or id "
                f"“{block.person[:60]}”.",
            )
    parsed.errors.sort(key=lambda e: (e["line"], e["column"]))
    return parsed, people


def _summary(parsed: ParsedSchedule, people: dict[str, int]) -> dict[str, Any]:
    """Counts only: a preview never repeats a rotation name or a date of anyone's schedule."""
    kinds = {kind: 0 for kind in KINDS}
    persons: set[int] = set()
    for block in parsed.blocks:
        kinds[block.kind] += 1
        user_id = people.get(_person_key(block.person))
        if user_id is not None:
            persons.add(user_id)
    return {
        "errors": parsed.errors[:500],
        "error_count": len(parsed.errors),
        "counts": {"people": len(persons), "blocks": len(parsed.blocks), "kinds": kinds},
    }


def schedule_import_preview(
    *, program: Program, uploaded_by: User | None, filename: str, content: str
) -> ScheduleImport:
    record: ScheduleImport = import_preview(
        BLOCK_SCHEDULE,
        content=content,
        program=program,
        uploaded_by=uploaded_by,
        filename=filename[:255],
    )
    return record


def program_schedule_replace(*, program: Program, content: str) -> dict[str, Any]:
    """Replace the program-sourced blocks of every person the file names, all or nothing."""
    parsed, people = program_schedule_plan(program=program, content=content)
    if parsed.errors:
        raise ValidationError(f"{len(parsed.errors)} problem(s) in the file; nothing was imported.")
    by_person: dict[int, list[ParsedBlock]] = {}
    for block in parsed.blocks:
        by_person.setdefault(people[_person_key(block.person)], []).append(block)
    with transaction.atomic():
        ScheduleBlock.objects.filter(
            user_id__in=list(by_person), source=ScheduleBlock.Source.PROGRAM, program=program
        ).delete()
        _insert_program_blocks(program, by_person)
    return _summary(parsed, people)


INSERT_BATCH = 5000


def _insert_program_blocks(program: Program, by_person: dict[int, list[ParsedBlock]]) -> None:
    """Insert a program's blocks in batches of plain rows.

    A year of a large program is a hundred thousand rows; building a model instance for each
    cost more than the database itself, so rows go straight to ``executemany``.
    """
    meta = ScheduleBlock._meta
    names = (
        "id", "user", "starts_at", "ends_at", "whole_days", "kind", "label", "source", "program",
        "created_at",
    )  # fmt: skip
    fields = {field.name: field for field in meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(str(fields[n].column)) for n in names)
    marks = ", ".join(["%s"] * len(names))
    table = connection.ops.quote_name(meta.db_table)
    # Table and column names come from the model, never from the file; values are parameters.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    adapt = connection.ops.adapt_datetimefield_value
    created = adapt(timezone.now())
    source = ScheduleBlock.Source.PROGRAM.value
    blocks = [(user_id, block) for user_id, person in by_person.items() for block in person]
    # Each label is sealed to its own row, so the rows take their ids before the insert.
    ids = ids_reserve(ScheduleBlock, len(blocks))
    rows = [
        (
            pk,
            user_id,
            adapt(block.starts_at),
            adapt(block.ends_at),
            block.whole_days,
            block.kind,
            encrypt(block.label, binding=field_binding(ScheduleBlock, "label", pk))
            if block.label
            else None,
            source,
            program.pk,
            created,
        )
        for pk, (user_id, block) in zip(ids, blocks, strict=True)
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams every row in one statement, several times faster than INSERTs.
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for start in range(0, len(rows), INSERT_BATCH):
            cursor.executemany(sql, rows[start : start + INSERT_BATCH])


def schedule_import_apply(*, schedule_import: ScheduleImport, by: User | None) -> dict[str, Any]:
    """Apply a previewed import; the stored file is dropped once it is applied."""
    return import_apply(BLOCK_SCHEDULE, record=schedule_import, by=by)


def schedule_import_discard(*, schedule_import: ScheduleImport) -> None:
    import_discard(BLOCK_SCHEDULE, record=schedule_import)


def _kind_table(summary: dict[str, Any], **extra: Any) -> PreviewTable:
    counts = summary["counts"]
    return PreviewTable(
        figures=[(counts[name], name) for name in ("people", "blocks") if name in counts],
        caption="Blocks by kind",
        headers=["Kind", "Blocks"],
        rows=[[cell(kind), cell(count)] for kind, count in counts["kinds"].items()],
        numeric=frozenset({"Blocks"}),
        **extra,
    )


class BlockScheduleFile(ImportDefinition):
    """A program's block-schedule CSV as an upload of the import pipeline. Its preview holds
    counts only, never a rotation name or a date of anyone's schedule."""

    name = "block schedule"
    model = ScheduleImport
    keeps_content = False

    def plan(self, record: ScheduleImport) -> dict[str, Any]:
        parsed, people = program_schedule_plan(program=record.program, content=record.content)
        return _summary(parsed, people)

    def write(self, record: ScheduleImport, *, by: User | None) -> dict[str, Any]:
        return program_schedule_replace(program=record.program, content=record.content)

    def table(self, record: ScheduleImport) -> PreviewTable:
        return _kind_table(
            record.summary, note="Each person's earlier blocks from this program are replaced."
        )


BLOCK_SCHEDULE = BlockScheduleFile()


def program_rules_update(
    *,
    program: Program,
    kind_rules: dict[str, str],
    day_starts_at: dt.time,
    day_ends_at: dt.time,
    drought_weeks: int,
) -> ProgramScheduleRules:
    for kind, rule in kind_rules.items():
        if kind not in KINDS or rule not in RULES:
            raise ValidationError({"kind_rules": f"Unknown rule {rule!r} for {kind!r}."})
    if day_starts_at >= day_ends_at:
        raise ValidationError({"day_ends_at": "The working day ends after it starts."})
    if not 0 <= drought_weeks <= 26:
        raise ValidationError({"drought_weeks": "Give 0 (off) to 26 weeks."})
    with transaction.atomic():
        rules, _ = ProgramScheduleRules.objects.select_for_update().get_or_create(program=program)
        rules.kind_rules = dict(kind_rules)
        rules.day_starts_at = day_starts_at
        rules.day_ends_at = day_ends_at
        rules.drought_weeks = drought_weeks
        rules.updated_at = timezone.now()
        rules.save()
    return rules


# ------------------------------------------------------------------ the outgoing calendar feed
def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def calendar_feed_create(*, user: User) -> str:
    """A new private feed address for ``user`` (any older one stops working); returns the
    secret, which is shown once and stored only as a hash."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        CalendarFeed.objects.create(user=user, token_hash=token_hash(token))
    return token


def calendar_feed_revoke(*, user: User) -> bool:
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


# ------------------------------------------------------------------ booking a window
def meeting_from_window(
    *, partnership: Partnership, by: User, starts_at: dt.datetime, location: str = ""
) -> Meeting:
    """Book a meeting that starts at ``starts_at`` inside one of the partnership's current
    windows, as long as every member can give; the workspace sends the invitations."""
    if timezone.is_naive(starts_at):
        raise ValidationError({"start": "The start needs a time zone."})
    members = current_members(partnership)
    minutes = meeting_minutes_for(members)
    ends_at = starts_at + dt.timedelta(minutes=minutes)
    windows = partnership_windows(partnership, weeks=26)
    if not any(w.start <= starts_at and ends_at <= w.end for w in windows):
        raise ValidationError(
            {"start": "That time is no longer free for everyone; choose another window."}
        )
    zone = ScheduleSettings.objects.filter(user=by).values_list("timezone", flat=True).first()
    return meeting_schedule(
        partnership=partnership,
        by=by,
        starts_at=starts_at,
        duration_minutes=minutes,
        timezone_name=zone or str(timezone.get_default_timezone_name()),
        location=location,
    )
