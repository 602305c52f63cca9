from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "tandem.wellbeing"
    label = "wellbeing"
    verbose_name = "Wellbeing"

    def ready(self) -> None:
        from tandem.wellbeing.personal_data import register_personal_data

        register_personal_data()
        # Tasks register their periodic schedule on import; signals seed new programs.
        from tandem.wellbeing import signals, tasks, timeline  # noqa: F401

        # The marathon's sources, the workspace's milestones and meetings among them. They are
        # registered here, not in the workspace: wellbeing depends on the workspace, never the
        # other way round, so there is no import cycle.
        timeline.register_own_sources()
        from tandem.core import next_steps
        from tandem.wellbeing import next_steps as wellbeing_next_steps

        next_steps.register("wellbeing", wellbeing_next_steps.next_steps)

        # The cohort page (the coordinator's hub) shows this app's stage of the cohort.
        from tandem.core import cohort_hub
        from tandem.wellbeing import hub

        cohort_hub.register("wellbeing", hub.stages)
