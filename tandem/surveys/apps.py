from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "tandem.surveys"
    label = "surveys"
    verbose_name = "Surveys"

    def ready(self) -> None:
        # Tasks register their periodic schedule on import; answers join the person's data.
        from tandem.surveys import tasks  # noqa: F401
        from tandem.surveys.personal_data import register_personal_data

        register_personal_data()
        from tandem.core import next_steps
        from tandem.surveys import next_steps as surveys_next_steps

        next_steps.register("surveys", surveys_next_steps.next_steps)

        # The cohort page (the coordinator's hub) shows this app's stage of the cohort.
        from tandem.core import cohort_hub
        from tandem.surveys import hub

        cohort_hub.register("surveys", hub.stages)
