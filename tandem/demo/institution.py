"""A realistic demo institution for local evaluation: three residency programs' residents,
chief residents, fellows and junior faculty in one peer-mentoring program.

Everything is generated from a fixed seed, so every fresh demo looks the same.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import time
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import User
from tandem.demo.circles import seed_circles
from tandem.demo.engagement import seed_engagement
from tandem.demo.outcomes import seed_outcomes
from tandem.demo.research import seed_research
from tandem.demo.rounds import seed_rounds
from tandem.demo.schedules import seed_schedules
from tandem.demo.surveys import seed_surveys
from tandem.engine.defaults import DEFAULT_LADDER, DEFAULT_TOPICS
from tandem.programs import services
from tandem.programs.models import Cohort, Enrollment, Exclusion, Program, ProgramRole

DEMO_PASSWORD = "tandem-demo"  # noqa: S105 - published demo login, local evaluation only
DEMO_PROGRAM_SLUG = "riverside-peers"
COORDINATOR_EMAIL = "coordinator@example.org"
PARTICIPANT_EMAIL = "resident@example.org"
RESEARCHER_EMAIL = "researcher@example.org"
OPERATOR_EMAIL = "operator@example.org"
# Operators must use a second factor: the demo operator's authenticator-app secret is
# published with the demo logins (README), so evaluators can add it to any app.
DEMO_OPERATOR_TOTP_SECRET = "TANDEMDEMOOPERATORTOTPSECRETABCD"  # noqa: S105 - local demo only

FIRST_NAMES = [
    "Alex",
    "Sam",
    "Priya",
    "Jordan",
    "Maya",
    "Omar",
    "Lena",
    "Diego",
    "Grace",
    "Hiro",
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Femi",
    "Gabe",
    "Hana",
    "Isaac",
    "Jae",
    "Kofi",
    "Lucia",
    "Mateo",
    "Nadia",
    "Owen",
    "Paloma",
    "Quinn",
    "Rosa",
    "Sahil",
    "Tara",
    "Umar",
    "Vera",
    "Wes",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Anika",
    "Bruno",
    "Carmen",
    "Dario",
    "Esme",
    "Farah",
    "Gideon",
    "Hugo",
    "Ines",
    "Jonah",
    "Kira",
    "Leo",
    "Mina",
    "Nikhil",
    "Olga",
    "Pedro",
    "Rania",
    "Soren",
    "Tess",
    "Uma",
    "Victor",
    "Wren",
    "Yara",
    "Zain",
    "Aisha",
    "Caleb",
    "Dina",
    "Eli",
    "Freya",
    "Hassan",
    "Ivy",
    "Kai",
    "Layla",
    "Milo",
    "Noor",
    "Felix",
    "Ruth",
    "Theo",
    "Lina",
    "Marco",
    "Selin",
    "Tomas",
    "Ada",
    "Ravi",
    "Nora",
]
LAST_NAMES = [
    "Rivera",
    "Chen",
    "Patel",
    "Okafor",
    "Nguyen",
    "Haddad",
    "Kowalski",
    "Garcia",
    "Kim",
    "Tanaka",
    "Mensah",
    "Fischer",
    "Dubois",
    "Shah",
    "Rossi",
    "Adeyemi",
    "Brooks",
    "Sato",
    "Cohen",
    "Park",
    "Boateng",
    "Silva",
    "Moreno",
    "Ivanova",
    "Walsh",
    "Torres",
    "Lindqvist",
    "Hughes",
    "Khan",
    "Novak",
    "Ali",
    "Petrov",
    "Wright",
    "Castillo",
    "Yilmaz",
    "Bianchi",
    "Nakamura",
    "Osei",
    "Larsen",
    "Alvarez",
]
RESIDENCIES = ("Internal Medicine", "Pediatrics", "General Surgery")
FELLOWSHIPS = (
    "Cardiology",
    "Gastroenterology",
    "Neonatology",
    "Surgical Oncology",
    "Infectious Diseases",
)
# The demo resident's own main thing, given to nobody else so their partner's always differs.
RESIDENT_MAIN_THING = "Win a career development grant for my health equity research."
MAIN_THINGS = (
    "Match into a cardiology fellowship with a strong research portfolio.",
    "Publish my first first-author paper on sepsis outcomes.",
    "Become a confident clinician educator who teaches at the bedside every week.",
    "Build a quality improvement project that reduces readmissions on our ward.",
    "Find a sustainable balance between clinical work and a young family.",
    "Prepare for boards without burning out.",
    "Land a faculty position in academic pediatrics.",
    "Lead a resident wellness initiative that lasts beyond my residency.",
    "Strengthen my fellowship applications in gastroenterology.",
    "Grow as a leader as I step into the chief resident role.",
    "Develop a research niche in surgical outcomes and submit a grant.",
    "Get better at difficult conversations with families in the ICU.",
    "Negotiate my first faculty contract well.",
    "Speak at a national conference about my medical education work.",
    "Write and publish a case series from our clinic.",
)
# When each person means to reach their main thing: with the goal, it makes every demo
# person's main thing their own (15 goals × 6 horizons for about 80 people).
HORIZONS = (
    "this year",
    "before my next evaluation",
    "by next spring",
    "within two years",
    "before I finish training",
    "by the end of this rotation",
)


def own_main_thing(goal_index: int, taken: set[str]) -> str:
    """The first goal-and-horizon not yet taken, starting from the chosen goal."""
    for offset in range(len(MAIN_THINGS) * len(HORIZONS)):
        goal = MAIN_THINGS[(goal_index + offset // len(HORIZONS)) % len(MAIN_THINGS)]
        text = f"{goal.rstrip('.')} {HORIZONS[offset % len(HORIZONS)]}."
        if text not in taken:
            taken.add(text)
            return text
    raise ValueError("more demo people than main things")


TOPIC_GROUPS = {
    "resident": (
        "board preparation",
        "fellowship applications",
        "clinical skills",
        "wellbeing",
        "research",
        "work-life integration",
        "teaching",
        "difficult conversations",
    ),
    "senior": (
        "leadership",
        "teaching",
        "job search",
        "negotiation",
        "grants",
        "writing and publishing",
        "quality improvement",
        "career planning",
        "networking",
    ),
}
SLOTS = ("mon-am", "mon-pm", "tue-pm", "wed-am", "wed-eve", "thu-pm", "fri-am", "sat-am", "sun-eve")


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    stage: str
    specialty: str
    is_resident: bool


def _people(rng: random.Random) -> list[DemoPerson]:
    names = [(first, rng.choice(LAST_NAMES)) for first in FIRST_NAMES]
    plan: list[tuple[str, str, bool]] = []
    for residency in RESIDENCIES:
        for stage in ("PGY1", "PGY2", "PGY3"):
            plan += [(stage, residency, True)] * 7
        plan.append(("Chief resident", residency, False))
        plan.append(("Chief resident", residency, False))
    plan += [("Fellow", rng.choice(FELLOWSHIPS), False) for _ in range(6)]
    plan += [("Instructor", rng.choice(RESIDENCIES), False) for _ in range(3)]
    plan += [("Assistant professor", rng.choice(RESIDENCIES), False) for _ in range(5)]
    people = []
    for index, (stage, specialty, is_resident) in enumerate(plan):
        first, last = names[index % len(names)]
        email = PARTICIPANT_EMAIL if index == 0 else f"{first}.{last}.{index}@example.org".lower()
        people.append(DemoPerson(email, f"{first} {last}", stage, specialty, is_resident))
    return people


@functools.cache
def _demo_password_hash() -> str:
    # Hash once: hashing the same password for every demo account would take most of the load.
    return make_password(DEMO_PASSWORD)


def _user(email: str, full_name: str, *, operator: bool = False) -> User:
    user = User.objects.create_user(
        email=email, full_name=full_name, is_staff=operator, is_superuser=operator
    )
    user.password = _demo_password_hash()
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def load_demo(*, seed: int = 2026) -> Program:
    """Create the demo institution. Call only on an empty demo program slug."""
    rng = random.Random(seed)
    coordinator = _user(COORDINATOR_EMAIL, "Dana Whitfield")
    program = services.program_create(
        creator=coordinator,
        name="Riverside Peer Mentoring",
        slug=DEMO_PROGRAM_SLUG,
        institution="Riverside University Health",
        description="Peer mentoring for residents, fellows and junior faculty across departments.",
        topics=list(DEFAULT_TOPICS),
        ladder=list(DEFAULT_LADDER),
        max_stage_gap=1,
    )
    researcher = _user(RESEARCHER_EMAIL, "Robin Achebe")
    services.role_grant(program=program, user=researcher, role=ProgramRole.Role.RESEARCHER)
    demo_operator_mfa_ensure(_user(OPERATOR_EMAIL, "Ops Admin", operator=True))
    today = timezone.localdate()
    cohort = services.cohort_create(
        program=program,
        name=f"{today.year}–{str(today.year + 1)[-2:]} peer pairs",
        slug="peer-pairs",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=335),
        mode=Cohort.Mode.PAIRS,
        enrolment_open=True,
    )
    people = _people(rng)
    users: dict[str, User] = {}
    taken = {RESIDENT_MAIN_THING}
    for index, person in enumerate(people):
        user = _user(person.email, person.full_name)
        users[person.email] = user
        services.enrollment_create(cohort=cohort, user=user, source=Enrollment.Source.ROSTER)
        pool = TOPIC_GROUPS["resident" if person.is_resident else "senior"]
        other = TOPIC_GROUPS["senior" if person.is_resident else "resident"]
        # The same draw as ever, so the rest of the demo stays as it was; then a horizon.
        main_thing = own_main_thing(MAIN_THINGS.index(rng.choice(MAIN_THINGS)), taken)
        profile = services.profile_ensure(program=program, user=user)
        profile.roster_id = f"RUH{1000 + index}"
        profile.save(update_fields=["roster_id"])
        services.profile_update(
            profile=profile,
            stage=person.stage,
            specialty=person.specialty,
            institution="Riverside University Health",
            offers=rng.sample(other, 2) + rng.sample(pool, 1),
            seeks=rng.sample(pool, 3),
            main_thing=RESIDENT_MAIN_THING if index == 0 else main_thing,
            specialty_preference=rng.choice(("any", "any", "same", "different")),
            availability=sorted(rng.sample(SLOTS, 3)),
        )
    _evaluator_lines(program, people, users, rng)
    seed_rounds(program, participant_email=PARTICIPANT_EMAIL)
    seed_engagement(cohort)
    # Four residents of one year (residents evaluate no one), other than the demo resident,
    # whose home page stays about their pair.
    resident = next(p for p in people if p.email == PARTICIPANT_EMAIL)
    peers = [
        users[p.email]
        for p in people
        if p.is_resident and p.stage == resident.stage and p is not resident
    ]
    seed_circles(program, peers)
    seed_surveys(cohort)
    seed_schedules(program, participant_email=PARTICIPANT_EMAIL)
    seed_research(cohort, list(users.values()))
    seed_outcomes(program)
    return program


def _evaluator_lines(
    program: Program, people: list[DemoPerson], users: dict[str, User], rng: random.Random
) -> None:
    """Chief residents and faculty evaluate some residents of their own specialty."""
    residents_by_specialty: dict[str, list[DemoPerson]] = {}
    for person in people:
        if person.is_resident:
            residents_by_specialty.setdefault(person.specialty, []).append(person)
    for person in people:
        if person.is_resident or person.stage == "Fellow":
            continue
        residents = residents_by_specialty.get(person.specialty, [])
        for resident in rng.sample(residents, min(3, len(residents))):
            Exclusion.objects.get_or_create(
                program=program,
                person=users[person.email],
                other=users[resident.email],
                reason=Exclusion.Reason.EVALUATOR,
            )


def demo_operator_mfa_ensure(operator: User | None = None) -> None:
    """Give the demo operator the published authenticator-app secret, once."""
    operator = operator or User.objects.filter(email=OPERATOR_EMAIL).first()
    if operator is None:
        return
    if not Authenticator.objects.filter(user=operator, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(operator, DEMO_OPERATOR_TOTP_SECRET)


def demo_operator_code() -> str:
    """The demo operator's current six-digit code, for evaluators without an app."""
    return format_hotp_value(hotp_value(DEMO_OPERATOR_TOTP_SECRET, int(time.time()) // 30))


def demo_exists() -> bool:
    return Program.objects.filter(slug=DEMO_PROGRAM_SLUG).exists()
