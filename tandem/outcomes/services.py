"""Writes to the outcomes registry: record, deduplicate and delete outcomes of a program's people.

Every function validates with the same rules as the CSV import (``validation``) and raises
ValidationError naming the field, so forms keep what was typed and show the message by it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from tandem.accounts.models import User
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.outcomes import validation
from tandem.outcomes.models import (
    Departure,
    FellowshipMatch,
    Grant,
    Publication,
    RankChange,
    ReportVersion,
    Source,
)
from tandem.outcomes.rendering import report_html
from tandem.outcomes.report import evaluation_report
from tandem.programs.models import Cohort, Profile


def _clean(field: str, clean: Callable[[], Any]) -> Any:
    try:
        return clean()
    except ValueError as error:
        raise ValidationError({field: str(error)}) from None


def departure_record(
    *,
    profile: Profile,
    left_on: dt.date,
    reason: str,
    scope: str = Departure.Scope.INSTITUTION,
    by: User | None = None,
    source: str = Source.MANUAL,
    today: dt.date | None = None,
) -> Departure:
    """Record (or correct) the person's departure; a person leaves once."""
    today = today or timezone.localdate()
    left_on = _clean("left_on", lambda: validation.clean_date(left_on, today=today))
    reason = _clean(
        "reason", lambda: validation.clean_choice(reason, Departure.Reason.choices, "reason")
    )
    scope = _clean(
        "scope", lambda: validation.clean_choice(scope, Departure.Scope.choices, "scope")
    )
    departure, _ = Departure.objects.update_or_create(
        profile=profile,
        defaults={
            "left_on": left_on,
            "reason": reason,
            "scope": scope,
            "source": source,
            "recorded_by": by,
        },
    )
    return departure


def rank_change_record(
    *,
    profile: Profile,
    from_rung: str,
    to_rung: str,
    changed_on: dt.date,
    by: User | None = None,
    source: str = Source.MANUAL,
    today: dt.date | None = None,
) -> tuple[RankChange, bool]:
    """Record a move on the ladder; the same move on the same day is recorded once."""
    today = today or timezone.localdate()
    program = profile.program
    from_rung = _clean("from_rung", lambda: validation.clean_rung(program, from_rung))
    to_rung = _clean("to_rung", lambda: validation.clean_rung(program, to_rung))
    if from_rung == to_rung:
        raise ValidationError({"to_rung": "The new rung must differ from the old one."})
    changed_on = _clean("changed_on", lambda: validation.clean_date(changed_on, today=today))
    return RankChange.objects.get_or_create(
        profile=profile,
        to_rung=to_rung,
        changed_on=changed_on,
        defaults={"from_rung": from_rung, "source": source, "recorded_by": by},
    )


def fellowship_match_record(
    *,
    profile: Profile,
    fellowship: str,
    year: int | str,
    by: User | None = None,
    source: str = Source.MANUAL,
    today: dt.date | None = None,
) -> tuple[FellowshipMatch, bool]:
    today = today or timezone.localdate()
    fellowship = fellowship.strip()
    if not fellowship:
        raise ValidationError({"fellowship": "Name the fellowship matched to."})
    year = _clean("year", lambda: validation.clean_year(year, today=today))
    return FellowshipMatch.objects.get_or_create(
        profile=profile,
        year=year,
        defaults={"fellowship": fellowship, "source": source, "recorded_by": by},
    )


def publication_record(
    *,
    profile: Profile,
    title: str,
    year: int | str,
    journal: str = "",
    doi: str = "",
    pmid: str = "",
    by: User | None = None,
    source: str = Source.MANUAL,
    today: dt.date | None = None,
) -> tuple[Publication, bool]:
    """Record a publication unless the person already has it (same DOI, PMID, or title+year).

    An existing record found by one identifier gains the other one if it lacked it, so a
    PubMed import after an ORCID import links the two rather than adding a copy.
    """
    today = today or timezone.localdate()
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": "A publication needs a title."})
    year_value: int = _clean("year", lambda: validation.clean_year(year, today=today))
    doi = _clean("doi", lambda: validation.clean_doi(doi))
    pmid = _clean("pmid", lambda: validation.clean_pmid(pmid))
    with transaction.atomic():
        existing = publication_find(
            profile=profile, title=title, year=year_value, doi=doi, pmid=pmid
        )
        if existing is not None:
            changed: list[str] = []
            if doi and not existing.doi:
                existing.doi = doi
                changed.append("doi")
            if pmid and not existing.pmid:
                existing.pmid = pmid
                changed.append("pmid")
            if journal and not existing.journal:
                existing.journal = journal.strip()[:300]
                changed.append("journal")
            if changed:
                existing.save(update_fields=changed)
            return existing, False
        publication = Publication.objects.create(
            profile=profile,
            title=title[:1000],
            journal=journal.strip()[:300],
            year=year_value,
            doi=doi,
            pmid=pmid,
            source=source,
            recorded_by=by,
        )
    return publication, True


def publication_find(
    *, profile: Profile, title: str, year: int, doi: str, pmid: str
) -> Publication | None:
    """The person's record of this publication: by DOI, then PMID, then title and year."""
    mine = Publication.objects.filter(profile=profile)
    if doi and (found := mine.filter(doi=doi).first()):
        return found
    if pmid and (found := mine.filter(pmid=pmid).first()):
        return found
    return mine.filter(title__iexact=title, year=year).first()


def grant_record(
    *,
    profile: Profile,
    funder: str,
    role: str,
    year: int | str,
    title: str = "",
    by: User | None = None,
    source: str = Source.MANUAL,
    today: dt.date | None = None,
) -> tuple[Grant, bool]:
    today = today or timezone.localdate()
    funder = funder.strip()
    if not funder:
        raise ValidationError({"funder": "Name the funder."})
    role = _clean("role", lambda: validation.clean_choice(role, Grant.Role.choices, "grant role"))
    year = _clean("year", lambda: validation.clean_year(year, today=today))
    title = title.strip()
    existing = Grant.objects.filter(
        profile=profile, funder__iexact=funder, role=role, year=year, title__iexact=title
    ).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            grant = Grant.objects.create(
                profile=profile,
                funder=funder,
                role=role,
                year=year,
                title=title,
                source=source,
                recorded_by=by,
            )
    except IntegrityError:
        raise ValidationError("This grant is already recorded.") from None
    return grant, True


def outcome_delete(
    *, outcome: Departure | RankChange | FellowshipMatch | Publication | Grant
) -> None:
    outcome.delete()


def report_version_save(
    *,
    cohort: Cohort,
    as_of: dt.date | None = None,
    by: User | None = None,
    request: HttpRequest | None = None,
) -> ReportVersion:
    """Save the cohort's evaluation report as its next version, with the groups fixed as they
    are now, and record it in the audit log (who saved which version). The cohort row is
    locked (``select_for_update``) so two saves never share a number."""
    with transaction.atomic():
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        latest = ReportVersion.objects.filter(cohort=cohort).order_by("-number").first()
        number = latest.number + 1 if latest else 1
        report = evaluation_report(cohort, as_of=as_of)
        report.version = number
        report.saved_at = timezone.now()
        version = ReportVersion.objects.create(
            cohort=cohort,
            number=number,
            as_of=report.as_of,
            membership=report.membership(),
            protocol_sha256=report.study.protocol_sha256 if report.study else "",
            html=report_html(report),
            saved_at=report.saved_at,
            saved_by=by,
        )
        audit_record(
            action=AuditEvent.Action.OTHER,
            actor=by,
            target=version,
            request=request,
            event="report_version_saved",
            cohort=cohort.pk,
            number=number,
        )
        return version
