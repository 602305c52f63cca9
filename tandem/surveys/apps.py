from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "tandem.surveys"
    label = "surveys"
    verbose_name = "Surveys"

    def ready(self) -> None:
        # Tasks register their periodic schedule on import.
        from tandem.surveys import tasks  # noqa: F401
