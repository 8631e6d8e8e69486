"""Persons and their identity data. Every identity field holds a vault token, never plaintext.

The ORM never decrypts: reading identity goes through people.selectors.person_identity_for_user, which checks
need-to-know and writes an audit event for the read.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from ctip.core.models import BaseModel

from .enums import IdentifierKind
from .sealed import VaultTokenField


def _identifier_context(obj, field_name: str) -> str:
    return f"people.person:{obj.person.public_id}:identifier:{obj.kind}"


def _photo_context(obj, field_name: str) -> str:
    return f"people.person:{obj.person.public_id}:photo:{obj.public_id}"


class Person(BaseModel):
    """A natural person known to CTIP (victim, witness, suspect...). Roles are in the records that refer to it."""

    owning_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="persons", verbose_name=_("owning agency")
    )
    # --- sealed identity (vault tokens, opened only by people.identity through audited selectors) ---
    first_name = VaultTokenField(blank=True)
    middle_names = VaultTokenField(blank=True)
    last_name = VaultTokenField(blank=True)
    aliases = VaultTokenField(blank=True)  # JSON list
    date_of_birth = VaultTokenField(blank=True)  # ISO date
    # The (estimated) year of birth when the date is not known ("born 1998", "about 24 in 2026" -> 2002).
    birth_year = VaultTokenField(blank=True)
    sex = VaultTokenField(blank=True)
    gender = VaultTokenField(blank=True)  # HTCDS prs_Gender
    citizenships = VaultTokenField(blank=True)  # JSON list of ISO alpha-2
    addresses = VaultTokenField(blank=True)  # JSON list of {county, line, country}
    notes = VaultTokenField(blank=True)
    # --- lifecycle ---
    is_active = models.BooleanField(default=True)
    # No plain index: almost every row is NULL, and an index on it lures the planner into walking it for "live
    # persons" (merged_into IS NULL). The few merged rows have the partial index below.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    merged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # Live persons (active, not merged): what lists and counts show. Partial, so counting them is an
            # index-only scan rather than a pass over every (wide, sealed) row of the registry.
            # The condition's columns are in the index too, so SQLite counts from the index alone ("covering").
            models.Index(
                fields=["owning_agency", "-created_at", "-id", "is_active", "merged_into"],
                condition=models.Q(is_active=True, merged_into__isnull=True),
                name="person_live_agency_created",
            ),
            models.Index(
                fields=["-created_at", "-id", "is_active", "merged_into"],
                condition=models.Q(is_active=True, merged_into__isnull=True),
                name="person_live_created",
            ),
            models.Index(fields=["merged_into"], condition=models.Q(merged_into__isnull=False), name="person_merged"),
        ]

    def __str__(self) -> str:  # never the name
        return f"Person {str(self.public_id)[:8]}"

    @property
    def ref(self) -> str:
        return str(self.public_id).split("-")[0].upper()


class PersonIdentifier(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=IdentifierKind.choices)
    value = VaultTokenField(context=_identifier_context, related=("person",))  # vault token of the normalised value
    blind_index = models.CharField(max_length=64, db_index=True)  # HMAC of kind + normalised value
    issuing_country = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=IdentifierKind.values), name="identifier_kind_valid"),
            models.UniqueConstraint(fields=["person", "blind_index"], name="identifier_once_per_person"),
        ]


class PersonPhoto(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="photos")
    public_id = models.UUIDField(unique=True)
    content_type = models.CharField(max_length=40)
    data = VaultTokenField(context=_photo_context, related=("person",))  # vault token of the base64 image
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")


class PersonMatchKey(models.Model):
    """A keyed hash of one blocking key of a person's identity (ctip.people.matching.blocking_keys), so the
    registry can find possible duplicates without names in clear: equal keys give equal hashes, and without
    CTIP_INDEX_KEY the hashes reveal nothing. Rebuilt by `rebuild_match_keys` (e.g. after an index-key rotation)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="match_keys")
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="match_key_once_per_person")]
        indexes = [models.Index(fields=["key", "person"], name="match_key_lookup")]


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    MERGED = "merged", _("Merged")
    NOT_DUPLICATE = "not_duplicate", _("Not the same person")


class DuplicateCandidate(models.Model):
    """A pair of persons the batch matcher thinks may be one person, waiting for an officer's review. Holds
    opaque ids, the score and the matcher's reason codes: never names."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=20, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN)
    found_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_pair_once"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")), name="duplicate_pair_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DuplicateStatus.values), name="duplicate_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "-score"], name="duplicate_queue")]


class ConfirmationStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the owning agency")
    SAME = "same", _("Confirmed: the same person")
    NOT_SAME = "not_same", _("Not the same person")


class DuplicateConfirmation(models.Model):
    """A reviewer's request to the agency owning one person of a possible duplicate pair: "is this the same person
    as the other record?". The owning agency sees both identities' agreement and its own record, and answers. Holds
    opaque ids and the answer: never names."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    candidate = models.ForeignKey(DuplicateCandidate, on_delete=models.CASCADE, related_name="confirmations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")  # the side the agency owns
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=ConfirmationStatus.choices, default=ConfirmationStatus.OPEN)
    answered_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ConfirmationStatus.values), name="confirmation_status_valid"
            ),
            models.UniqueConstraint(
                fields=["candidate", "agency"],
                condition=models.Q(status="open"),
                name="confirmation_open_once_per_agency",
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "-asked_at"], name="confirmation_inbox")]
