from django.urls import path

from tandem.insights import views

app_name = "insights"
urlpatterns = [
    path("insights/", views.programs, name="programs"),
    path("programs/<slug:slug>/insights/", views.program, name="program"),
    path("programs/<slug:slug>/insights/download.csv", views.program_csv, name="program_csv"),
    path(
        "programs/<slug:slug>/cohorts/<slug:cohort_slug>/insights/",
        views.cohort,
        name="cohort",
    ),
    path(
        "programs/<slug:slug>/cohorts/<slug:cohort_slug>/insights/chart.svg",
        views.cohort_svg,
        name="cohort_svg",
    ),
    path(
        "programs/<slug:slug>/cohorts/<slug:cohort_slug>/insights/download.csv",
        views.cohort_csv,
        name="cohort_csv",
    ),
]
