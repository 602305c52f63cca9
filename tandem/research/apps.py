from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "tandem.research"
    label = "research"
    verbose_name = "Research"

    def ready(self) -> None:
        # The export's own column sources register on import; other apps add theirs the same way.
        from tandem.core.hooks import hook_register
        from tandem.research import sources  # noqa: F401
        from tandem.research.selectors import waitlisted_user_ids

        # Matching (rounds, below) leaves the study's waitlisted people out of a round.
        hook_register("matching.waitlisted", waitlisted_user_ids)
        from tandem.research.personal_data import register_personal_data

        register_personal_data()
        from tandem.core import next_steps
        from tandem.research import next_steps as research_next_steps

        next_steps.register("research", research_next_steps.next_steps)

        # The cohort page (the coordinator's hub) shows this app's stage of the cohort.
        from tandem.core import cohort_hub
        from tandem.research import hub

        cohort_hub.register("research", hub.stages)

        # The evaluation report compares the study's arms; outcomes never imports research.
        from tandem.outcomes.groups import register_study_provider
        from tandem.research.evaluation import study_design_for

        register_study_provider(study_design_for)
