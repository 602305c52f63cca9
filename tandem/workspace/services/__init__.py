"""Writes for the partnership workspace, one module per part of it.

Every function checks that the partnership is active and that the person acting is one of its
members, so the API, the pages and the demo share the same rules.
"""

from tandem.workspace.services.agreement import (
    agreement_propose,
    agreement_sign,
    agreement_start,
    agreement_template_update,
)
from tandem.workspace.services.content import (
    action_item_create,
    action_item_set_done,
    action_item_update,
    goal_cheer,
    goal_comment_add,
    goal_create,
    goal_update,
    milestone_add,
    milestone_set_reached,
    note_create,
    note_delete,
    note_update,
)
from tandem.workspace.services.meetings import meeting_record, meeting_schedule, meeting_update
from tandem.workspace.services.retention import workspace_purge, workspace_purge_expired

__all__ = [
    "action_item_create",
    "action_item_set_done",
    "action_item_update",
    "agreement_propose",
    "agreement_sign",
    "agreement_start",
    "agreement_template_update",
    "goal_cheer",
    "goal_comment_add",
    "goal_create",
    "goal_update",
    "meeting_record",
    "meeting_schedule",
    "meeting_update",
    "milestone_add",
    "milestone_set_reached",
    "note_create",
    "note_delete",
    "note_update",
    "workspace_purge",
    "workspace_purge_expired",
]
