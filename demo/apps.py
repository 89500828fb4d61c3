from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for the embedded default. Sits above every layer (it may seed any app)."""

    name = "demo"
    label = "demo"
