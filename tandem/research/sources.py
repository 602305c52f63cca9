"""The export's own column sources: program data the research app can see.

Each source runs a few aggregate queries for the whole cohort (filtered by cohort, never by a
list of ids, which SQLite caps) and returns values only for the consenting people passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Set

from django.db.models import Count, Q
from django.utils import timezone

from tandem.outcomes.models import Departure, FellowshipMatch, Grant, Publication, RankChange
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Cohort, Enrollment, Profile
from tandem.research import kanon
from tandem.research.exports import Column, K, register_source
from tandem.research.models import Arm, StudyAllocation
from tandem.surveys.models import Survey
from tandem.surveys.selectors import survey_scores
from tandem.wellbeing.models import Pulse
from tandem.workspace.models import Goal, Meeting

NOT_GIVEN = "not given"


def stage_band(value: str, counts: Mapping[str, int]) -> str:
    """The default ladder's rungs grouped: students, residents, fellows, faculty."""
    lowered = value.lower()
    if lowered.startswith("ms"):
        return "Medical student"
    if lowered.startswith("pgy") or lowered.startswith("chief"):
        return "Resident"
    if lowered.startswith("fellow"):
        return "Fellow"
    if "professor" in lowered or lowered.startswith("instructor"):
        return "Faculty"
    return "Other"


def _profile_values(cohort: Cohort, people: Set[int]) -> dict[int, dict[str, object]]:
    profiles = Profile.objects.filter(
        program_id=cohort.program_id, user__enrollments__cohort=cohort
    ).values_list("user_id", "stage", "specialty", "institution")
    years = Enrollment.objects.filter(cohort=cohort).values_list("user_id", "enrolled_at")
    values: dict[int, dict[str, object]] = {
        person: {
            "stage": NOT_GIVEN,
            "specialty": NOT_GIVEN,
            "institution": NOT_GIVEN,
        }
        for person in people
    }
    for user_id, stage, specialty, institution in profiles:
        if user_id in values:
            values[user_id].update(
                stage=stage.strip() or NOT_GIVEN,
                specialty=specialty.strip() or NOT_GIVEN,
                institution=institution.strip() or NOT_GIVEN,
            )
    for user_id, enrolled_at in years:
        if user_id in values:
            values[user_id]["enrolment_year"] = timezone.localtime(enrolled_at).year
    return values


register_source(
    "profile",
    _profile_values,
    columns=[
        Column(
            "stage",
            "Career stage",
            "category",
            "Career stage on the program's ladder when exported.",
            hierarchy=(kanon.exact, stage_band, kanon.suppressed),
        ),
        Column(
            "specialty",
            "Specialty",
            "category",
            "Specialty as given in the profile.",
            hierarchy=(kanon.exact, kanon.rare_as_other(K), kanon.suppressed),
        ),
        Column(
            "enrolment_year",
            "Year of enrolment",
            "category",
            "Calendar year the person enrolled in the cohort (no finer date is exported).",
            hierarchy=(kanon.exact, kanon.suppressed),
        ),
        Column(
            "institution",
            "Institution",
            "category",
            "Institution as given in the profile; rare ones are grouped as Other.",
            hierarchy=(kanon.exact, kanon.rare_as_other(K), kanon.suppressed),
        ),
    ],
)


def _arm_values(cohort: Cohort, people: Set[int]) -> dict[int, dict[str, object]]:
    arms = dict(
        StudyAllocation.objects.filter(protocol__cohort=cohort).values_list("user_id", "arm")
    )
    return {person: {"arm": arms.get(person, "not_randomised")} for person in people}


register_source(
    "study",
    _arm_values,
    columns=[
        Column(
            "arm",
            "Study arm",
            "category",
            "Arm of the randomisation: matched_now, waitlist, or not_randomised (consented "
            "after randomisation ran, or no randomisation).",
            choices=(Arm.MATCHED_NOW.value, Arm.WAITLIST.value, "not_randomised"),
        ),
    ],
)

MONTH = dt.timedelta(days=30.44)


def _engagement_values(cohort: Cohort, people: Set[int]) -> dict[int, dict[str, object]]:
    now = timezone.now()
    values: dict[int, dict[str, object]] = {
        person: {
            "matched": False,
            "partnership_kind": "none",
            "meetings_held": 0,
            "goals_total": 0,
            "goals_completed": 0,
            "checkins": 0,
            "months_active": 0,
        }
        for person in people
    }
    memberships = (
        PartnershipMember.objects.filter(cohort=cohort)
        .exclude(partnership__status=Partnership.Status.DECLINED)
        .values_list(
            "user_id",
            "partnership__kind",
            "partnership__activated_at",
            "partnership__ended_at",
            "left_at",
            "response",
        )
        .order_by("joined_at")
    )
    months: dict[int, int] = {}
    for user_id, kind, activated_at, ended_at, left_at, response in memberships:
        if user_id not in values:
            continue
        row = values[user_id]
        row["matched"] = True
        row["partnership_kind"] = kind
        if activated_at and response == PartnershipMember.Response.ACCEPTED:
            until = min(moment for moment in (ended_at, left_at, now) if moment is not None)
            months[user_id] = months.get(user_id, 0) + max(0, int((until - activated_at) / MONTH))
    for user_id, active in months.items():
        values[user_id]["months_active"] = active
    meetings = (
        Meeting.objects.filter(status=Meeting.Status.HELD, partnership__cohort=cohort)
        .values("partnership__members__user_id")
        .annotate(held=Count("pk", distinct=True))
        .order_by()
        .values_list("partnership__members__user_id", "held")
    )
    for user_id, held in meetings:
        if user_id in values:
            values[user_id]["meetings_held"] = held
    goals = (
        Goal.objects.filter(partnership__cohort=cohort)
        .values("owner_id")
        .annotate(total=Count("pk"), completed=Count("pk", filter=Q(status=Goal.Status.COMPLETED)))
        .order_by()
        .values_list("owner_id", "total", "completed")
    )
    for user_id, total, completed in goals:
        if user_id in values:
            values[user_id].update(goals_total=total, goals_completed=completed)
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(cohort.starts_on, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(cohort.ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    checkins = (
        Pulse.objects.filter(
            user__enrollments__cohort=cohort, created_at__gte=since, created_at__lt=until
        )
        .values("user_id")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("user_id", "count")
    )
    for user_id, count in checkins:
        if user_id in values:
            values[user_id]["checkins"] = count
    return values


register_source(
    "engagement",
    _engagement_values,
    columns=[
        Column(
            "matched",
            "Matched",
            "category",
            "Whether the person was matched in the cohort.",
            choices=("yes", "no"),
        ),
        Column(
            "partnership_kind",
            "Partnership kind",
            "category",
            "Kind of the person's partnership: pair, triad, circle, or none.",
            choices=("pair", "triad", "circle", "none"),
        ),
        Column(
            "meetings_held",
            "Meetings held",
            "integer",
            "Meetings held in the person's partnerships.",
        ),
        Column("goals_total", "Goals set", "integer", "Goals the person set in the workspace."),
        Column(
            "goals_completed", "Goals completed", "integer", "Of those, goals marked completed."
        ),
        Column(
            "checkins",
            "Wellbeing check-ins",
            "integer",
            "Wellbeing check-ins during the cohort (count only, no answers).",
        ),
        Column(
            "months_active",
            "Months active",
            "integer",
            "Whole months the person was in an active partnership.",
        ),
    ],
)


def _survey_columns(cohort: Cohort) -> list[Column]:
    columns = []
    for survey in Survey.objects.filter(cohort=cohort).select_related("version").order_by("pk"):
        method = survey.version.get_scoring_display().lower()
        for wave in survey.waves.order_by("offset_months"):
            columns.append(
                Column(
                    f"survey{survey.pk}_m{wave.offset_months}",
                    f"{survey.title}: {wave.label}",
                    "number",
                    f"Score ({method}, reverse-scored items turned) on the "
                    f"{wave.label.lower()} wave of the survey '{survey.title}', version "
                    f"{survey.version.number}; empty when not answered completely enough. "
                    "No answers to single questions and no free text are exported.",
                )
            )
    return columns


def _survey_values(cohort: Cohort, people: Set[int]) -> dict[int, dict[str, object]]:
    values: dict[int, dict[str, object]] = {person: {} for person in people}
    for score in survey_scores(cohort):
        if score.user_id in values and score.score is not None:
            name = f"survey{score.survey_id}_m{score.offset_months}"
            values[score.user_id][name] = round(score.score, 2)
    return values


register_source("surveys", _survey_values, columns_for=_survey_columns)


def months_band(width: int) -> kanon.Generaliser:
    """Whole months grouped into bands of ``width`` ("12-17"), a coarser level of follow-up."""

    def generalise(value: str, counts: Mapping[str, int]) -> str:
        if not value.isdigit():
            return value
        low = int(value) // width * width
        return f"{low}-{low + width - 1}"

    return generalise


# Counts anyone can look up elsewhere (a publication list, a grants database, a rank on a
# faculty page) would single a person out: they leave only as bands, then go through k.
COUNT_BANDS = ("0", "1–2", "3–5", "6+")


def count_band(count: int) -> str:
    """``0``, ``1–2``, ``3–5`` or ``6+``: what leaves of a count that could be looked up."""
    if count <= 0:
        return "0"
    if count <= 2:
        return "1–2"
    if count <= 5:
        return "3–5"
    return "6+"


def any_band(value: str, counts: Mapping[str, int]) -> str:
    """A coarser level of a banded count: none, or at least one."""
    return value if value in ("0", kanon.SUPPRESSED) else "1+"


def _months_between(start: dt.date, end: dt.date) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day))


def _outcome_values(cohort: Cohort, people: Set[int]) -> dict[int, dict[str, object]]:
    """Outcomes after the cohort began, as counts, categories and whole months (no dates)."""
    start, today = cohort.starts_on, timezone.localdate()
    values: dict[int, dict[str, object]] = {
        person: {
            "departure": "none",
            "months_followed": _months_between(start, today),
            "promotions": 0,
            "fellowship_matched": False,
            "publications": 0,
            "grants": 0,
        }
        for person in people
    }
    in_program = {"profile__program_id": cohort.program_id}
    departures = Departure.objects.filter(**in_program, left_on__gte=start)
    for user_id, left_on, reason in departures.values_list("profile__user_id", "left_on", "reason"):
        if user_id in values:
            completed = reason == Departure.Reason.COMPLETED
            values[user_id]["departure"] = "completed training" if completed else "left"
            values[user_id]["months_followed"] = _months_between(start, left_on)
    counted = (
        ("promotions", RankChange.objects.filter(**in_program, changed_on__gte=start)),
        ("publications", Publication.objects.filter(**in_program, year__gte=start.year)),
        ("grants", Grant.objects.filter(**in_program, year__gte=start.year)),
    )
    for column, queryset in counted:
        rows = queryset.values("profile__user_id").annotate(n=Count("pk")).order_by()
        for user_id, count in rows.values_list("profile__user_id", "n"):
            if user_id in values:
                values[user_id][column] = count
    fellows = FellowshipMatch.objects.filter(**in_program, year__gte=start.year)
    for user_id in fellows.values_list("profile__user_id", flat=True):
        if user_id in values:
            values[user_id]["fellowship_matched"] = True
    for found in values.values():
        for column, _ in counted:
            found[column] = count_band(int(str(found[column])))
    return values


register_source(
    "outcomes",
    _outcome_values,
    columns=[
        Column(
            "departure",
            "Departure",
            "category",
            "Whether the person left the program or institution after the cohort began: none, "
            "completed training (as planned; not attrition), or left (attrition).",
            choices=("none", "completed training", "left"),
        ),
        Column(
            "months_followed",
            "Months followed",
            "category",
            "Whole months from the cohort's start to the departure, or to the export when none "
            "(the time scale for retention analyses; no dates are exported).",
            hierarchy=(kanon.exact, months_band(6), months_band(12), kanon.suppressed),
        ),
        Column(
            "promotions",
            "Promotions",
            "category",
            "Academic rank changes recorded on or after the cohort's start, in bands.",
            choices=COUNT_BANDS,
            hierarchy=(kanon.exact, any_band, kanon.suppressed),
        ),
        Column(
            "fellowship_matched",
            "Fellowship match",
            "category",
            "Whether a fellowship match was recorded from the cohort's start year on.",
            choices=("yes", "no"),
            hierarchy=(kanon.exact, kanon.suppressed),
        ),
        Column(
            "publications",
            "Publications",
            "category",
            "Publications recorded with a year from the cohort's start year on, in bands.",
            choices=COUNT_BANDS,
            hierarchy=(kanon.exact, any_band, kanon.suppressed),
        ),
        Column(
            "grants",
            "Grants",
            "category",
            "Grants recorded from the cohort's start year on, in bands.",
            choices=COUNT_BANDS,
            hierarchy=(kanon.exact, any_band, kanon.suppressed),
        ),
    ],
)
