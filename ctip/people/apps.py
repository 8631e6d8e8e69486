from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ctip.people"
    label = "people"
    verbose_name = "Persons and identity vault"
