from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ipsportal.core"
    label = "core"
