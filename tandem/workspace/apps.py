from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "tandem.workspace"
    label = "workspace"
    verbose_name = "Partnership workspace"

    def ready(self) -> None:
        from tandem.workspace.personal_data import register_personal_data

        register_personal_data()
        # Registers the reminder, digest and retention jobs with the periodic scheduler.
        from tandem.core import next_steps
        from tandem.workspace import next_steps as workspace_next_steps
        from tandem.workspace import tasks  # noqa: F401

        next_steps.register("workspace", workspace_next_steps.next_steps)

        # The cohort page (the coordinator's hub) shows this app's stage of the cohort.
        from tandem.core import cohort_hub
        from tandem.workspace import hub

        cohort_hub.register("workspace", hub.stages)
