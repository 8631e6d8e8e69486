from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ctip.portal"
    label = "portal"
    verbose_name = "Landing pages"
