"""The workspace's part of a person's data: what they wrote or own in their partnerships.

Shared (P0) content belongs to the pair: a person's download holds the items *they* wrote or
own (notes, comments, goals with their milestones, action items, meetings they scheduled,
agreement versions they proposed), never what their partners wrote. Deleting the account
removes those items; an agreement both signed and meetings both held stay, unattributed.
"""

from __future__ import annotations

from typing import Any

from tandem.accounts.models import User
from tandem.core.personal_data import register, when
from tandem.workspace.models import (
    ActionItem,
    AgreementVersion,
    Goal,
    GoalComment,
    Meeting,
    Note,
)


def workspace_data(user: User) -> dict[str, Any]:
    return {
        "notes_written": [
            {
                "partnership_id": note.partnership_id,
                "body": note.body,
                "created_at": when(note.created_at),
                "updated_at": when(note.updated_at),
            }
            for note in Note.objects.filter(author=user).order_by("created_at")
        ],
        "goals": [
            {
                "partnership_id": goal.partnership_id,
                "title": goal.title,
                "measure": goal.measure,
                "status": goal.status,
                "due_on": when(goal.due_on),
                "milestones": [
                    {"text": milestone.text, "reached_at": when(milestone.reached_at)}
                    for milestone in goal.milestones.all()
                ],
            }
            for goal in Goal.objects.filter(owner=user).prefetch_related("milestones")
        ],
        "goal_comments_written": [
            {
                "goal_id": comment.goal_id,
                "body": comment.body,
                "created_at": when(comment.created_at),
            }
            for comment in GoalComment.objects.filter(author=user)
        ],
        "action_items": [
            {
                "partnership_id": item.partnership_id,
                "text": item.text,
                "due_on": when(item.due_on),
                "done_at": when(item.done_at),
            }
            for item in ActionItem.objects.filter(owner=user)
        ],
        "meetings_scheduled": [
            {
                "partnership_id": meeting.partnership_id,
                "starts_at": when(meeting.starts_at),
                "status": meeting.status,
                "location": meeting.location,
                "notes": meeting.notes,
            }
            for meeting in Meeting.objects.filter(created_by=user)
        ],
        "agreement_versions_proposed": [
            {
                "partnership_id": version.partnership_id,
                "number": version.number,
                "text": version.text,
                "effective_at": when(version.effective_at),
            }
            for version in AgreementVersion.objects.filter(proposed_by=user)
        ],
    }


def workspace_erase(user: User) -> None:
    """Remove what the person wrote; goals and action items they own go with the account."""
    Note.objects.filter(author=user).delete()
    GoalComment.objects.filter(author=user).delete()
    ActionItem.objects.filter(owner=user).delete()
    Goal.objects.filter(owner=user).delete()


def register_personal_data() -> None:
    register("workspace", personal_data=workspace_data, erase=workspace_erase)
