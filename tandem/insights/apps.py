from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "tandem.insights"
    label = "insights"
    verbose_name = "Program insights"
