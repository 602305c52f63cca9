"""API for a partnership's workspace: notes, goals, milestones, meetings and action items.

Members only: every endpoint opens the partnership like the pages do (404 for anyone else),
answers 403 until the agreement is signed and to writes once the partnership has ended, and
records reads of private content in the audit log.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from tandem.accounts.models import User
from tandem.core.api import api_user
from tandem.partnerships.models import Partnership
from tandem.workspace import policies, selectors, services
from tandem.workspace.audit import private_read
from tandem.workspace.models import ActionItem, Goal, Meeting, Milestone, Note
from tandem.workspace.services.meetings import zone_named

router = Router(tags=["workspace"])


def _open(request: HttpRequest, partnership_id: int, *, write: bool = False) -> Partnership:
    partnership = policies.access_workspace(api_user(request), partnership_id)
    if not selectors.agreement_in_force(partnership):
        raise HttpError(403, "Every member must sign the partnership agreement first.")
    if write and not policies.can_write(partnership):
        raise HttpError(403, "This partnership has ended; its workspace is read-only.")
    return partnership


def _read(request: HttpRequest, partnership: Partnership, kind: str, count: int) -> None:
    private_read(
        user=api_user(request), partnership=partnership, kind=kind, count=count, request=request
    )


def _member(partnership: Partnership, user_id: int) -> User:
    for user in selectors.member_users(partnership):
        if user.pk == user_id:
            return user
    raise HttpError(422, "The owner must be a member of this partnership.")


class MemberOut(Schema):
    id: int
    display_name: str


class PartnershipOut(Schema):
    id: int
    status: str
    kind: str
    cohort: str
    members: list[MemberOut]
    agreement_in_force: bool


class NoteIn(Schema):
    body: str


class NoteOut(Schema):
    id: int
    author_id: int | None
    body: str
    created_at: dt.datetime
    updated_at: dt.datetime


class GoalIn(Schema):
    title: str
    measure: str = ""
    due_on: dt.date | None = None
    serves_main_thing: bool = True
    status: str = Goal.Status.ACTIVE


class MilestoneOut(Schema):
    id: int
    text: str
    due_on: dt.date | None
    reached_at: dt.datetime | None


class MilestoneIn(Schema):
    text: str
    due_on: dt.date | None = None


class MilestoneReachedIn(Schema):
    reached: bool


class GoalOut(Schema):
    id: int
    owner_id: int
    title: str
    measure: str
    due_on: dt.date | None
    status: str
    serves_main_thing: bool
    completed_at: dt.datetime | None
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_milestones(goal: Goal) -> list[Milestone]:
        return list(goal.milestones.all())


class MeetingIn(Schema):
    starts_at: dt.datetime
    duration_minutes: int = 60
    timezone: str = "UTC"
    location: str = ""


class MeetingRecordIn(Schema):
    status: str | None = None
    notes: str | None = None


class MeetingOut(Schema):
    id: int
    number: int
    starts_at: dt.datetime
    duration_minutes: int
    timezone: str
    location: str
    status: str
    notes: str

    @staticmethod
    def resolve_starts_at(meeting: Meeting) -> dt.datetime:
        return meeting.starts_at.astimezone(ZoneInfo(meeting.timezone))


class ActionItemIn(Schema):
    text: str
    owner_id: int
    due_on: dt.date | None = None
    goal_id: int | None = None
    meeting_id: int | None = None
    serves_main_thing: bool = False
    done: bool = False


class ActionItemOut(Schema):
    id: int
    text: str
    owner_id: int
    due_on: dt.date | None
    goal_id: int | None
    meeting_id: int | None
    serves_main_thing: bool
    done_at: dt.datetime | None
    is_overdue: bool


@router.get("/partnerships", response=list[PartnershipOut])
def partnerships(request: HttpRequest) -> list[PartnershipOut]:
    return [
        PartnershipOut(
            id=partnership.pk,
            status=partnership.status,
            kind=partnership.kind,
            cohort=partnership.cohort.name,
            members=[
                MemberOut(id=member.user.pk, display_name=member.user.display_name)
                for member in partnership.members.all()
            ],
            agreement_in_force=selectors.agreement_in_force(partnership),
        )
        for partnership in selectors.workspaces_for(api_user(request))
    ]


# Notes


@router.get("/partnerships/{partnership_id}/notes", response=list[NoteOut])
def notes(request: HttpRequest, partnership_id: int) -> list[Note]:
    partnership = _open(request, partnership_id)
    found = list(selectors.notes_of(partnership))
    _read(request, partnership, "notes", len(found))
    return found


@router.post("/partnerships/{partnership_id}/notes", response={201: NoteOut})
def note_create(request: HttpRequest, partnership_id: int, payload: NoteIn) -> Status[Note]:
    partnership = _open(request, partnership_id, write=True)
    return Status(
        201,
        services.note_create(partnership=partnership, author=api_user(request), body=payload.body),
    )


@router.get("/partnerships/{partnership_id}/notes/{note_id}", response=NoteOut)
def note(request: HttpRequest, partnership_id: int, note_id: int) -> Note:
    partnership = _open(request, partnership_id)
    found = policies.access_note(partnership, note_id)
    _read(request, partnership, "notes", 1)
    return found


@router.put("/partnerships/{partnership_id}/notes/{note_id}", response=NoteOut)
def note_update(request: HttpRequest, partnership_id: int, note_id: int, payload: NoteIn) -> Note:
    partnership = _open(request, partnership_id, write=True)
    found = policies.access_note(partnership, note_id)
    return services.note_update(note=found, editor=api_user(request), body=payload.body)


@router.delete("/partnerships/{partnership_id}/notes/{note_id}", response={204: None})
def note_delete(request: HttpRequest, partnership_id: int, note_id: int) -> Status[None]:
    partnership = _open(request, partnership_id, write=True)
    services.note_delete(note=policies.access_note(partnership, note_id), by=api_user(request))
    return Status(204, None)


# Goals and milestones


@router.get("/partnerships/{partnership_id}/goals", response=list[GoalOut])
def goals(request: HttpRequest, partnership_id: int) -> list[Goal]:
    partnership = _open(request, partnership_id)
    found = list(selectors.goals_of(partnership))
    _read(request, partnership, "goals", len(found))
    return found


@router.post("/partnerships/{partnership_id}/goals", response={201: GoalOut})
def goal_create(request: HttpRequest, partnership_id: int, payload: GoalIn) -> Status[Goal]:
    partnership = _open(request, partnership_id, write=True)
    fields = payload.dict()
    status = fields.pop("status")
    goal = services.goal_create(partnership=partnership, owner=api_user(request), **fields)
    if status != Goal.Status.ACTIVE:
        goal = services.goal_update(goal=goal, by=api_user(request), status=status, **fields)
    return Status(201, goal)


@router.get("/partnerships/{partnership_id}/goals/{goal_id}", response=GoalOut)
def goal(request: HttpRequest, partnership_id: int, goal_id: int) -> Goal:
    partnership = _open(request, partnership_id)
    found = policies.access_goal(partnership, goal_id)
    _read(request, partnership, "goal", 1)
    return found


@router.put("/partnerships/{partnership_id}/goals/{goal_id}", response=GoalOut)
def goal_update(request: HttpRequest, partnership_id: int, goal_id: int, payload: GoalIn) -> Goal:
    partnership = _open(request, partnership_id, write=True)
    found = policies.access_goal(partnership, goal_id)
    return services.goal_update(goal=found, by=api_user(request), **payload.dict())


@router.get(
    "/partnerships/{partnership_id}/goals/{goal_id}/milestones", response=list[MilestoneOut]
)
def milestones(request: HttpRequest, partnership_id: int, goal_id: int) -> list[Milestone]:
    partnership = _open(request, partnership_id)
    found = list(policies.access_goal(partnership, goal_id).milestones.all())
    _read(request, partnership, "milestones", len(found))
    return found


@router.post(
    "/partnerships/{partnership_id}/goals/{goal_id}/milestones", response={201: MilestoneOut}
)
def milestone_create(
    request: HttpRequest, partnership_id: int, goal_id: int, payload: MilestoneIn
) -> Status[Milestone]:
    partnership = _open(request, partnership_id, write=True)
    found = policies.access_goal(partnership, goal_id)
    return Status(201, services.milestone_add(goal=found, by=api_user(request), **payload.dict()))


@router.put(
    "/partnerships/{partnership_id}/goals/{goal_id}/milestones/{milestone_id}",
    response=MilestoneOut,
)
def milestone_update(
    request: HttpRequest,
    partnership_id: int,
    goal_id: int,
    milestone_id: int,
    payload: MilestoneReachedIn,
) -> Milestone:
    partnership = _open(request, partnership_id, write=True)
    milestone = policies.access_milestone(policies.access_goal(partnership, goal_id), milestone_id)
    return services.milestone_set_reached(
        milestone=milestone, by=api_user(request), reached=payload.reached
    )


# Meetings


def _start(payload: MeetingIn) -> dt.datetime:
    zone = zone_named(payload.timezone)
    starts_at = payload.starts_at
    return starts_at.replace(tzinfo=zone) if timezone.is_naive(starts_at) else starts_at


@router.get("/partnerships/{partnership_id}/meetings", response=list[MeetingOut])
def meetings(request: HttpRequest, partnership_id: int) -> list[Meeting]:
    partnership = _open(request, partnership_id)
    found = list(selectors.meetings_of(partnership))
    _read(request, partnership, "meetings", len(found))
    return found


@router.post("/partnerships/{partnership_id}/meetings", response={201: MeetingOut})
def meeting_create(
    request: HttpRequest, partnership_id: int, payload: MeetingIn
) -> Status[Meeting]:
    partnership = _open(request, partnership_id, write=True)
    meeting = services.meeting_schedule(
        partnership=partnership,
        by=api_user(request),
        starts_at=_start(payload),
        duration_minutes=payload.duration_minutes,
        timezone_name=payload.timezone,
        location=payload.location,
    )
    return Status(201, meeting)


@router.get("/partnerships/{partnership_id}/meetings/{meeting_id}", response=MeetingOut)
def meeting(request: HttpRequest, partnership_id: int, meeting_id: int) -> Meeting:
    partnership = _open(request, partnership_id)
    found = policies.access_meeting(partnership, meeting_id)
    _read(request, partnership, "meeting", 1)
    return found


@router.put("/partnerships/{partnership_id}/meetings/{meeting_id}", response=MeetingOut)
def meeting_update(
    request: HttpRequest, partnership_id: int, meeting_id: int, payload: MeetingIn
) -> Meeting:
    partnership = _open(request, partnership_id, write=True)
    return services.meeting_update(
        meeting=policies.access_meeting(partnership, meeting_id),
        by=api_user(request),
        starts_at=_start(payload),
        duration_minutes=payload.duration_minutes,
        timezone_name=payload.timezone,
        location=payload.location,
    )


@router.patch("/partnerships/{partnership_id}/meetings/{meeting_id}", response=MeetingOut)
def meeting_record(
    request: HttpRequest, partnership_id: int, meeting_id: int, payload: MeetingRecordIn
) -> Meeting:
    partnership = _open(request, partnership_id, write=True)
    return services.meeting_record(
        meeting=policies.access_meeting(partnership, meeting_id),
        by=api_user(request),
        status=payload.status,
        notes=payload.notes,
    )


# Action items


def _item_links(partnership: Partnership, payload: ActionItemIn) -> dict[str, object]:
    return {
        "owner": _member(partnership, payload.owner_id),
        "text": payload.text,
        "due_on": payload.due_on,
        "goal": policies.access_goal(partnership, payload.goal_id) if payload.goal_id else None,
        "serves_main_thing": payload.serves_main_thing,
    }


@router.get("/partnerships/{partnership_id}/action-items", response=list[ActionItemOut])
def action_items(request: HttpRequest, partnership_id: int) -> list[ActionItem]:
    partnership = _open(request, partnership_id)
    found = list(selectors.action_items_of(partnership))
    _read(request, partnership, "action_items", len(found))
    return found


@router.post("/partnerships/{partnership_id}/action-items", response={201: ActionItemOut})
def action_item_create(
    request: HttpRequest, partnership_id: int, payload: ActionItemIn
) -> Status[ActionItem]:
    partnership = _open(request, partnership_id, write=True)
    meeting = (
        policies.access_meeting(partnership, payload.meeting_id) if payload.meeting_id else None
    )
    item = services.action_item_create(
        partnership=partnership,
        by=api_user(request),
        meeting=meeting,
        **_item_links(partnership, payload),  # type: ignore[arg-type]
    )
    if payload.done:
        item = services.action_item_set_done(item=item, by=api_user(request))
    return Status(201, item)


@router.get("/partnerships/{partnership_id}/action-items/{item_id}", response=ActionItemOut)
def action_item(request: HttpRequest, partnership_id: int, item_id: int) -> ActionItem:
    partnership = _open(request, partnership_id)
    found = policies.access_action_item(partnership, item_id)
    _read(request, partnership, "action_items", 1)
    return found


@router.put("/partnerships/{partnership_id}/action-items/{item_id}", response=ActionItemOut)
def action_item_update(
    request: HttpRequest, partnership_id: int, item_id: int, payload: ActionItemIn
) -> ActionItem:
    partnership = _open(request, partnership_id, write=True)
    item = services.action_item_update(
        item=policies.access_action_item(partnership, item_id),
        by=api_user(request),
        **_item_links(partnership, payload),  # type: ignore[arg-type]
    )
    return services.action_item_set_done(item=item, by=api_user(request), done=payload.done)
