from django.urls import path

from tandem.research import views

app_name = "research"
urlpatterns = [
    path("research/", views.studies, name="studies"),
    path("programs/<slug:slug>/research/", views.exports_page, name="exports"),
    path(
        "programs/<slug:slug>/research/<slug:cohort_slug>/export.zip",
        views.export_download,
        name="export_download",
    ),
    path("programs/<slug:slug>/cohorts/<slug:cohort_slug>/study/", views.protocol, name="protocol"),
    path(
        "programs/<slug:slug>/cohorts/<slug:cohort_slug>/study/randomise/",
        views.randomise,
        name="randomise",
    ),
    path(
        "programs/<slug:slug>/cohorts/<slug:cohort_slug>/study/consent/",
        views.consent,
        name="consent",
    ),
]
