from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "commitments"
    verbose_name = _("Commitments")

    def ready(self) -> None:
        # Imported here, not at the top: these modules use the models, which are not loaded
        # before ready(). The export cache's receivers note each new database connection.
        from .exports import cache  # noqa: F401
        from .models import DocumentFile, sourcetext, triggers  # (as above: the models must be loaded first)
        from .search import schema as search_index  # (as above)
        from .services import roles
        from .services.ingestion import originals  # (as above)

        post_delete.connect(
            originals.delete_stored_original, sender=DocumentFile, dispatch_uid="commitments.delete_original"
        )
        post_migrate.connect(roles.sync_after_migrate, sender=self, dispatch_uid="commitments.sync_roles")
        # No trigger during a migration: see models/triggers.py.
        pre_migrate.connect(triggers.before_migrate, sender=self, dispatch_uid="commitments.drop_triggers")
        post_migrate.connect(triggers.after_migrate, sender=self, dispatch_uid="commitments.create_triggers")
        pre_migrate.connect(sourcetext.before_migrate, sender=self, dispatch_uid="commitments.drop_source_text")
        post_migrate.connect(sourcetext.after_migrate, sender=self, dispatch_uid="commitments.create_source_text")
        pre_migrate.connect(search_index.before_migrate, sender=self, dispatch_uid="commitments.drop_search_triggers")
        post_migrate.connect(search_index.after_migrate, sender=self, dispatch_uid="commitments.create_search_triggers")
