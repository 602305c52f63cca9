from django.urls import path

from tandem.wellbeing.views import coordinator, participant, partnership

app_name = "wellbeing"
PROGRAM = "programs/<slug:slug>/"
COHORT = PROGRAM + "cohorts/<slug:cohort_slug>/"
urlpatterns = [
    path("wellbeing/", participant.checkin, name="checkin"),
    path("wellbeing/check-in/", participant.checkin_save, name="checkin_save"),
    path("wellbeing/trend.svg", participant.trend_svg, name="trend_svg"),
    path("wellbeing/settings/", participant.settings_save, name="settings"),
    path("wellbeing/check-ins/<int:pulse_id>/share/", participant.pulse_share, name="pulse_share"),
    path(
        "wellbeing/check-ins/<int:pulse_id>/delete/", participant.pulse_delete, name="pulse_delete"
    ),
    path("wellbeing/programs/", coordinator.programs, name="programs"),
    path("journal/", participant.journal, name="journal"),
    path("journal/<int:reflection_id>/edit/", participant.reflection_edit, name="reflection_edit"),
    path(
        "journal/<int:reflection_id>/delete/",
        participant.reflection_delete,
        name="reflection_delete",
    ),
    path(
        "journal/<int:reflection_id>/share/", participant.reflection_share, name="reflection_share"
    ),
    path("support/", participant.support, name="support"),
    path("partnerships/<int:partnership_id>/kudos/", partnership.kudos, name="kudos"),
    path("partnerships/<int:partnership_id>/marathon/", partnership.marathon, name="marathon"),
    path("partnerships/<int:partnership_id>/shared/", partnership.shared, name="shared"),
    path(PROGRAM + "support/", coordinator.program_support, name="program_support"),
    path(PROGRAM + "support/new/", coordinator.resource_create, name="resource_create"),
    path(
        PROGRAM + "support/<int:resource_id>/edit/",
        coordinator.resource_edit,
        name="resource_edit",
    ),
    path(
        PROGRAM + "support/<int:resource_id>/delete/",
        coordinator.resource_delete,
        name="resource_delete",
    ),
    path(
        COHORT + "wellbeing/",
        coordinator.cohort_wellbeing,
        name="cohort",
    ),
    path(
        COHORT + "wellbeing/chart.svg",
        coordinator.cohort_wellbeing_svg,
        name="cohort_svg",
    ),
    path(
        COHORT + "wellbeing.csv",
        coordinator.cohort_wellbeing_csv,
        name="cohort_csv",
    ),
]
