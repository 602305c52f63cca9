from django.urls import path

from tandem.schedules import views

app_name = "schedules"
urlpatterns = [
    path("account/schedule/", views.my_schedule, name="mine"),
    path("account/schedule/settings/", views.my_settings, name="settings"),
    path("account/schedule/upload/", views.my_upload, name="upload"),
    path(
        "account/schedule/upload/<int:upload_id>/", views.my_upload_preview, name="upload_preview"
    ),
    path("account/schedule/subscription/", views.my_feed, name="subscription"),
    path("account/schedule/clear/", views.my_clear, name="clear"),
    path("account/schedule/calendar/", views.my_calendar, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="feed"),
    path("partnerships/<int:partnership_id>/windows/", views.windows, name="windows"),
    path("programs/<slug:slug>/schedules/", views.program_schedules, name="program"),
    path("programs/<slug:slug>/schedules/rules/", views.program_rules, name="program_rules"),
    path(
        "programs/<slug:slug>/schedules/cohorts/<slug:cohort_slug>/minimum/",
        views.cohort_minimum,
        name="cohort_minimum",
    ),
    path(
        "programs/<slug:slug>/schedules/imports/<int:import_id>/",
        views.program_preview,
        name="program_preview",
    ),
]
