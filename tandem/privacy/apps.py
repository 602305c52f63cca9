from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "tandem.privacy"
    label = "privacy"
    verbose_name = "Data rights"

    def ready(self) -> None:
        from tandem.privacy import providers  # noqa: F401 - registers the core apps' data
