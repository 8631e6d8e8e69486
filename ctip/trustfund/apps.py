from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustFundConfig(AppConfig):
    name = "ctip.trustfund"
    label = "trustfund"
    verbose_name = _("National Assistance Trust Fund")

    def ready(self):
        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.TrustFundEvent, subjects=events.SUBJECTS)  # audit event names
        from ctip.justice import fund

        from . import selectors

        fund.register_received_reader(selectors.received_by_order)  # "received: KSh x of y" on the prosecution page
