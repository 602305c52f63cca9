from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tandem.core"
    label = "core"
    verbose_name = "Tandem core"

    def ready(self) -> None:
        # The e-mail retry job registers its periodic schedule on import.
        from tandem.core import tasks  # noqa: F401
