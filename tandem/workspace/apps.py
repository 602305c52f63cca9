from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "tandem.workspace"
    label = "workspace"
    verbose_name = "Partnership workspace"

    def ready(self) -> None:
        # Registers the reminder, digest and retention jobs with the periodic scheduler.
        from tandem.core import next_steps
        from tandem.workspace import next_steps as workspace_next_steps
        from tandem.workspace import tasks  # noqa: F401

        next_steps.register("workspace", workspace_next_steps.next_steps)
