from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tandem.accounts"
    label = "accounts"
    verbose_name = "People"

    def ready(self) -> None:
        from tandem.accounts.personal_data import register_personal_data

        register_personal_data()
