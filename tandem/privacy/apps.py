from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "tandem.privacy"
    label = "privacy"
    verbose_name = "Data rights"

    def ready(self) -> None:
        # Registers the core apps', the workspace's and wellbeing's data (each app may take its
        # own section over by registering it under the same name).
        from tandem.privacy import providers, wellbeing_data, workspace_data  # noqa: F401
