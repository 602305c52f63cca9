from django.urls import path

from tandem.circles.views import coordinator, participant

app_name = "circles"
P = "partnerships/<int:partnership_id>/circle/"
G = "programs/<slug:slug>/circle-guides/"
C = "programs/<slug:slug>/cohorts/<slug:cohort_slug>/"
urlpatterns = [
    path(P, participant.plan, name="plan"),
    path(P + "facilitator/", participant.facilitator, name="facilitator"),
    path(P + "sessions/<int:session_id>/", participant.session, name="session"),
    path(P + "sessions/<int:session_id>/attendance/", participant.attendance, name="attendance"),
    path("speed-mentoring/<int:event_id>/", participant.speed_mine, name="speed_mine"),
    path(G, coordinator.guides, name="guides"),
    path(G + "settings/", coordinator.circle_settings, name="settings"),
    path(G + "copy/", coordinator.guide_copy, name="guide_copy"),
    path(G + "new/", coordinator.guide_new, name="guide_new"),
    path(G + "<int:guide_id>/", coordinator.guide_edit, name="guide_edit"),
    path(C + "circles/", coordinator.cohort_circles, name="cohort_circles"),
    path(C + "speed-mentoring/", coordinator.speed_events, name="speed_events"),
    path(C + "speed-mentoring/<int:event_id>/", coordinator.speed_event, name="speed_event"),
    path(
        C + "speed-mentoring/<int:event_id>/advance/",
        coordinator.speed_advance,
        name="speed_advance",
    ),
    path(C + "speed-mentoring/<int:event_id>/match/", coordinator.speed_match, name="speed_match"),
]
