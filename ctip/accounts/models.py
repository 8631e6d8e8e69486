from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from ctip.core.models import BaseModel

from .enums import HTCDS_ORG_TYPE, AgencyType, BreakGlassReview, Role
from .roles import Action, Scope, role_requires_mfa, role_sees_identity, scope_of

_SESSION_HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"


class Agency(BaseModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    agency_type = models.CharField(_("type"), max_length=20, choices=AgencyType.choices)
    counties = models.ManyToManyField("reference.County", verbose_name=_("counties served"), blank=True)
    national = models.BooleanField(_("serves the whole country"), default=False)
    email = models.EmailField(_("office e-mail"), blank=True)
    phone = models.CharField(_("office phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.CheckConstraint(condition=models.Q(agency_type__in=AgencyType.values), name="agency_type_valid")
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def htcds_org_type(self) -> str:
        return HTCDS_ORG_TYPE[AgencyType(self.agency_type)]


class User(AbstractUser):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    preferred_language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="en")
    mfa_reset_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Bumped when the account is deactivated: it is folded into the session hash, so every session opened
    # before stays dead, even after the account is activated again (get_session_auth_hash below).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    class Meta:
        ordering = ["username"]
        constraints = [models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid")]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    # --- sessions ----------------------------------------------------------------------------------
    def _session_hash(self, secret=None) -> str:
        # Django's own hash while the epoch is 0 (so no session ends when this is deployed), the epoch folded in
        # after. django.contrib.auth.get_user ends a session whose stored hash no longer matches.
        value = self.password if not self.session_epoch else f"{self.password}:epoch:{self.session_epoch}"
        return salted_hmac(_SESSION_HASH_SALT, value, secret=secret, algorithm="sha256").hexdigest()

    def get_session_auth_hash(self) -> str:
        return self._session_hash()

    def get_session_auth_fallback_hash(self):
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(fallback_secret)

    # --- the access model --------------------------------------------------------------------------
    def scope(self, action: Action | str) -> Scope | None:
        if not self.is_active:
            return None
        return scope_of(self.role, action)

    def can(self, action: Action | str) -> bool:
        return self.scope(action) is not None

    @property
    def mfa_required(self) -> bool:
        return role_requires_mfa(self.role)

    @property
    def sees_identity(self) -> bool:
        return role_sees_identity(self.role)

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else self.role


class RecordShare(models.Model):
    """An explicit, recorded grant letting another agency see a record (or named sections of it).

    Referrals and hand-overs in later modules create these; selectors honour them.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    target_type = models.CharField(max_length=60)  # e.g. "people.person"
    target_id = models.UUIDField()  # the record's public id
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="shares_received")
    sections = models.JSONField(default=list, blank=True)  # [] = the record's basic section only
    reason = models.CharField(max_length=300)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        indexes = [models.Index(fields=["target_type", "agency", "target_id"])]

    @classmethod
    def active(cls):
        now = timezone.now()
        return cls.objects.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class BreakGlassGrant(models.Model):
    """A user opened a record outside their scope after stating a reason. Time-limited; reviewed later."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True)
    target_type = models.CharField(max_length=60)
    target_id = models.UUIDField()
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    review_status = models.CharField(max_length=12, choices=BreakGlassReview.choices, default=BreakGlassReview.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "target_type", "target_id", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(review_status__in=BreakGlassReview.values), name="breakglass_review_valid"
            )
        ]
