from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "tandem.schedules"
    label = "schedules"
    verbose_name = "Schedules"

    def ready(self) -> None:
        # Tasks register their periodic schedule on import.
        from tandem.core.hooks import hook_register
        from tandem.schedules import matching, tasks  # noqa: F401

        # Matching asks for real free time through a hook: rounds never imports schedules.
        hook_register("matching.free_masks", matching.answer_free_masks)
        hook_register("matching.config", matching.answer_config)
