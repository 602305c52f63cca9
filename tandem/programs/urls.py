from django.urls import path

from tandem.programs.views import coordinator, participant, roster

app_name = "programs"
urlpatterns = [
    path("", coordinator.program_list, name="list"),
    path("new/", coordinator.program_create, name="create"),
    path("<slug:slug>/", coordinator.program_detail, name="detail"),
    path("<slug:slug>/edit/", coordinator.program_edit, name="edit"),
    path("<slug:slug>/staff/invite/", coordinator.staff_invite, name="staff_invite"),
    path("<slug:slug>/people/", coordinator.people, name="people"),
    path("<slug:slug>/people/<int:profile_id>/", coordinator.person_detail, name="person"),
    path("<slug:slug>/cohorts/new/", coordinator.cohort_create, name="cohort_create"),
    path("<slug:slug>/cohorts/<slug:cohort_slug>/", coordinator.cohort_detail, name="cohort"),
    path(
        "<slug:slug>/cohorts/<slug:cohort_slug>/edit/",
        coordinator.cohort_edit,
        name="cohort_edit",
    ),
    path(
        "<slug:slug>/cohorts/<slug:cohort_slug>/invite/",
        coordinator.cohort_invite,
        name="cohort_invite",
    ),
    path(
        "<slug:slug>/cohorts/<slug:cohort_slug>/import/",
        roster.upload,
        name="roster_upload",
    ),
    path(
        "<slug:slug>/cohorts/<slug:cohort_slug>/import/<int:import_id>/",
        roster.preview,
        name="roster_preview",
    ),
]

participant_urlpatterns = [
    path("profile/<slug:program_slug>/", participant.profile_edit, name="profile"),
    path("join/<str:token>/", participant.join, name="join"),
    path("invite/<str:token>/", participant.invitation, name="invitation"),
]
