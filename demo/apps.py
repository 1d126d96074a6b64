from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo platform of `make run` (``manage.py seed_demo``): above every app, so that the
    apps it fills with believable data never import each other to seed themselves."""

    name = "demo"
    verbose_name = "Demo"
