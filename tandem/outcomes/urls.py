from django.urls import path

from tandem.outcomes.views import imports, registry, report

PROGRAM = "programs/<slug:slug>/"
PERSON = PROGRAM + "outcomes/people/<int:profile_id>/"

app_name = "outcomes"
urlpatterns = [
    path("outcomes/", registry.programs, name="programs"),
    path(PROGRAM + "outcomes/", registry.registry, name="registry"),
    path(PROGRAM + "outcomes/import/", imports.upload, name="import_upload"),
    path(PROGRAM + "outcomes/import/<int:import_id>/", imports.preview, name="import_preview"),
    path(PERSON, registry.person, name="person"),
    # The kind of outcome travels as ?kind= (and as a form field to remove one), so every
    # path parameter names a stored object.
    path(PERSON + "add/", registry.add, name="add"),
    path(PERSON + "remove/", registry.delete, name="delete"),
    path(PERSON + "publications/import/", registry.publications_upload, name="publications_upload"),
    path(PROGRAM + "cohorts/<slug:cohort_slug>/evaluation/", report.report, name="report"),
    path(
        PROGRAM + "cohorts/<slug:cohort_slug>/evaluation/save/",
        report.report_save,
        name="report_save",
    ),
    path(
        PROGRAM + "cohorts/<slug:cohort_slug>/evaluation/versions/<int:number>/",
        report.report_version,
        name="report_version",
    ),
]
