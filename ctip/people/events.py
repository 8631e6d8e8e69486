"""Audit event names written by people: persons, identity reads, duplicates, the vault (ctip/audit/catalogue.py)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

SUBJECTS = {
    "identity": _("Identity reads"),
    "person": _("Persons"),
    "people": _("Person registry"),
    "vault": _("Identity vault"),
}


class PeopleEvent(TextChoices):
    IDENTITY_READ = "identity.read", _("Identity shown")
    IDENTITY_LIST = "identity.list", _("Names shown in a list")
    IDENTITY_SEARCH = "identity.search", _("Identity search")
    IDENTITY_SEARCH_NAME = "identity.search_name", _("Search by name")
    IDENTITY_COMPARE = "identity.compare", _("Identities compared field by field")
    IDENTITY_READ_PHOTO = "identity.read_photo", _("Photo shown")
    IDENTITY_MATCH = "identity.match", _("Existing-person check")
    PERSON_CREATE = "person.create", _("Person registered")
    PERSON_UPDATE = "person.update", _("Identity updated")
    PERSON_PHOTO_ADD = "person.photo_add", _("Photo added")
    PERSON_DEACTIVATE = "person.deactivate", _("Person record deactivated")
    PERSON_LINK = "person.link", _("Case linked to an existing person")
    PERSON_MERGE = "person.merge", _("Duplicate persons merged")
    PERSON_UNMERGE = "person.unmerge", _("Merge undone")
    PERSON_NOT_DUPLICATE = "person.not_duplicate", _("Marked as not the same person")
    PERSON_CONFIRM_REQUEST = "person.confirm_request", _("Owning agency asked to confirm a duplicate")
    PERSON_CONFIRM_ANSWER = "person.confirm_answer", _("Owning agency answered a duplicate confirmation")
    PEOPLE_DUPLICATES_SCAN = "people.duplicates_scan", _("Registry scanned for duplicates")
    PEOPLE_MATCH_KEYS_REBUILT = "people.match_keys_rebuilt", _("Match keys rebuilt")
    VAULT_ROTATE = "vault.rotate", _("Vault keys rotated")
