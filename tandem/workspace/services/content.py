"""Notes, goals with their milestones, comments and cheers, and action items.

Notes are shared by the members and edited by their author; goals and their milestones are
changed by the goal's owner, while partners comment and cheer; action items can be created
and ticked off by any member.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import User
from tandem.partnerships.models import Partnership
from tandem.workspace.models import (
    ActionItem,
    Goal,
    GoalCheer,
    GoalComment,
    Meeting,
    Milestone,
    Note,
)
from tandem.workspace.policies import is_seated
from tandem.workspace.services.common import clean_text, require_writer

SHORT_TEXT = 500


# Notes


def note_create(*, partnership: Partnership, author: User, body: str) -> Note:
    require_writer(partnership, author)
    body = clean_text(body, field="body")
    return Note.objects.create(partnership=partnership, author=author, body=body)


def note_update(*, note: Note, editor: User, body: str) -> Note:
    require_writer(note.partnership, editor)
    if note.author_id != editor.pk:
        raise ValidationError("Only the author of a note can change it.")
    note.body = clean_text(body, field="body")
    note.updated_at = timezone.now()
    note.save(update_fields=["body", "updated_at"])
    return note


def note_delete(*, note: Note, by: User) -> None:
    require_writer(note.partnership, by)
    if note.author_id != by.pk:
        raise ValidationError("Only the author of a note can delete it.")
    note.delete()


# Goals


def goal_create(
    *,
    partnership: Partnership,
    owner: User,
    title: str,
    measure: str = "",
    due_on: dt.date | None = None,
    serves_main_thing: bool = True,
) -> Goal:
    require_writer(partnership, owner)
    return Goal.objects.create(
        partnership=partnership,
        owner=owner,
        title=clean_text(title, field="title", limit=SHORT_TEXT),
        measure=clean_text(measure, field="measure", required=False, limit=SHORT_TEXT * 2),
        due_on=due_on,
        serves_main_thing=serves_main_thing,
    )


def goal_update(
    *,
    goal: Goal,
    by: User,
    title: str | None = None,
    measure: str | None = None,
    due_on: dt.date | None = None,
    status: str | None = None,
    serves_main_thing: bool | None = None,
) -> Goal:
    """Change the owner's goal; completing it records when."""
    require_writer(goal.partnership, by)
    if goal.owner_id != by.pk:
        raise ValidationError("Only the person whose goal this is can change it.")
    if title is not None:
        goal.title = clean_text(title, field="title", limit=SHORT_TEXT)
    if measure is not None:
        goal.measure = clean_text(measure, field="measure", required=False, limit=SHORT_TEXT * 2)
    goal.due_on = due_on
    if serves_main_thing is not None:
        goal.serves_main_thing = serves_main_thing
    if status is not None:
        if status not in Goal.Status.values:
            raise ValidationError({"status": "Choose a goal status."})
        if status == Goal.Status.COMPLETED and goal.status != Goal.Status.COMPLETED:
            goal.completed_at = timezone.now()
        elif status != Goal.Status.COMPLETED:
            goal.completed_at = None
        goal.status = status
    goal.save()
    return goal


def milestone_add(*, goal: Goal, by: User, text: str, due_on: dt.date | None = None) -> Milestone:
    require_writer(goal.partnership, by)
    if goal.owner_id != by.pk:
        raise ValidationError("Only the person whose goal this is can add milestones.")
    return Milestone.objects.create(
        goal=goal, text=clean_text(text, field="text", limit=SHORT_TEXT), due_on=due_on
    )


def milestone_set_reached(*, milestone: Milestone, by: User, reached: bool = True) -> Milestone:
    goal = milestone.goal
    require_writer(goal.partnership, by)
    if goal.owner_id != by.pk:
        raise ValidationError("Only the person whose goal this is can mark its milestones.")
    milestone.reached_at = (milestone.reached_at or timezone.now()) if reached else None
    milestone.save(update_fields=["reached_at"])
    return milestone


def goal_comment_add(*, goal: Goal, author: User, body: str) -> GoalComment:
    require_writer(goal.partnership, author)
    return GoalComment.objects.create(
        goal=goal, author=author, body=clean_text(body, field="body", limit=SHORT_TEXT * 4)
    )


def goal_cheer(*, goal: Goal, user: User) -> GoalCheer:
    """A partner cheers a goal; cheering twice keeps one cheer."""
    require_writer(goal.partnership, user)
    if goal.owner_id == user.pk:
        raise ValidationError("Cheers are for your partners' goals.")
    cheer, _ = GoalCheer.objects.get_or_create(goal=goal, user=user)
    return cheer


# Action items


def _check_links(
    partnership: Partnership, owner: User, goal: Goal | None, meeting: Meeting | None
) -> None:
    if not is_seated(owner, partnership):
        raise ValidationError({"owner": "The owner must be a member of this partnership."})
    if goal is not None and goal.partnership_id != partnership.pk:
        raise ValidationError({"goal": "Choose one of this partnership's goals."})
    if meeting is not None and meeting.partnership_id != partnership.pk:
        raise ValidationError({"meeting": "Choose one of this partnership's meetings."})


def action_item_create(
    *,
    partnership: Partnership,
    by: User,
    owner: User,
    text: str,
    due_on: dt.date | None = None,
    goal: Goal | None = None,
    meeting: Meeting | None = None,
    serves_main_thing: bool = False,
) -> ActionItem:
    require_writer(partnership, by)
    _check_links(partnership, owner, goal, meeting)
    return ActionItem.objects.create(
        partnership=partnership,
        owner=owner,
        text=clean_text(text, field="text", limit=SHORT_TEXT * 2),
        due_on=due_on,
        goal=goal,
        meeting=meeting,
        serves_main_thing=serves_main_thing,
        created_by=by,
    )


def action_item_update(
    *,
    item: ActionItem,
    by: User,
    owner: User,
    text: str,
    due_on: dt.date | None = None,
    goal: Goal | None = None,
    serves_main_thing: bool = False,
) -> ActionItem:
    require_writer(item.partnership, by)
    _check_links(item.partnership, owner, goal, item.meeting)
    item.owner = owner
    item.text = clean_text(text, field="text", limit=SHORT_TEXT * 2)
    item.due_on = due_on
    item.goal = goal
    item.serves_main_thing = serves_main_thing
    item.save()
    return item


def action_item_set_done(*, item: ActionItem, by: User, done: bool = True) -> ActionItem:
    """Tick an item off (or on again); keeps the first time it was done."""
    with transaction.atomic():
        item = ActionItem.objects.select_for_update().select_related("partnership").get(pk=item.pk)
        require_writer(item.partnership, by)
        item.done_at = (item.done_at or timezone.now()) if done else None
        item.save(update_fields=["done_at"])
    return item
