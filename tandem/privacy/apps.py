from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "tandem.privacy"
    label = "privacy"
    verbose_name = "Data rights"

    def ready(self) -> None:
        # Registers the core apps' and the workspace's data (the workspace may take its own).
        from tandem.privacy import providers, workspace_data  # noqa: F401
