"""API endpoints for one's own profile and for a coordinator's programs, cohorts and enrolments."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from tandem.core.api import api_user
from tandem.programs import policies, selectors, services
from tandem.programs.models import Cohort, Enrollment, Profile, Program

router = Router()


class MeOut(Schema):
    email: str
    full_name: str
    display_name: str
    is_operator: bool
    coordinator_of: list[str]
    researcher_of: list[str]


class ProfileOut(Schema):
    program: str
    stage: str
    specialty: str
    institution: str
    offers: list[str]
    seeks: list[str]
    main_thing: str
    specialty_preference: str
    availability: list[str]
    completeness: int
    missing_fields: list[str]

    @staticmethod
    def resolve_program(profile: Profile) -> str:
        return profile.program.slug


class ProfileIn(Schema):
    stage: str = ""
    specialty: str = ""
    institution: str = ""
    offers: list[str] = []
    seeks: list[str] = []
    main_thing: str = ""
    specialty_preference: Literal["any", "same", "different"] = "any"
    availability: list[str] = []


class ProgramOut(Schema):
    slug: str
    name: str
    institution: str
    description: str
    topics: list[str]
    ladder: list[str]
    max_stage_gap: int
    retention_days: int


class CohortOut(Schema):
    slug: str
    name: str
    starts_on: dt.date
    ends_on: dt.date
    mode: str
    enrolment_open: bool


class CohortIn(Schema):
    name: str
    slug: str = ""
    starts_on: dt.date
    ends_on: dt.date
    mode: Literal["pairs", "circles", "mutual"] = "pairs"
    enrolment_open: bool = True


class EnrollmentOut(Schema):
    email: str
    full_name: str
    status: str
    source: str
    enrolled_at: dt.datetime

    @staticmethod
    def resolve_email(enrollment: Enrollment) -> str:
        return enrollment.user.email

    @staticmethod
    def resolve_full_name(enrollment: Enrollment) -> str:
        return enrollment.user.full_name


@router.get("/me", response=MeOut, tags=["me"])
def me(request: HttpRequest) -> MeOut:
    user = api_user(request)
    roles = policies.roles_of(user)
    return MeOut(
        email=user.email,
        full_name=user.full_name,
        display_name=user.display_name,
        is_operator=roles.operator,
        coordinator_of=list(roles.coordinator_of),
        researcher_of=list(roles.researcher_of),
    )


@router.get("/me/profiles", response=list[ProfileOut], tags=["me"])
def my_profiles(request: HttpRequest) -> list[Profile]:
    return list(selectors.profiles_of(api_user(request)))


@router.get("/me/profiles/{program_slug}", response=ProfileOut, tags=["me"])
def my_profile(request: HttpRequest, program_slug: str) -> Profile:
    return policies.access_own_profile(api_user(request), program_slug)


@router.put("/me/profiles/{program_slug}", response=ProfileOut, tags=["me"])
def my_profile_update(request: HttpRequest, program_slug: str, payload: ProfileIn) -> Profile:
    profile = policies.access_own_profile(api_user(request), program_slug)
    return services.profile_update(profile=profile, **payload.dict())


@router.get("/programs", response=list[ProgramOut], tags=["programs"])
def programs(request: HttpRequest) -> list[Program]:
    return list(selectors.programs_coordinated_by(api_user(request)))


@router.get("/programs/{slug}", response=ProgramOut, tags=["programs"])
def program(request: HttpRequest, slug: str) -> Program:
    return policies.access_program(api_user(request), slug)


@router.get("/programs/{slug}/cohorts", response=list[CohortOut], tags=["programs"])
def cohorts(request: HttpRequest, slug: str) -> list[Cohort]:
    return list(policies.access_program(api_user(request), slug).cohorts.all())


@router.post("/programs/{slug}/cohorts", response={201: CohortOut}, tags=["programs"])
def cohort_create(request: HttpRequest, slug: str, payload: CohortIn) -> Status[Cohort]:
    program = policies.access_program(api_user(request), slug)
    return Status(201, services.cohort_create(program=program, **payload.dict()))


@router.get("/programs/{slug}/cohorts/{cohort_slug}", response=CohortOut, tags=["programs"])
def cohort(request: HttpRequest, slug: str, cohort_slug: str) -> Cohort:
    return policies.access_cohort(api_user(request), slug, cohort_slug)


@router.get(
    "/programs/{slug}/cohorts/{cohort_slug}/enrollments",
    response=list[EnrollmentOut],
    tags=["programs"],
)
@paginate
def enrollments(request: HttpRequest, slug: str, cohort_slug: str) -> list[Enrollment]:
    cohort = policies.access_cohort(api_user(request), slug, cohort_slug)
    return selectors.enrollments_in(cohort)  # type: ignore[return-value]
