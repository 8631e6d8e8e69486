"""Account, agency, share and break-the-glass writes. Each runs in one transaction with its audit event."""

from __future__ import annotations

import time
from datetime import timedelta
from functools import partial

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from rest_framework.authtoken.models import Token

from ctip.audit.services import audit_record
from ctip.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from . import security_events
from .access import require
from .actor import Actor
from .enums import BreakGlassReview, Role
from .models import Agency, BreakGlassGrant, RecordShare, User
from .roles import Action

BREAK_GLASS_HOURS = 4


def _full_clean(obj, exclude=None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc


# --- agencies --------------------------------------------------------------------------------------

AGENCY_FIELDS = ("name", "short_name", "agency_type", "national", "email", "phone", "is_active")


@transaction.atomic
def agency_create(*, actor: Actor, counties=(), **data) -> Agency:
    require(actor, Action.AGENCIES_MANAGE)
    agency = Agency(created_by=actor, **{k: v for k, v in data.items() if k in AGENCY_FIELDS})
    _full_clean(agency)
    agency.save()
    agency.counties.set(counties)
    audit_record(
        actor=actor,
        action="agency.create",
        target_type="accounts.agency",
        target_id=agency.public_id,
        changes={k: data.get(k) for k in AGENCY_FIELDS if k in data},
    )
    return agency


@transaction.atomic
def agency_update(
    *, actor: Actor, agency: Agency, expected_version: int | None = None, counties=None, **data
) -> Agency:
    require(actor, Action.AGENCIES_MANAGE)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if expected_version is not None and agency.version != expected_version:
        raise Conflict()
    changes = {}
    for key, value in data.items():
        if key in AGENCY_FIELDS and getattr(agency, key) != value:
            changes[key] = [getattr(agency, key), value]
            setattr(agency, key, value)
    _full_clean(agency)
    agency.version += 1
    agency.save()
    if counties is not None:
        before = sorted(agency.counties.values_list("code", flat=True))
        agency.counties.set(counties)
        after = sorted(agency.counties.values_list("code", flat=True))
        if before != after:
            changes["counties"] = [before, after]
    audit_record(
        actor=actor,
        action="agency.update",
        target_type="accounts.agency",
        target_id=agency.public_id,
        changes=changes,
    )
    return agency


# --- users -----------------------------------------------------------------------------------------


def _check_role_agency(role: str, agency: Agency | None) -> None:
    if role not in Role.values:
        raise ValidationFailed(fields={"role": [_("Choose a valid role.")]})
    if agency is None and role != Role.SYSADMIN:
        raise ValidationFailed(fields={"agency": [_("Every user except a system administrator belongs to an agency.")]})


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    agency: Agency | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    preferred_language: str = "en",
) -> User:
    return _user_create(
        actor=actor,
        username=username,
        password=password,
        encoded=None,
        role=role,
        agency=agency,
        first_name=first_name,
        last_name=last_name,
        email=email,
        preferred_language=preferred_language,
    )


@transaction.atomic
def users_create(*, actor: Actor, password: str, users: list[dict]) -> list[User]:
    """Several accounts given the same initial password (a training cohort, the demo's users), each checked and
    audited as `user_create` does (`users` holds its other arguments), the password hashed once: hashing is slow
    by design (a fraction of a second each), and accounts sharing a password may share its hash and salt."""
    encoded = make_password(password)
    return [_user_create(actor=actor, password=password, encoded=encoded, **spec) for spec in users]


def _user_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    encoded: str | None,
    role: str,
    agency: Agency | None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    preferred_language: str = "en",
) -> User:
    require(actor, Action.USERS_MANAGE)
    _check_role_agency(role, agency)
    if agency is not None and not agency.is_active:
        # The form offers active agencies only; the API and other callers must keep the same rule.
        raise ValidationFailed(fields={"agency": [_("This agency is no longer active.")]})
    user = User(
        username=username.strip(),
        role=role,
        agency=agency,
        first_name=first_name,
        last_name=last_name,
        email=email,
        preferred_language=preferred_language,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(fields={"password": list(exc.messages)}) from exc
    if encoded is None:
        user.set_password(password)
    else:
        user.password = encoded
    _full_clean(user, exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        target_type="accounts.user",
        target_id=user.public_id,
        changes={"username": user.username, "role": role, "agency": agency.pk if agency else None},
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: Actor,
    user: User,
    role: str,
    agency: Agency | None,
    first_name: str,
    last_name: str,
    email: str,
    preferred_language: str = "en",
) -> User:
    require(actor, Action.USERS_MANAGE)
    _check_role_agency(role, agency)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk and role != actor.role:
        raise ValidationFailed(fields={"role": [_("You cannot change your own role.")]})
    changes = {}
    new = {
        "role": role,
        "agency_id": agency.pk if agency else None,
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "preferred_language": preferred_language,
    }
    for key, value in new.items():
        if getattr(user, key) != value:
            changes[key] = [getattr(user, key), value]
            setattr(user, key, value)
    _full_clean(user, exclude=["password"])
    rights_changed = "role" in changes or "agency_id" in changes
    if rights_changed:
        # A changed role or agency ends the open sessions (a fresh log-in under the new rights) and the API tokens.
        user.session_epoch += 1
    user.save()
    if rights_changed:
        Token.objects.filter(user=user).delete()
    audit_record(
        actor=actor,
        action="user.update",
        target_type="accounts.user",
        target_id=user.public_id,
        changes=changes,
        mask=("first_name", "last_name", "email"),
    )
    return user


@transaction.atomic
def user_set_active(*, actor: Actor, user: User, active: bool, reason: str = "") -> User:
    require(actor, Action.USERS_MANAGE)
    if user.pk == actor.pk and not active:
        raise ValidationFailed(_("You cannot deactivate your own account."))
    user = User.objects.select_for_update().get(pk=user.pk)
    user.is_active = active
    if not active:
        user.session_epoch += 1  # ends every open session for good: reactivation does not revive them
    user.save(update_fields=["is_active", "session_epoch"])
    if not active:
        Token.objects.filter(user=user).delete()
    audit_record(
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        target_type="accounts.user",
        target_id=user.public_id,
        reason=reason,
    )
    return user


@transaction.atomic
def user_reset_mfa(*, actor: Actor, user: User, reason: str = "") -> None:
    require(actor, Action.USERS_MANAGE)
    TOTPDevice.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()
    # A reset second factor is a suspected compromise: every open session ends too.
    User.objects.filter(pk=user.pk).update(mfa_reset_at=timezone.now(), session_epoch=F("session_epoch") + 1)
    audit_record(
        actor=actor,
        action="user.mfa_reset",
        target_type="accounts.user",
        target_id=user.public_id,
        reason=reason,
    )


@transaction.atomic
def user_set_password(*, actor: Actor, user: User, password: str) -> None:
    if actor.pk != user.pk:
        require(actor, Action.USERS_MANAGE)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(fields={"password": list(exc.messages)}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])  # the new password ends the user's other sessions (session hash)
    if actor.pk != user.pk:
        Token.objects.filter(user=user).delete()  # set by an administrator: API tokens end with the sessions
    audit_record(actor=actor, action="user.password_set", target_type="accounts.user", target_id=user.public_id)


@transaction.atomic
def user_set_language(*, actor: Actor, language: str) -> None:
    User.objects.filter(pk=actor.pk).update(preferred_language=language)


# --- second factor ---------------------------------------------------------------------------------


def mfa_new_key() -> str:
    """A fresh TOTP secret (hex) for an enrolment. Nothing is stored: the caller keeps it (in the session) until
    the user confirms it with a code, so merely opening the set-up page creates no device."""
    return default_key()


def _totp_matches(device: TOTPDevice, token: str) -> bool:
    """Check a code against a device that is not saved yet, without saving it (no throttling row either)."""
    try:
        value = int(token)
    except (TypeError, ValueError):
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(value, device.tolerance):
        return False
    device.last_t = totp.t()  # this code cannot be used again
    return True


def mfa_device_confirm(
    *, actor: Actor, key: str, token: str, current_token: str = "", password: str = ""
) -> TOTPDevice:
    """Enrol the authenticator whose secret is `key`, proven by `token`, replacing any device the user had.

    Replacing a confirmed device needs a code from it (`current_token`): an open session alone cannot swap the
    second factor. A first enrolment (no confirmed device yet: the session passed the password only) needs the
    password again (`password`), so a borrowed or stolen session cannot enrol its own phone. Every attempt is
    audited (a failure too, with the fields that failed, never their values); the user is told in CTIP and,
    when e-mail is configured, by a content-free e-mail."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).first()  # one enrolment at a time per user
        current = list(TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True))
        errors: dict[str, list[str]] = {}
        if current:
            if not any(d.verify_token((current_token or "").strip()) for d in current):
                errors["current_token"] = [_("That is not the current code of your authenticator device.")]
        elif not actor.check_password(password or ""):
            errors["password"] = [_("That is not your password.")]
        device = TOTPDevice(user=actor, name="CTIP", key=key, confirmed=True)
        if not errors and not _totp_matches(device, (token or "").strip()):
            errors["token"] = [_("That code is not right. Check your phone's clock and try the newest code.")]
        if errors:
            audit_record(
                actor=actor,
                action="auth.mfa_enrol_failed",
                target_type="accounts.user",
                target_id=actor.public_id,
                changes={"failed": sorted(errors), "replacing": bool(current)},
            )
        else:
            device.save()
            TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
            event = "replaced" if current else "enrolled"
            audit_record(
                actor=actor,
                action="auth.mfa_replaced" if current else "auth.mfa_enrolled",
                target_type="accounts.user",
                target_id=actor.public_id,
            )
            transaction.on_commit(partial(security_events.emit, user=actor, event=f"mfa_{event}"))
    if errors:  # raised after the commit, so the failed attempt stays in the audit trail
        raise ValidationFailed(fields=errors)
    return device


def auth_event(*, actor: Actor | AnonymousUser | None, action: str, username: str = "") -> None:
    """Log-in, log-out, failed second factor, lock-out: recorded in the audit trail."""
    audit_record(
        actor=actor if getattr(actor, "is_authenticated", False) else (username or "anonymous"),
        action=action,
        target_type="accounts.user",
        target_id=getattr(actor, "public_id", "") if getattr(actor, "is_authenticated", False) else "",
    )


@transaction.atomic
def api_token_issue(*, actor: Actor) -> Token:
    """A new API token (the old one is revoked). Only from a session that passed the second factor."""
    # is_verified is set on the request's user by django-otp's OTPMiddleware: not a model attribute mypy can see.
    if actor.mfa_required and not actor.is_verified():  # type: ignore[attr-defined]
        raise PermissionDenied(_("Verify your second factor first."))
    Token.objects.filter(user=actor).delete()
    token = Token.objects.create(user=actor)
    audit_record(actor=actor, action="user.api_token_issue", target_type="accounts.user", target_id=actor.public_id)
    return token


@transaction.atomic
def api_token_revoke(*, actor: Actor) -> None:
    Token.objects.filter(user=actor).delete()
    audit_record(actor=actor, action="user.api_token_revoke", target_type="accounts.user", target_id=actor.public_id)


# --- shares ----------------------------------------------------------------------------------------


@transaction.atomic
def share_grant(
    *,
    actor: Actor,
    target_type: str,
    target_id,
    owning_agency_id: int,
    agency: Agency,
    sections: list[str],
    reason: str,
    expires_at=None,
) -> RecordShare:
    """Share one record with another agency. Only the owning agency's users with share rights may do it."""
    require(actor, Action.SHARE_GRANT)
    if actor.agency_id != owning_agency_id:  # domain rule: only the owning agency shares its records
        raise PermissionDenied()
    if not reason.strip():
        raise ValidationFailed(fields={"reason": [_("Say why this record is shared.")]})
    share = RecordShare.objects.create(
        target_type=target_type,
        target_id=target_id,
        agency=agency,
        sections=list(sections),
        reason=reason.strip(),
        granted_by=actor,
        expires_at=expires_at,
    )
    audit_record(
        actor=actor,
        action="share.grant",
        target_type=target_type,
        target_id=target_id,
        changes={"agency": agency.pk, "sections": list(sections)},
        reason=reason,
    )
    return share


@transaction.atomic
def share_revoke(*, actor: Actor, share: RecordShare, owning_agency_id: int, reason: str = "") -> RecordShare:
    require(actor, Action.SHARE_GRANT)
    if actor.agency_id != owning_agency_id:  # domain rule: only the owning agency shares its records
        raise PermissionDenied()
    share = RecordShare.objects.select_for_update().get(pk=share.pk)
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.revoked_by = actor
        share.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            action="share.revoke",
            target_type=share.target_type,
            target_id=share.target_id,
            changes={"agency": share.agency_id},
            reason=reason,
        )
    return share


# --- break the glass -------------------------------------------------------------------------------


@transaction.atomic
def breakglass_open(*, actor: Actor, target_type: str, target_id, reason: str) -> BreakGlassGrant:
    require(actor, Action.BREAKGLASS_USE)
    reason = (reason or "").strip()
    if len(reason) < 15:
        raise ValidationFailed(
            fields={"reason": [_("State the reason in at least 15 characters: it is reviewed by auditors.")]}
        )
    grant = BreakGlassGrant.objects.create(
        user=actor,
        agency_id=actor.agency_id,
        target_type=target_type,
        target_id=target_id,
        reason=reason,
        expires_at=timezone.now() + timedelta(hours=BREAK_GLASS_HOURS),
    )
    audit_record(actor=actor, action="breakglass.open", target_type=target_type, target_id=target_id, reason=reason)
    return grant


@transaction.atomic
def breakglass_review(*, actor: Actor, grant: BreakGlassGrant, outcome: str, note: str = "") -> BreakGlassGrant:
    require(actor, Action.BREAKGLASS_REVIEW)
    if outcome not in (BreakGlassReview.JUSTIFIED, BreakGlassReview.UNJUSTIFIED):
        raise ValidationFailed(fields={"outcome": [_("Choose justified or not justified.")]})
    grant = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.user_id == actor.pk:
        raise PermissionDenied(_("You cannot review your own access."))
    if grant.review_status != BreakGlassReview.PENDING:
        raise Conflict(_("This access was already reviewed."))
    grant.review_status = outcome
    grant.reviewed_by = actor
    grant.reviewed_at = timezone.now()
    grant.review_note = note.strip()
    grant.save()
    audit_record(
        actor=actor,
        action="breakglass.review",
        target_type=grant.target_type,
        target_id=grant.target_id,
        changes={"outcome": outcome, "grant": str(grant.public_id)},
        reason=note,
    )
    return grant


def get_agency(public_id) -> Agency:
    try:
        return Agency.objects.get(public_id=public_id)
    except (Agency.DoesNotExist, ValueError, ValidationError) as exc:
        raise NotFound() from exc


@transaction.atomic
def admin_bootstrap(*, username: str, password: str, email: str = "") -> User:
    """A system administrator created from the server's command line (nobody to act as yet). Audited with the
    command line as the actor; the account must set up TOTP at its first log-in like every administrator."""
    username = (username or "").strip()
    if not username:
        raise ValidationFailed(fields={"username": [_("Enter a username.")]})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(fields={"username": [_("This username is taken.")]})
    user = User(username=username, email=email, role=Role.SYSADMIN)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(fields={"password": list(exc.messages)}) from exc
    user.set_password(password)
    _full_clean(user, exclude=["password"])
    user.save()
    audit_record(
        actor="create_admin",
        action="user.create",
        target_type="accounts.user",
        target_id=user.public_id,
        changes={"username": user.username, "role": Role.SYSADMIN, "agency": None},
        reason="created from the command line",
    )
    return user
