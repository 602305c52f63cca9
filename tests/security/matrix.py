"""The authorization matrix: every page and API operation, and what each role gets from it.

Every URL pattern Django resolves and every operation in the API's OpenAPI schema must have
an entry here; ``test_authorization_matrix.py`` fails, naming the route, when one is missing.

Adding a page: add ``"namespace:name": Page(kwargs=..., expect=...)`` to PAGES. ``kwargs`` fills
the path parameters from the test world ``w`` (``w.cast`` is the cast from tests/conftest.py);
``expect`` maps each role to the status of a GET (or of ``method``). Adding an API operation:
add ``("GET", "/api/v1/path/{param}"): Operation(params=..., expect=...)`` to OPERATIONS.

Roles: anon, alice and bob (partners), carol (same cohort, not their partner), dave (another
program's participant), coord (coordinates the program), other_coord (another program), rhea
(researches the program), olga (operator).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("anon", "alice", "bob", "carol", "dave", "coord", "other_coord", "rhea", "olga")
SIGNED_IN = ROLES[1:]

# allauth's own account pages and Django's admin are exempt from the per-role walk; the test
# still checks that each answers an anonymous visitor with its sign-in page.
EXEMPT_PREFIXES = {
    "accounts/": "/accounts/login/",
    "admin/": "/accounts/login/",  # the admin signs in through the site's own sign-in
}
API_PREFIX = "api/v1/"
# Pages under the API prefix that are not operations of its schema.
API_PAGES = ("api:openapi-json", "api:openapi-view", "api:api-root")


def expect(default: int, anon: int = 302, **roles: int) -> dict[str, int]:
    answers = dict.fromkeys(SIGNED_IN, default)
    answers["anon"] = anon
    answers.update(roles)
    return answers


def only(allowed: dict[str, int], *, others: int = 404, anon: int = 302) -> dict[str, int]:
    answers = dict.fromkeys(SIGNED_IN, others)
    answers["anon"] = anon
    answers.update(allowed)
    return answers


MANAGERS = {"coord": 200, "olga": 200}
MANAGE = only(MANAGERS)
MEMBERS_OF_PROGRAM = {"alice": 200, "bob": 200, "carol": 200}
# alice and bob's partnership: its members only; everyone else 404, so nothing is revealed.
PARTNERS = only({"alice": 200, "bob": 200})
PARTNERS_ACT = only({"alice": 302, "bob": 302})  # a POST button: done, back to the page
OWNER = only({"alice": 200})  # alice's own private (P1) objects
OWNER_ACT = only({"alice": 302})
MANAGERS_ACT = only({"coord": 302, "olga": 302})


@dataclass(frozen=True)
class Page:
    kwargs: Callable[[Any], dict[str, Any]] = lambda w: {}
    expect: dict[str, int] = field(default_factory=dict)
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] = lambda w: {}


def _program(w: Any) -> dict[str, Any]:
    return {"slug": w.cast.program.slug}


def _cohort(w: Any) -> dict[str, Any]:
    return {"slug": w.cast.program.slug, "cohort_slug": w.cast.cohort.slug}


def _pair(w: Any) -> dict[str, Any]:
    return {"partnership_id": w.cast.partnership.pk}


def _match_run(w: Any) -> Any:
    """A draft match run over the cast's cohort: carol and two newcomers (made once per world)."""
    if getattr(w, "_match_run", None) is None:
        from tandem.rounds.services import match_run_start
        from tests import factories

        for name in ("Nia", "Omar"):
            factories.participant(w.cast.cohort, email=f"{name.lower()}@example.org")
        w._match_run = match_run_start(cohort=w.cast.cohort, created_by=w.cast.coord)
    return w._match_run


def _placement(w: Any) -> dict[str, Any]:
    """An open placement of a late joiner (Nell) into alice and bob's pair (made once)."""
    if getattr(w, "_placement", None) is None:
        from tandem.rounds.models import Placement, PlacementConsent
        from tests import factories

        nell = factories.participant(w.cast.cohort, email="nell@example.org")
        placement = Placement.objects.create(
            cohort=w.cast.cohort,
            partnership=w.cast.partnership,
            newcomer=nell,
            placed_by=w.cast.coord,
        )
        for member in (w.cast.alice, w.cast.bob):
            PlacementConsent.objects.create(placement=placement, member=member)
        w._placement = placement
    return {"placement_id": w._placement.pk}


def _run(w: Any) -> dict[str, Any]:
    return {"run_id": _match_run(w).pk}


def _survey(w: Any, *names: str) -> dict[str, Any]:
    """The program slug and the named ids of the cast cohort's survey (made on first use)."""
    from tests.surveys.builders import ids

    found = ids(w.cast)
    return {"slug": w.cast.program.slug} | {name: found[name] for name in names}


def _wave(w: Any) -> dict[str, Any]:
    return {"wave_id": _survey(w, "wave_id")["wave_id"]}


def _study(w: Any) -> dict[str, Any]:
    """The cast's cohort, with a study protocol (created on first use)."""
    from tandem.research.models import StudyProtocol

    StudyProtocol.objects.get_or_create(
        cohort=w.cast.cohort, defaults={"title": "Peer study", "information": "i", "outcomes": "o"}
    )
    return _cohort(w)


def _schedule_import(w: Any) -> dict[str, Any]:
    from tandem.schedules.services import schedule_import_preview

    if not hasattr(w, "_schedule_import"):
        w._schedule_import = schedule_import_preview(
            program=w.cast.program,
            uploaded_by=w.cast.coord,
            filename="blocks.csv",
            content="email,start,end,kind,label\nalice@example.org,2031-03-10,2031-03-16,night,ICU\n",
        )
    return {**_program(w), "import_id": w._schedule_import.pk}


def _alice_schedule_upload(w: Any) -> dict[str, Any]:
    """A schedule file alice uploaded and has not applied yet (made on first use)."""
    from tandem.schedules.services import own_schedule_preview

    if not hasattr(w, "_schedule_upload"):
        text = "start,end,kind,label\n2031-03-10,2031-03-16,night,ICU\n"
        w._schedule_upload = own_schedule_preview(
            user=w.cast.alice, filename="mine.csv", text=text, raw=text.encode()
        )
    return {"upload_id": w._schedule_upload.pk}


def _alice_profile(w: Any) -> dict[str, Any]:
    return {**_program(w), "profile_id": w.cast.alice.profiles.get().pk}


def _grant(w: Any) -> Any:
    from tandem.outcomes.models import Grant

    grant, _ = Grant.objects.get_or_create(
        profile=w.cast.alice.profiles.get(), funder="NIH", role="pi", year=2025
    )
    return grant


def _outcome_import(w: Any) -> Any:
    from tandem.outcomes.csv_import import outcome_import_preview

    return outcome_import_preview(
        program=w.cast.program,
        uploaded_by=w.cast.coord,
        filename="outcomes.csv",
        content="person,kind,year,funder,role\nalice@example.org,grant,2025,NIH,pi\n",
    )


def _circle(w: Any) -> dict[str, Any]:
    """A circle of alice, bob and Nadia in a second cohort of the program, with a plan whose
    first session has begun (made once per world)."""
    if getattr(w, "_circle", None) is None:
        import datetime as dt

        from django.utils import timezone

        from tandem.circles.models import CircleSession
        from tandem.circles.services import circle_plan_create
        from tests import factories
        from tests.workspace.factories import sign_agreement

        cohort = factories.CohortFactory(program=w.cast.program, slug="circles")
        for user in (w.cast.alice, w.cast.bob):
            factories.EnrollmentFactory(cohort=cohort, user=user)
        nadia = factories.participant(cohort, email="nadia@example.org")
        circle = factories.partnership(cohort, [w.cast.alice, w.cast.bob, nadia])
        sign_agreement(circle)
        circle_plan_create(
            partnership=circle,
            by=nadia,
            guide_ref="tandem:academic-career",
            first_at=timezone.now() - dt.timedelta(hours=1),
            every_days=14,
        )
        w._circle = circle
        w._circle_session = CircleSession.objects.filter(partnership=circle).first()
    return {"partnership_id": w._circle.pk}


def _circle_session(w: Any) -> dict[str, Any]:
    return {**_circle(w), "session_id": w._circle_session.pk}


def _guide(w: Any) -> dict[str, Any]:
    from tandem.circles.services import guide_copy

    if getattr(w, "_guide", None) is None:
        w._guide = guide_copy(
            program=w.cast.program, by=w.cast.coord, source_ref="tandem:wellbeing-meaning"
        )
    return {**_program(w), "guide_id": w._guide.pk}


def _speed_event(w: Any) -> Any:
    """A running speed-mentoring event of the cast's cohort: alice, bob and carol (made once)."""
    if getattr(w, "_speed_event", None) is None:
        from django.utils import timezone

        from tandem.circles.services import speed_event_advance, speed_event_create
        from tandem.partnerships.models import PartnershipMember

        # alice and bob are paired in this cohort; the event is over everyone not yet matched.
        PartnershipMember.objects.filter(partnership=w.cast.partnership).update(is_current=False)
        event = speed_event_create(
            cohort=w.cast.cohort,
            by=w.cast.coord,
            title="Speed mentoring",
            starts_at=timezone.now(),
            round_minutes=5,
            rounds=2,
        )
        PartnershipMember.objects.filter(partnership=w.cast.partnership).update(is_current=True)
        w._speed_event = speed_event_advance(event=event)
    return w._speed_event


def _speed(w: Any) -> dict[str, Any]:
    return {**_cohort(w), "event_id": _speed_event(w).pk}


def _check_link(w: Any) -> dict[str, Any]:
    """A signed first-contact link of alice's day-7 question (made once per world)."""
    from tandem.engagement.models import ContactCheck
    from tandem.engagement.policies import check_token

    check, _ = ContactCheck.objects.get_or_create(
        partnership=w.cast.partnership, member=w.cast.alice, day=7
    )
    return {"token": check_token(check)}


def _report_version(w: Any) -> dict[str, Any]:
    """The cast cohort and the number of a saved version of its report (saved once)."""
    from tandem.outcomes.models import ReportVersion
    from tandem.outcomes.services import report_version_save

    version = ReportVersion.objects.filter(cohort=w.cast.cohort).first()
    if version is None:
        version = report_version_save(cohort=w.cast.cohort, by=w.cast.coord)
    return {**_cohort(w), "number": version.number}


PAGES: dict[str, Page] = {
    "home": Page(expect=expect(200, anon=200)),
    # participant
    "participant:profile": Page(
        kwargs=lambda w: {"program_slug": w.cast.program.slug}, expect=only(MEMBERS_OF_PROGRAM)
    ),
    "participant:join": Page(
        kwargs=lambda w: {"token": w.cast.cohort.join_token}, expect=expect(200, anon=200)
    ),
    # An invitation for someone without an account: visitors go to sign-up, others are refused.
    "participant:invitation": Page(
        kwargs=lambda w: {"token": w.invitation_token}, expect=expect(403, anon=302)
    ),
    # Linking an institution's sign-in: without one pending in this browser, back to sign-in;
    # the mailed link's page is only a button, and its POST links nothing without that state.
    "identity:link_required": Page(expect=expect(302, anon=302)),
    "identity:link_confirm": Page(
        kwargs=lambda w: {"token": "not-a-real-token"}, expect=expect(200, anon=200)
    ),
    # coordinator
    "programs:list": Page(expect=expect(200)),
    "programs:create": Page(expect=only({"coord": 200, "other_coord": 200, "olga": 200})),
    "programs:detail": Page(kwargs=_program, expect=MANAGE),
    "programs:edit": Page(kwargs=_program, expect=MANAGE),
    "programs:staff_invite": Page(
        kwargs=_program, method="post", expect=only({"coord": 302, "olga": 302})
    ),
    "programs:people": Page(kwargs=_program, expect=MANAGE),
    "programs:person": Page(
        kwargs=lambda w: {**_program(w), "profile_id": w.cast.alice.profiles.get().pk},
        expect=MANAGE,
    ),
    "programs:cohort_create": Page(kwargs=_program, expect=MANAGE),
    "programs:cohort": Page(kwargs=_cohort, expect=MANAGE),
    "programs:cohort_edit": Page(kwargs=_cohort, expect=MANAGE),
    "programs:cohort_invite": Page(
        kwargs=_cohort, method="post", expect=only({"coord": 400, "olga": 400})
    ),
    "programs:roster_upload": Page(kwargs=_cohort, expect=MANAGE),
    "programs:roster_preview": Page(
        kwargs=lambda w: {**_cohort(w), "import_id": w.roster_import_id}, expect=MANAGE
    ),
    # the partnership workspace (w.note, w.goal, w.milestone, w.meeting, w.item: see the test)
    "workspace:list": Page(expect=expect(200)),
    "workspace:home": Page(kwargs=_pair, expect=PARTNERS),
    "workspace:agreement": Page(kwargs=_pair, expect=PARTNERS),
    "workspace:agreement_amend": Page(kwargs=_pair, expect=PARTNERS),
    "workspace:accountability": Page(kwargs=_pair, expect=PARTNERS),
    "workspace:exit": Page(kwargs=_pair, expect=PARTNERS),
    "workspace:notes": Page(kwargs=_pair, expect=PARTNERS),
    "workspace:note_edit": Page(
        kwargs=lambda w: {**_pair(w), "note_id": w.note.pk}, expect=PARTNERS
    ),
    "workspace:note_delete": Page(
        kwargs=lambda w: {**_pair(w), "note_id": w.note.pk}, method="post", expect=PARTNERS_ACT
    ),
    "workspace:goals": Page(kwargs=_pair, expect=PARTNERS),
    "workspace:goal": Page(kwargs=lambda w: {**_pair(w), "goal_id": w.goal.pk}, expect=PARTNERS),
    "workspace:goal_edit": Page(
        kwargs=lambda w: {**_pair(w), "goal_id": w.goal.pk}, expect=PARTNERS
    ),
    "workspace:milestone_add": Page(
        kwargs=lambda w: {**_pair(w), "goal_id": w.goal.pk},
        method="post",
        data=lambda w: {"text": "Outline"},
        expect=PARTNERS_ACT,
    ),
    "workspace:milestone_reach": Page(
        kwargs=lambda w: {**_pair(w), "goal_id": w.goal.pk, "milestone_id": w.milestone.pk},
        method="post",
        expect=PARTNERS_ACT,
    ),
    "workspace:goal_cheer": Page(
        kwargs=lambda w: {**_pair(w), "goal_id": w.goal.pk}, method="post", expect=PARTNERS_ACT
    ),
    "workspace:meetings": Page(kwargs=_pair, expect=PARTNERS),
    "workspace:meeting": Page(
        kwargs=lambda w: {**_pair(w), "meeting_id": w.meeting.pk}, expect=PARTNERS
    ),
    "workspace:meeting_edit": Page(
        kwargs=lambda w: {**_pair(w), "meeting_id": w.meeting.pk}, expect=PARTNERS
    ),
    "workspace:meeting_ics": Page(
        kwargs=lambda w: {**_pair(w), "meeting_id": w.meeting.pk}, expect=PARTNERS
    ),
    "workspace:actions": Page(kwargs=_pair, expect=PARTNERS),
    "workspace:action_edit": Page(
        kwargs=lambda w: {**_pair(w), "item_id": w.item.pk}, expect=PARTNERS
    ),
    "workspace:action_done": Page(
        kwargs=lambda w: {**_pair(w), "item_id": w.item.pk}, method="post", expect=PARTNERS_ACT
    ),
    # circles: a circle's plan, sessions and attendance open for its seated members only (alice
    # and bob); coordinators see attendance only as suppressed counts of the cohort.
    "circles:plan": Page(kwargs=_circle, expect=PARTNERS),
    "circles:facilitator": Page(
        kwargs=_circle, method="post", data=lambda w: {"volunteer": "1"}, expect=PARTNERS_ACT
    ),
    "circles:session": Page(kwargs=_circle_session, expect=PARTNERS),
    "circles:attendance": Page(
        kwargs=_circle_session,
        method="post",
        data=lambda w: {"attended": "yes"},
        expect=PARTNERS_ACT,
    ),
    "circles:guides": Page(kwargs=_program, expect=MANAGE),
    "circles:settings": Page(kwargs=_program, method="post", expect=MANAGERS_ACT),
    "circles:guide_copy": Page(
        kwargs=_program,
        method="post",
        data=lambda w: {"source": "tandem:academic-career"},
        expect=MANAGERS_ACT,
    ),
    "circles:guide_new": Page(kwargs=_program, expect=MANAGE),
    "circles:guide_edit": Page(kwargs=_guide, expect=MANAGE),
    "circles:cohort_circles": Page(kwargs=_cohort, expect=MANAGE),
    # speed mentoring: the event's own participants (here alice, bob and carol) see their rounds
    "circles:speed_events": Page(kwargs=_cohort, expect=MANAGE),
    "circles:speed_event": Page(kwargs=_speed, expect=MANAGE),
    "circles:speed_advance": Page(kwargs=_speed, method="post", expect=MANAGERS_ACT),
    # Matching before the rankings open is refused with a message, back to the event.
    "circles:speed_match": Page(kwargs=_speed, method="post", expect=MANAGERS_ACT),
    "circles:speed_mine": Page(
        kwargs=lambda w: {"event_id": _speed_event(w).pk},
        expect=only({"alice": 200, "bob": 200, "carol": 200}),
    ),
    "workspace_staff:agreement_template": Page(kwargs=_program, expect=MANAGE),
    "workspace_staff:cohort_partnerships": Page(kwargs=_cohort, expect=MANAGE),
    # wellbeing: check-ins and journal (w.pulse, w.reflection are alice's private ones)
    "wellbeing:checkin": Page(expect=expect(200)),
    # Only participants check in; anyone else's check-in is refused as invalid.
    "wellbeing:checkin_save": Page(
        method="post",
        data=lambda w: {"burnout": 2, "supported": 4},
        expect=expect(400, alice=302, bob=302, carol=302, dave=302),
    ),
    "wellbeing:trend_svg": Page(expect=expect(200)),
    "wellbeing:settings": Page(method="post", expect=expect(302)),
    "wellbeing:pulse_share": Page(
        kwargs=lambda w: {"pulse_id": w.pulse.pk},
        method="post",
        data=lambda w: {"shared": "1"},
        expect=OWNER_ACT,
    ),
    "wellbeing:pulse_delete": Page(
        kwargs=lambda w: {"pulse_id": w.pulse.pk}, method="post", expect=OWNER_ACT
    ),
    "wellbeing:programs": Page(expect=expect(200)),
    # a person's own schedule: each signed-in person reaches only their own
    "schedules:mine": Page(expect=expect(200)),
    "schedules:settings": Page(method="post", expect=expect(422)),  # an empty form, kept
    "schedules:upload": Page(method="post", expect=expect(422)),
    "schedules:upload_preview": Page(kwargs=_alice_schedule_upload, expect=OWNER),
    "schedules:subscription": Page(method="post", expect=expect(302)),  # empty: unsubscribed
    "schedules:clear": Page(method="post", expect=expect(302)),
    "schedules:calendar": Page(method="post", expect=expect(200)),  # the new address, once
    # The private calendar feed: its secret address is its only key; a wrong one is 404.
    "schedules:feed": Page(
        kwargs=lambda w: {"token": "not-a-real-token"}, expect=expect(404, anon=404)
    ),
    "schedules:windows": Page(kwargs=_pair, expect=PARTNERS),
    # engagement: a member's first-contact page and buttons; the coordinator's at-risk list
    "engagement:partnership": Page(kwargs=_pair, expect=PARTNERS),
    "engagement:answer": Page(
        kwargs=_pair, method="post", data=lambda w: {"answer": "yes"}, expect=PARTNERS_ACT
    ),
    "engagement:nudge": Page(kwargs=_pair, method="post", expect=PARTNERS_ACT),
    "engagement:rematch": Page(kwargs=_pair, expect=PARTNERS),  # the confirmation page
    # The mailed link is its own credential: it opens the question of one check for whoever
    # holds it, signs nobody in, and answers nothing else (tests/engagement/test_links.py).
    "engagement:link": Page(kwargs=_check_link, expect=expect(200, anon=200)),
    # Only the program's own coordinators: the operator too gets a 404.
    "engagement:at_risk": Page(kwargs=_program, expect=only({"coord": 200})),
    "engagement:rules": Page(kwargs=_program, expect=only({"coord": 200})),
    "schedules:program": Page(kwargs=_program, expect=MANAGE),
    "schedules:program_rules": Page(kwargs=_program, method="post", expect=MANAGERS_ACT),
    "schedules:cohort_minimum": Page(kwargs=_cohort, method="post", expect=MANAGERS_ACT),
    "schedules:program_preview": Page(kwargs=_schedule_import, expect=MANAGE),
    "wellbeing:journal": Page(expect=expect(200)),
    "wellbeing:reflection_edit": Page(
        kwargs=lambda w: {"reflection_id": w.reflection.pk}, expect=OWNER
    ),
    "wellbeing:reflection_delete": Page(
        kwargs=lambda w: {"reflection_id": w.reflection.pk}, method="post", expect=OWNER_ACT
    ),
    "wellbeing:reflection_share": Page(
        kwargs=lambda w: {"reflection_id": w.reflection.pk},
        method="post",
        data=lambda w: {"partnership": w.cast.partnership.pk, "shared": "1"},
        expect=OWNER_ACT,
    ),
    "wellbeing:support": Page(expect=expect(200)),
    "wellbeing:kudos": Page(kwargs=_pair, expect=PARTNERS),
    "wellbeing:marathon": Page(kwargs=_pair, expect=PARTNERS),
    "wellbeing:shared": Page(kwargs=_pair, expect=PARTNERS),
    "wellbeing:program_support": Page(kwargs=_program, expect=MANAGE),
    "wellbeing:resource_create": Page(kwargs=_program, expect=MANAGE),
    "wellbeing:resource_edit": Page(
        kwargs=lambda w: {**_program(w), "resource_id": w.resource.pk}, expect=MANAGE
    ),
    "wellbeing:resource_delete": Page(
        kwargs=lambda w: {**_program(w), "resource_id": w.resource.pk},
        method="post",
        expect=MANAGERS_ACT,
    ),
    "wellbeing:cohort": Page(kwargs=_cohort, expect=MANAGE),
    "wellbeing:cohort_svg": Page(kwargs=_cohort, expect=MANAGE),
    "wellbeing:cohort_csv": Page(kwargs=_cohort, expect=MANAGE),
    # match rounds (w's draft run covers carol and two newcomers of the cast's cohort)
    "rounds:overview": Page(expect=expect(200)),
    "rounds:cohort_runs": Page(kwargs=_cohort, expect=MANAGE),
    "rounds:settings": Page(kwargs=_cohort, expect=MANAGE),
    # Only carol can be matched in the cast's cohort, so the run is refused with a message.
    "rounds:run_start": Page(kwargs=_cohort, method="post", expect=MANAGERS_ACT),
    "rounds:place": Page(
        kwargs=lambda w: {**_cohort(w), "user_id": w.cast.carol.pk}, expect=MANAGE
    ),
    "rounds:run": Page(kwargs=_run, expect=MANAGE),
    "rounds:run_progress": Page(kwargs=_run, expect=MANAGE),
    "rounds:run_retry": Page(kwargs=_run, method="post", expect=MANAGERS_ACT),
    "rounds:run_rerun": Page(kwargs=_run, method="post", expect=MANAGERS_ACT),
    "rounds:run_reviewed": Page(kwargs=_run, method="post", expect=MANAGERS_ACT),
    "rounds:run_publish": Page(
        kwargs=_run, method="post", data=lambda w: {"confirm": "yes"}, expect=MANAGERS_ACT
    ),
    "rounds:run_forbid": Page(kwargs=_run, method="post", expect=MANAGERS_ACT),
    "rounds:group_lock": Page(
        kwargs=lambda w: {**_run(w), "group_id": _match_run(w).groups.first().pk},
        method="post",
        data=lambda w: {"locked": "1"},
        expect=MANAGERS_ACT,
    ),
    "rounds:move": Page(kwargs=lambda w: {**_run(w), "person_id": w.cast.carol.pk}, expect=MANAGE),
    "rounds:compare": Page(
        kwargs=lambda w: {**_run(w), "other_id": _match_run(w).pk}, expect=MANAGE
    ),
    "rounds:proposals": Page(expect=expect(200)),
    "rounds:proposal": Page(kwargs=_pair, expect=PARTNERS),
    # alice and bob already accepted their partnership: answering again is refused politely.
    "rounds:proposal_accept": Page(kwargs=_pair, method="post", expect=PARTNERS_ACT),
    "rounds:proposal_decline": Page(kwargs=_pair, method="post", expect=PARTNERS_ACT),
    # a late joiner (Nell) waits for alice and bob's consent: only they are asked
    "rounds:placement": Page(kwargs=_placement, expect=PARTNERS),
    "rounds:placement_answer": Page(
        kwargs=_placement, method="post", data=lambda w: {"answer": "yes"}, expect=PARTNERS_ACT
    ),
    # surveys (tests/surveys/builders.py makes the cast cohort's survey on first use)
    "surveys:list": Page(expect=expect(200)),
    "surveys:answer": Page(kwargs=_wave, expect=only(MEMBERS_OF_PROGRAM)),
    "surveys:program": Page(kwargs=_program, expect=MANAGE),
    "surveys:survey_create": Page(kwargs=lambda w: _survey(w), expect=MANAGE),
    "surveys:instrument_create": Page(kwargs=_program, expect=MANAGE),
    "surveys:instrument_library": Page(
        kwargs=_program,
        method="post",
        data=lambda w: {"slug": "career-confidence"},
        expect=MANAGERS_ACT,
    ),
    "surveys:instrument_import": Page(kwargs=_program, expect=MANAGE),
    "surveys:instrument": Page(kwargs=lambda w: _survey(w, "instrument_id"), expect=MANAGE),
    "surveys:item_add": Page(kwargs=lambda w: _survey(w, "instrument_id"), expect=MANAGE),
    "surveys:item_edit": Page(
        kwargs=lambda w: _survey(w, "instrument_id", "question_id"), expect=MANAGE
    ),
    "surveys:item_move": Page(
        kwargs=lambda w: _survey(w, "instrument_id", "question_id"),
        method="post",
        data=lambda w: {"direction": "down"},
        expect=MANAGERS_ACT,
    ),
    "surveys:item_delete": Page(
        kwargs=lambda w: _survey(w, "instrument_id", "question_id"),
        method="post",
        expect=MANAGERS_ACT,
    ),
    "surveys:results": Page(kwargs=lambda w: _survey(w, "survey_id"), expect=MANAGE),
    "surveys:chart_svg": Page(kwargs=lambda w: _survey(w, "survey_id"), expect=MANAGE),
    "surveys:chart_csv": Page(kwargs=lambda w: _survey(w, "survey_id"), expect=MANAGE),
    "surveys:wave_edit": Page(kwargs=lambda w: _survey(w, "survey_id", "wave_id"), expect=MANAGE),
    # insights: the coordinator dashboard (aggregate figures, suppressed)
    "insights:programs": Page(expect=expect(200)),
    "insights:program": Page(kwargs=_program, expect=MANAGE),
    "insights:program_csv": Page(
        kwargs=_program, data=lambda w: {"table": "funnel"}, expect=MANAGE
    ),
    "insights:cohort": Page(kwargs=_cohort, expect=MANAGE),
    "insights:cohort_svg": Page(kwargs=_cohort, data=lambda w: {"chart": "funnel"}, expect=MANAGE),
    "insights:cohort_csv": Page(
        kwargs=_cohort, data=lambda w: {"table": "checkins"}, expect=MANAGE
    ),
    # research: protocol and randomisation (coordinators), consent (the cohort's participants),
    # de-identified exports (the program's researchers only)
    "research:studies": Page(expect=expect(200)),
    "research:exports": Page(kwargs=_program, expect=only({"rhea": 200})),
    "research:export_download": Page(
        kwargs=lambda w: {"slug": w.cast.program.slug, "cohort_slug": w.cast.cohort.slug},
        data=lambda w: {"format": "csv"},
        expect=only({"rhea": 200}),
    ),
    "research:protocol": Page(kwargs=_cohort, expect=MANAGE),
    "research:randomise": Page(kwargs=_study, method="post", expect=MANAGERS_ACT),
    "research:consent": Page(kwargs=_study, expect=only(MEMBERS_OF_PROGRAM)),
    # outcomes registry (coordinators only) and the evaluation report (researchers too)
    "outcomes:programs": Page(expect=expect(200)),
    "outcomes:registry": Page(kwargs=_program, expect=MANAGE),
    "outcomes:import_upload": Page(kwargs=_program, expect=MANAGE),
    "outcomes:import_preview": Page(
        kwargs=lambda w: {**_program(w), "import_id": _outcome_import(w).pk}, expect=MANAGE
    ),
    "outcomes:person": Page(kwargs=_alice_profile, expect=MANAGE),
    "outcomes:add": Page(kwargs=_alice_profile, data=lambda w: {"kind": "grant"}, expect=MANAGE),
    "outcomes:delete": Page(
        kwargs=_alice_profile,
        method="post",
        data=lambda w: {"kind": "grant", "outcome_id": _grant(w).pk},
        expect=MANAGERS_ACT,
    ),
    "outcomes:publications_upload": Page(kwargs=_alice_profile, expect=MANAGE),
    "outcomes:report": Page(kwargs=_cohort, expect=only({**MANAGERS, "rhea": 200})),
    "outcomes:report_save": Page(
        kwargs=_cohort, method="post", expect=only({**MANAGERS_ACT, "rhea": 302})
    ),
    "outcomes:report_version": Page(kwargs=_report_version, expect=only({**MANAGERS, "rhea": 200})),
    # the person's own account
    "accounts:overview": Page(expect=expect(200)),
    "notifications:preferences": Page(expect=expect(200)),
    "accounts:api_tokens": Page(expect=expect(200)),
    "accounts:api_token_revoke": Page(
        kwargs=lambda w: {"token_id": w.alice_token_id},
        method="post",
        expect=only({"alice": 302}),
    ),
    "privacy:my_data": Page(expect=expect(200)),
    "privacy:download": Page(method="post", expect=expect(200)),
    "privacy:delete": Page(expect=expect(200)),
    # operator
    "audit:log": Page(expect=only({"olga": 200})),
    # the API's own documentation pages
    "api:openapi-json": Page(expect=expect(200, anon=200)),
    "api:openapi-view": Page(expect=expect(200, anon=200)),
    "api:api-root": Page(expect=expect(404, anon=404)),
}


@dataclass(frozen=True)
class Operation:
    params: Callable[[Any], dict[str, Any]] = lambda w: {}
    body: dict[str, Any] | None = None
    expect: dict[str, int] = field(default_factory=dict)
    body_for: Callable[[Any], dict[str, Any]] | None = None  # a body that needs the world

    def payload(self, w: Any) -> dict[str, Any] | None:
        return self.body_for(w) if self.body_for is not None else self.body


def api(default: int, **roles: int) -> dict[str, int]:
    return expect(default, anon=401, **roles)


def api_only(allowed: dict[str, int]) -> dict[str, int]:
    return only(allowed, anon=401)


API_MANAGE = api_only(MANAGERS)
API_PARTNERS = api_only({"alice": 200, "bob": 200})
API_PARTNERS_CREATE = api_only({"alice": 201, "bob": 201})
# Items alice wrote or owns: bob reads them, but the service refuses his changes (422).
API_AUTHOR = api_only({"alice": 200, "bob": 422})


def _api_pair(**extra: Callable[[Any], Any]) -> Callable[[Any], dict[str, Any]]:
    def params(w: Any) -> dict[str, Any]:
        return {"partnership_id": w.cast.partnership.pk} | {
            name: pick(w) for name, pick in extra.items()
        }

    return params


_note = {"note_id": lambda w: w.note.pk}
_goal = {"goal_id": lambda w: w.goal.pk}
_meeting = {"meeting_id": lambda w: w.meeting.pk}
_item = {"item_id": lambda w: w.item.pk}
_milestone = {"goal_id": lambda w: w.goal.pk, "milestone_id": lambda w: w.milestone.pk}
MEETING = {"starts_at": "2031-01-01T10:00:00", "timezone": "UTC"}

OPERATIONS: dict[tuple[str, str], Operation] = {
    ("GET", "/api/v1/me"): Operation(expect=api(200)),
    ("GET", "/api/v1/me/profiles"): Operation(expect=api(200)),
    ("GET", "/api/v1/me/tokens"): Operation(expect=api(200)),
    ("POST", "/api/v1/me/tokens"): Operation(body={"name": "matrix"}, expect=api(201)),
    ("GET", "/api/v1/me/profiles/{program_slug}"): Operation(
        params=lambda w: {"program_slug": w.cast.program.slug},
        expect=api_only(MEMBERS_OF_PROGRAM),
    ),
    ("PUT", "/api/v1/me/profiles/{program_slug}"): Operation(
        params=lambda w: {"program_slug": w.cast.program.slug},
        body={"stage": "PGY2"},
        expect=api_only(MEMBERS_OF_PROGRAM),
    ),
    ("GET", "/api/v1/programs"): Operation(expect=api(200)),
    ("GET", "/api/v1/programs/{slug}"): Operation(params=_program, expect=API_MANAGE),
    ("GET", "/api/v1/programs/{slug}/cohorts"): Operation(params=_program, expect=API_MANAGE),
    ("POST", "/api/v1/programs/{slug}/cohorts"): Operation(
        params=_program,
        body={"name": "Matrix cohort", "starts_on": "2030-01-01", "ends_on": "2030-06-30"},
        expect=api_only({"coord": 201, "olga": 201}),
    ),
    ("GET", "/api/v1/programs/{slug}/cohorts/{cohort_slug}"): Operation(
        params=_cohort, expect=API_MANAGE
    ),
    ("GET", "/api/v1/programs/{slug}/cohorts/{cohort_slug}/enrollments"): Operation(
        params=_cohort, expect=API_MANAGE
    ),
    ("GET", "/api/v1/partnerships"): Operation(expect=api(200)),
    ("GET", "/api/v1/partnerships/{partnership_id}/notes"): Operation(
        params=_api_pair(), expect=API_PARTNERS
    ),
    ("POST", "/api/v1/partnerships/{partnership_id}/notes"): Operation(
        params=_api_pair(), body={"body": "A thought"}, expect=API_PARTNERS_CREATE
    ),
    ("GET", "/api/v1/partnerships/{partnership_id}/notes/{note_id}"): Operation(
        params=_api_pair(**_note), expect=API_PARTNERS
    ),
    ("PUT", "/api/v1/partnerships/{partnership_id}/notes/{note_id}"): Operation(
        params=_api_pair(**_note), body={"body": "Edited"}, expect=API_AUTHOR
    ),
    ("DELETE", "/api/v1/partnerships/{partnership_id}/notes/{note_id}"): Operation(
        params=_api_pair(**_note), expect=api_only({"alice": 204, "bob": 422})
    ),
    ("GET", "/api/v1/partnerships/{partnership_id}/goals"): Operation(
        params=_api_pair(), expect=API_PARTNERS
    ),
    ("POST", "/api/v1/partnerships/{partnership_id}/goals"): Operation(
        params=_api_pair(), body={"title": "Submit the paper"}, expect=API_PARTNERS_CREATE
    ),
    ("GET", "/api/v1/partnerships/{partnership_id}/goals/{goal_id}"): Operation(
        params=_api_pair(**_goal), expect=API_PARTNERS
    ),
    ("PUT", "/api/v1/partnerships/{partnership_id}/goals/{goal_id}"): Operation(
        params=_api_pair(**_goal), body={"title": "Submit it"}, expect=API_AUTHOR
    ),
    ("GET", "/api/v1/partnerships/{partnership_id}/goals/{goal_id}/milestones"): Operation(
        params=_api_pair(**_goal), expect=API_PARTNERS
    ),
    ("POST", "/api/v1/partnerships/{partnership_id}/goals/{goal_id}/milestones"): Operation(
        params=_api_pair(**_goal),
        body={"text": "Outline"},
        expect=api_only({"alice": 201, "bob": 422}),
    ),
    (
        "PUT",
        "/api/v1/partnerships/{partnership_id}/goals/{goal_id}/milestones/{milestone_id}",
    ): Operation(params=_api_pair(**_milestone), body={"reached": True}, expect=API_AUTHOR),
    ("GET", "/api/v1/partnerships/{partnership_id}/windows"): Operation(
        params=_api_pair(), expect=API_PARTNERS
    ),
    ("GET", "/api/v1/partnerships/{partnership_id}/meetings"): Operation(
        params=_api_pair(), expect=API_PARTNERS
    ),
    ("POST", "/api/v1/partnerships/{partnership_id}/meetings"): Operation(
        params=_api_pair(), body=MEETING, expect=API_PARTNERS_CREATE
    ),
    ("GET", "/api/v1/partnerships/{partnership_id}/meetings/{meeting_id}"): Operation(
        params=_api_pair(**_meeting), expect=API_PARTNERS
    ),
    ("PUT", "/api/v1/partnerships/{partnership_id}/meetings/{meeting_id}"): Operation(
        params=_api_pair(**_meeting), body=MEETING, expect=API_PARTNERS
    ),
    ("PATCH", "/api/v1/partnerships/{partnership_id}/meetings/{meeting_id}"): Operation(
        params=_api_pair(**_meeting), body={"notes": "We met"}, expect=API_PARTNERS
    ),
    ("GET", "/api/v1/partnerships/{partnership_id}/action-items"): Operation(
        params=_api_pair(), expect=API_PARTNERS
    ),
    ("POST", "/api/v1/partnerships/{partnership_id}/action-items"): Operation(
        params=_api_pair(),
        body_for=lambda w: {"text": "Draft intro", "owner_id": w.cast.alice.pk},
        expect=API_PARTNERS_CREATE,
    ),
    ("GET", "/api/v1/partnerships/{partnership_id}/action-items/{item_id}"): Operation(
        params=_api_pair(**_item), expect=API_PARTNERS
    ),
    ("PUT", "/api/v1/partnerships/{partnership_id}/action-items/{item_id}"): Operation(
        params=_api_pair(**_item),
        body_for=lambda w: {"text": "Draft it", "owner_id": w.cast.alice.pk},
        expect=API_PARTNERS,
    ),
    ("GET", "/api/v1/me/pulses"): Operation(expect=api(200)),
    ("POST", "/api/v1/me/pulses"): Operation(
        body={"burnout": 2, "supported": 4},
        expect=api(422, alice=201, bob=201, carol=201, dave=201),
    ),
    ("GET", "/api/v1/me/reflections"): Operation(expect=api(200)),
    ("POST", "/api/v1/me/reflections"): Operation(
        body={"kind": "win", "what_happened": "Grant submitted"}, expect=api(201)
    ),
    ("GET", "/api/v1/me/reflections/{reflection_id}"): Operation(
        params=lambda w: {"reflection_id": w.reflection.pk}, expect=api_only({"alice": 200})
    ),
    ("PUT", "/api/v1/me/reflections/{reflection_id}"): Operation(
        params=lambda w: {"reflection_id": w.reflection.pk},
        body={"kind": "win", "what_happened": "Edited"},
        expect=api_only({"alice": 200}),
    ),
    ("DELETE", "/api/v1/me/reflections/{reflection_id}"): Operation(
        params=lambda w: {"reflection_id": w.reflection.pk}, expect=api_only({"alice": 204})
    ),
    ("GET", "/api/v1/partnerships/{partnership_id}/kudos"): Operation(
        params=_api_pair(), expect=API_PARTNERS
    ),
    ("POST", "/api/v1/partnerships/{partnership_id}/kudos"): Operation(
        params=_api_pair(), body={"message": "Keep going"}, expect=API_PARTNERS_CREATE
    ),
    # match rounds
    ("GET", "/api/v1/programs/{slug}/cohorts/{cohort_slug}/match-runs"): Operation(
        params=_cohort, expect=API_MANAGE
    ),
    # Only carol can be matched in the cast's cohort: coordinators get the service's 422.
    ("POST", "/api/v1/programs/{slug}/cohorts/{cohort_slug}/match-runs"): Operation(
        params=_cohort, body={"seed": 1}, expect=api_only({"coord": 422, "olga": 422})
    ),
    ("GET", "/api/v1/match-runs/{run_id}"): Operation(params=_run, expect=API_MANAGE),
    ("POST", "/api/v1/match-runs/{run_id}/publish"): Operation(params=_run, expect=API_MANAGE),
    ("GET", "/api/v1/me/proposals"): Operation(expect=api(200)),
    ("GET", "/api/v1/me/proposals/{partnership_id}"): Operation(
        params=_api_pair(), expect=API_PARTNERS
    ),
    ("POST", "/api/v1/me/proposals/{partnership_id}/accept"): Operation(
        params=_api_pair(), expect=api_only({"alice": 422, "bob": 422})
    ),
    ("POST", "/api/v1/me/proposals/{partnership_id}/decline"): Operation(
        params=_api_pair(), expect=api_only({"alice": 422, "bob": 422})
    ),
    ("GET", "/api/v1/me/joiners"): Operation(expect=api(200)),
    ("GET", "/api/v1/me/joiners/{placement_id}"): Operation(params=_placement, expect=API_PARTNERS),
    ("POST", "/api/v1/me/joiners/{placement_id}/answer"): Operation(
        params=_placement, body={"agree": True}, expect=API_PARTNERS
    ),
    # carol is in the pool, but the pair is already answering Nell's placement (made first).
    ("POST", "/api/v1/programs/{slug}/cohorts/{cohort_slug}/placements"): Operation(
        params=lambda w: {**_cohort(w), **{"_": _placement(w)}},
        body_for=lambda w: {"user_id": w.cast.carol.pk, "partnership_id": w.cast.partnership.pk},
        expect=api_only({"coord": 422, "olga": 422}),
    ),
    ("GET", "/api/v1/me/surveys"): Operation(expect=api(200)),
    ("PUT", "/api/v1/me/surveys/{wave_id}/response"): Operation(
        params=_wave,
        body={"answers": {"a": 4, "b": 2, "c": 3, "d": 7}},
        expect=api_only({"alice": 200, "bob": 200, "carol": 200}),
    ),
    ("GET", "/api/v1/programs/{slug}/surveys"): Operation(params=_program, expect=API_MANAGE),
    ("GET", "/api/v1/programs/{slug}/surveys/{survey_id}/aggregates"): Operation(
        params=lambda w: _survey(w, "survey_id"), expect=API_MANAGE
    ),
}
