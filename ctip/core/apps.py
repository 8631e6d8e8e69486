from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "ctip.core"
    label = "core"
    verbose_name = "CTIP core"

    def ready(self) -> None:
        from .signals import create_cache_tables

        # once per `migrate` (sender: this app), after every app's tables exist
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="ctip.core.create_cache_tables")
