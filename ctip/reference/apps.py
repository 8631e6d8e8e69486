from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "ctip.reference"
    label = "reference"
    verbose_name = "Reference data"
