from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "tandem.identity"
    label = "identity"
    verbose_name = "Sign-in and identity"

    def ready(self) -> None:
        from tandem.identity import signals  # noqa: F401 - connects the sign-in receivers
