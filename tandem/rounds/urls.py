from django.urls import path

from tandem.rounds.views import coordinator, participant

app_name = "rounds"
_cohort = "programs/<slug:slug>/cohorts/<slug:cohort_slug>/rounds/"
urlpatterns = [
    path("match-rounds/", coordinator.overview, name="overview"),
    path(_cohort, coordinator.cohort_runs, name="cohort_runs"),
    path(f"{_cohort}settings/", coordinator.match_settings, name="settings"),
    path(f"{_cohort}start/", coordinator.run_start, name="run_start"),
    path(f"{_cohort}place/<int:user_id>/", coordinator.place, name="place"),
    path("match-runs/<int:run_id>/", coordinator.run_detail, name="run"),
    path("match-runs/<int:run_id>/progress/", coordinator.run_progress, name="run_progress"),
    path("match-runs/<int:run_id>/retry/", coordinator.run_retry, name="run_retry"),
    path("match-runs/<int:run_id>/rerun/", coordinator.run_rerun, name="run_rerun"),
    path("match-runs/<int:run_id>/reviewed/", coordinator.run_reviewed, name="run_reviewed"),
    path("match-runs/<int:run_id>/publish/", coordinator.run_publish, name="run_publish"),
    path("match-runs/<int:run_id>/forbid/", coordinator.run_forbid, name="run_forbid"),
    path(
        "match-runs/<int:run_id>/groups/<int:group_id>/lock/",
        coordinator.group_lock,
        name="group_lock",
    ),
    path(
        "match-runs/<int:run_id>/people/<int:person_id>/move/",
        coordinator.person_move,
        name="move",
    ),
    path("match-runs/<int:run_id>/compare/<int:other_id>/", coordinator.compare, name="compare"),
    path("matches/", participant.proposals, name="proposals"),
    path("matches/<int:partnership_id>/", participant.proposal, name="proposal"),
    path(
        "matches/<int:partnership_id>/accept/", participant.proposal_accept, name="proposal_accept"
    ),
    path("matches/joiners/<int:placement_id>/", participant.placement, name="placement"),
    path(
        "matches/joiners/<int:placement_id>/answer/",
        participant.placement_answer,
        name="placement_answer",
    ),
    path(
        "matches/<int:partnership_id>/decline/",
        participant.proposal_decline,
        name="proposal_decline",
    ),
]
