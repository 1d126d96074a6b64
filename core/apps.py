from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Building blocks shared by every app (base models, template filters)."""

    name = "core"
