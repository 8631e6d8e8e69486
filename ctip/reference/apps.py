from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "ctip.reference"
    label = "reference"
    verbose_name = "Reference data"

    def ready(self):
        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.ReferenceEvent, subjects=events.SUBJECTS)  # audit event names

        from django.db.models.signals import post_delete, post_migrate, post_save

        from . import options_cache
        from .models import Country, County, HtcdsValue

        # the cached option lists follow the reference data (options_cache)
        for model in (County, Country, HtcdsValue):
            post_save.connect(options_cache.invalidate, sender=model, dispatch_uid=f"options-save-{model.__name__}")
            post_delete.connect(options_cache.invalidate, sender=model, dispatch_uid=f"options-del-{model.__name__}")
        post_migrate.connect(options_cache.invalidate, sender=self, dispatch_uid="options-migrate")
