from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ctip.people"
    label = "people"
    verbose_name = "Persons and identity vault"

    def ready(self):
        from . import sealed
        from .identity import ctx
        from .models import SEALED_FIELDS, Person, PersonIdentifier, PersonPhoto

        sealed.register(Person, SEALED_FIELDS)
        sealed.register(
            PersonIdentifier, ["value"], lambda obj, field: ctx(obj.person.public_id, f"identifier:{obj.kind}")
        )
        sealed.register(PersonPhoto, ["data"], lambda obj, field: ctx(obj.person.public_id, f"photo:{obj.public_id}"))

        from ctip.audit import catalogue

        from . import events

        catalogue.register(events.PeopleEvent, subjects=events.SUBJECTS)  # audit event names
