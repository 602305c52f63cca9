from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "tandem.research"
    label = "research"
    verbose_name = "Research"

    def ready(self) -> None:
        # The export's own column sources register on import; other apps add theirs the same way.
        from tandem.research import sources  # noqa: F401
        from tandem.research.personal_data import register_personal_data

        register_personal_data()

        # The evaluation report compares the study's arms; outcomes never imports research.
        from tandem.outcomes.groups import register_study_provider
        from tandem.research.evaluation import study_design_for

        register_study_provider(study_design_for)
