from django.apps import AppConfig


class CirclesConfig(AppConfig):
    name = "tandem.circles"
    label = "circles"
    verbose_name = "Circles and speed mentoring"

    def ready(self) -> None:
        # Session reminders register their periodic schedule on import.
        from tandem.circles import hub, next_steps, tasks  # noqa: F401
        from tandem.core import cohort_hub
        from tandem.core import next_steps as core_next_steps
        from tandem.core.hooks import hook_register

        core_next_steps.register("circles", next_steps.next_steps)
        cohort_hub.register("circles", hub.stages)
        hook_register("workspace.tabs", hub.workspace_tabs)

        # A person's download of their own data includes what they did in circles and events.
        # Imported here because models can be imported only once the app registry is ready.
        from tandem.circles.personal_data import register_personal_data

        register_personal_data()
