"""factory-boy factories for Tandem's models, used by every test module."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from tandem.accounts.models import User
from tandem.engine.defaults import DEFAULT_LADDER, DEFAULT_TOPICS
from tandem.partnerships.models import Partnership, PartnershipMember
from tandem.programs.models import Cohort, Enrollment, Profile, Program, ProgramRole

PASSWORD = "correct horse battery staple"
# The authenticator-app secret of every operator the factory makes (operators must use MFA).
OPERATOR_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        """Operators get an authenticator app (OPERATOR_TOTP_SECRET) unless ``totp=False``."""
        wanted = extracted if extracted is not None else (obj.is_superuser or obj.is_staff)
        if create and wanted:
            from allauth.mfa.totp.internal.auth import TOTP

            TOTP.activate(obj, OPERATOR_TOTP_SECRET)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    institution = "Riverside University Health"
    topics = factory.LazyFunction(lambda: list(DEFAULT_TOPICS))
    ladder = factory.LazyFunction(lambda: list(DEFAULT_LADDER))


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=355))
    mode = Cohort.Mode.PAIRS
    enrolment_open = True


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    program = factory.SubFactory(ProgramFactory)
    user = factory.SubFactory(UserFactory)
    stage = "PGY2"
    specialty = "Internal Medicine"
    institution = "Riverside University Health"
    offers = factory.LazyFunction(lambda: ["research", "teaching"])
    seeks = factory.LazyFunction(lambda: ["grants", "leadership"])
    main_thing = "Publish my first first-author paper."
    availability = factory.LazyFunction(lambda: ["mon-am", "thu-pm"])


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory)
    source = Enrollment.Source.INVITATION


def participant(cohort: Cohort, **user_fields: object) -> User:
    """A user enrolled in ``cohort`` with a filled profile in its program."""
    user = UserFactory(**user_fields)
    EnrollmentFactory(cohort=cohort, user=user)
    ProfileFactory(program=cohort.program, user=user)
    return user


def coordinator(program: Program, **user_fields: object) -> User:
    user = UserFactory(**user_fields)
    ProgramRole.objects.create(program=program, user=user, role=ProgramRole.Role.COORDINATOR)
    return user


def researcher(program: Program, **user_fields: object) -> User:
    user = UserFactory(**user_fields)
    ProgramRole.objects.create(program=program, user=user, role=ProgramRole.Role.RESEARCHER)
    return user


def partnership(cohort: Cohort, members: list[User], *, status: str = "active") -> Partnership:
    kind = Partnership.Kind.PAIR if len(members) == 2 else Partnership.Kind.TRIAD
    if len(members) > 3:
        kind = Partnership.Kind.CIRCLE
    now = timezone.now()
    ran = status in (
        Partnership.Status.ACTIVE,
        Partnership.Status.EXITED,
        Partnership.Status.CLOSED,
    )
    ended = status in (Partnership.Status.EXITED, Partnership.Status.CLOSED)
    created = Partnership.objects.create(
        cohort=cohort,
        kind=kind,
        status=status,
        activated_at=now if ran else None,
        ended_at=now if ended else None,
    )
    # Members of a partnership that ran accepted it; an ended one they left when it ended.
    response = PartnershipMember.Response.ACCEPTED if ran else PartnershipMember.Response.PENDING
    for user in members:
        PartnershipMember.objects.create(
            partnership=created,
            user=user,
            cohort=cohort,
            response=response,
            is_current=status in Partnership.LIVE_STATUSES,
            left_at=now if ended else None,
        )
    return created
