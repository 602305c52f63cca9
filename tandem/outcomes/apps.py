from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "tandem.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        # The report's pre/post section reads survey scores; surveys never import outcomes.
        from tandem.outcomes.report import register_survey_provider
        from tandem.outcomes.survey_scores import surveys_pre_post

        register_survey_provider(surveys_pre_post)

        from tandem.outcomes.personal_data import register_personal_data

        register_personal_data()

        # Matching and rosters learn who has left without importing outcomes.
        from tandem.core import standing
        from tandem.outcomes.standing import departures

        standing.register("outcomes", departures)

        # The cohort page (the coordinator's hub) shows this app's stage of the cohort.
        from tandem.core import cohort_hub
        from tandem.outcomes import hub

        cohort_hub.register("outcomes", hub.stages)
