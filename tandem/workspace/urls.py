from django.urls import path

from tandem.workspace.views import actions, coordinator, goals, meetings, notes, participant

app_name = "workspace"
P = "<int:partnership_id>/"
urlpatterns = [
    path("", participant.workspace_list, name="list"),
    path(P, participant.home, name="home"),
    path(P + "agreement/", participant.agreement, name="agreement"),
    path(P + "agreement/amend/", participant.agreement_amend, name="agreement_amend"),
    path(P + "accountability/", participant.accountability, name="accountability"),
    path(P + "exit/", participant.exit_partnership, name="exit"),
    path(P + "notes/", notes.notes, name="notes"),
    path(P + "notes/<int:note_id>/edit/", notes.note_edit, name="note_edit"),
    path(P + "notes/<int:note_id>/delete/", notes.note_delete, name="note_delete"),
    path(P + "goals/", goals.goals, name="goals"),
    path(P + "goals/<int:goal_id>/", goals.goal_detail, name="goal"),
    path(P + "goals/<int:goal_id>/edit/", goals.goal_edit, name="goal_edit"),
    path(P + "goals/<int:goal_id>/milestones/", goals.milestone_add, name="milestone_add"),
    path(
        P + "goals/<int:goal_id>/milestones/<int:milestone_id>/reach/",
        goals.milestone_reach,
        name="milestone_reach",
    ),
    path(P + "goals/<int:goal_id>/cheer/", goals.goal_cheer, name="goal_cheer"),
    path(P + "meetings/", meetings.meetings, name="meetings"),
    path(P + "meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path(P + "meetings/<int:meeting_id>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path(P + "meetings/<int:meeting_id>/invite.ics", meetings.meeting_invite, name="meeting_ics"),
    path(P + "actions/", actions.actions, name="actions"),
    path(P + "actions/<int:item_id>/edit/", actions.action_edit, name="action_edit"),
    path(P + "actions/<int:item_id>/done/", actions.action_done, name="action_done"),
]

# Mounted under /programs/ beside the program pages (namespace "workspace_staff").
staff_urlpatterns = [
    path("<slug:slug>/agreement/", coordinator.agreement_template, name="agreement_template"),
    path(
        "<slug:slug>/cohorts/<slug:cohort_slug>/partnerships/",
        coordinator.cohort_partnerships,
        name="cohort_partnerships",
    ),
]
