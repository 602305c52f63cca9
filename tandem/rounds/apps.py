from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "tandem.rounds"
    label = "rounds"
    verbose_name = "Match rounds"

    def ready(self) -> None:
        # Tasks register their periodic schedule (stale runs, expired proposals) on import.
        from tandem.rounds import tasks  # noqa: F401
