from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "tandem.programs"
    label = "programs"
    verbose_name = "Programs and cohorts"

    def ready(self) -> None:
        from tandem.programs.personal_data import register_personal_data

        register_personal_data()
        from tandem.programs import receivers  # noqa: F401 - connects the sign-up receiver
