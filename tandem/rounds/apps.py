from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "tandem.rounds"
    label = "rounds"
    verbose_name = "Match rounds"

    def ready(self) -> None:
        # Tasks register their periodic schedule (stale runs, expired proposals) on import.
        from tandem.core import next_steps
        from tandem.rounds import next_steps as rounds_next_steps
        from tandem.rounds import tasks  # noqa: F401

        next_steps.register("rounds", rounds_next_steps.next_steps)

        # The cohort page (the coordinator's hub) shows this app's stage of the cohort.
        from tandem.core import cohort_hub
        from tandem.rounds import hub

        cohort_hub.register("rounds", hub.stages)
