from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "tandem.schedules"
    label = "schedules"
    verbose_name = "Schedules"

    def ready(self) -> None:
        # Tasks register their periodic schedule on import.
        from tandem.schedules import tasks  # noqa: F401
