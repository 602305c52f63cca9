from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tandem.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        from tandem.audit.personal_data import register_personal_data

        register_personal_data()
        from tandem.audit import receivers  # noqa: F401 - connects the sign-in receivers
