"""Reads of the outcomes registry, always within one program."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from tandem.outcomes.models import (
    Departure,
    FellowshipMatch,
    Grant,
    OutcomeBase,
    OutcomeImport,
    Publication,
    RankChange,
    ReportVersion,
)
from tandem.programs.models import Cohort, Profile, Program


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str
    plural: str
    model: type[OutcomeBase]


KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in (
        Kind("departure", "Departure", "Departures", Departure),
        Kind("rank-change", "Rank change", "Rank changes", RankChange),
        Kind("fellowship", "Fellowship match", "Fellowship matches", FellowshipMatch),
        Kind("publication", "Publication", "Publications", Publication),
        Kind("grant", "Grant", "Grants", Grant),
    )
}


def kind_or_404(slug: str) -> Kind:
    if slug not in KINDS:
        raise Http404
    return KINDS[slug]


def _count_of(model: type[OutcomeBase]) -> Coalesce:
    per_profile = (
        model._default_manager.filter(profile=OuterRef("pk"))
        .order_by()
        .values("profile")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(per_profile), 0)


def registry_people(program: Program) -> QuerySet[Profile]:
    """The program's people with how many outcomes of each kind they have."""
    return (
        Profile.objects.filter(program=program)
        .select_related("user")
        .annotate(
            n_publications=_count_of(Publication),
            n_grants=_count_of(Grant),
            n_rank_changes=_count_of(RankChange),
            n_fellowships=_count_of(FellowshipMatch),
            has_left=Exists(Departure.objects.filter(profile=OuterRef("pk"))),
        )
        .order_by("user__full_name", "user__email")
    )


def outcome_sections(profile: Profile) -> list[tuple[str, Kind, list[OutcomeBase]]]:
    """Each kind with this person's outcomes of it, in the registry's order."""
    return [
        (slug, kind, list(kind.model._default_manager.filter(profile=profile)))
        for slug, kind in KINDS.items()
    ]


def recent_imports(program: Program) -> QuerySet[OutcomeImport]:
    return program.outcome_imports.all()[:10]


def report_versions(cohort: Cohort) -> QuerySet[ReportVersion]:
    """The cohort's saved evaluation report versions, newest first (without their files)."""
    return (
        ReportVersion.objects.filter(cohort=cohort).defer("html", "membership").order_by("-number")
    )


def report_version(cohort: Cohort, number: int) -> ReportVersion:
    """One saved version of the cohort's evaluation report, else 404."""
    version = ReportVersion.objects.filter(cohort=cohort, number=number).first()
    if version is None:
        raise Http404
    return version
