from django.urls import path

from tandem.outcomes.views import imports, registry, report

app_name = "outcomes"
urlpatterns = [
    path("outcomes/", registry.programs, name="programs"),
    path("programs/<slug:slug>/outcomes/", registry.registry, name="registry"),
    path("programs/<slug:slug>/outcomes/import/", imports.upload, name="import_upload"),
    path(
        "programs/<slug:slug>/outcomes/import/<int:import_id>/",
        imports.preview,
        name="import_preview",
    ),
    path("programs/<slug:slug>/outcomes/people/<int:profile_id>/", registry.person, name="person"),
    path(
        "<slug:slug>/outcomes/people/<int:profile_id>/add/<slug:kind>/",
        registry.add,
        name="add",
    ),
    path(
        "<slug:slug>/outcomes/people/<int:profile_id>/<slug:kind>/<int:outcome_id>/delete/",
        registry.delete,
        name="delete",
    ),
    path(
        "<slug:slug>/outcomes/people/<int:profile_id>/publications/import/",
        registry.publications_upload,
        name="publications_upload",
    ),
    path(
        "<slug:slug>/cohorts/<slug:cohort_slug>/evaluation/",
        report.report,
        name="report",
    ),
]
