from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commitments"

    def ready(self) -> None:
        # Its receivers note each new database connection, the first one included.
        from . import export_cache  # noqa: F401
