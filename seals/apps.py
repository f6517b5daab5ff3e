from django.apps import AppConfig


class SealsConfig(AppConfig):
    name = "seals"
    verbose_name = "Segl"

    def ready(self) -> None:
        from seals import checks  # noqa: F401 - registers the deploy check
