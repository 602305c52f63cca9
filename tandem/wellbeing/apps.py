from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "tandem.wellbeing"
    label = "wellbeing"
    verbose_name = "Wellbeing"

    def ready(self) -> None:
        # Tasks register their periodic schedule on import; signals seed new programs.
        from tandem.wellbeing import signals, tasks, timeline  # noqa: F401

        timeline.register_own_sources()
