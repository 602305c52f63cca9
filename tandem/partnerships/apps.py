from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "tandem.partnerships"
    label = "partnerships"
    verbose_name = "Partnerships"

    def ready(self) -> None:
        from tandem.partnerships.personal_data import register_personal_data

        register_personal_data()
