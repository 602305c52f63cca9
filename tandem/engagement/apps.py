from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "tandem.engagement"
    label = "engagement"
    verbose_name = "Engagement"

    def ready(self) -> None:
        # Tasks register their periodic schedule on import.
        from tandem.core import cohort_hub, next_steps
        from tandem.core.hooks import hook_register
        from tandem.engagement import hub, selectors, tasks  # noqa: F401
        from tandem.engagement import next_steps as engagement_next_steps

        next_steps.register("engagement", engagement_next_steps.next_steps)
        cohort_hub.register("engagement", hub.stages)
        # Lower apps ask through hooks: the workspace shows the status, the pool the priority.
        hook_register("workspace.status", selectors.workspace_status)
        hook_register("rematch.no_fault", selectors.no_fault_rematches)

        # A person's download of their own data includes their answers. Imported here because
        # models can be imported only once the app registry is ready.
        from tandem.engagement.personal_data import register_personal_data

        register_personal_data()
