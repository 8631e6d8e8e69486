"""Edits to the reference catalogues that are meant to be corrected in the field (the provisional Delphi
indicator catalogue). Counties, countries, HTCDS values and offences change only through migrations."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ctip.audit.services import audit_record
from ctip.core.errors import Conflict, PermissionDenied, ValidationFailed
from ctip.core.principal import Principal

from .models import Indicator, Strength

REFERENCE_MANAGE = "reference.manage"  # ctip.accounts.roles.Action.REFERENCE_MANAGE (reference sits below accounts)
EDITABLE = ("text", "text_sw", "strength", "is_active")


@transaction.atomic
def indicator_update(
    *, actor: Principal, indicator: Indicator, expected_version: int, reason: str, **data
) -> Indicator:
    if not actor.can(REFERENCE_MANAGE):
        raise PermissionDenied()
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if locked.version != expected_version:
        raise Conflict(
            _(
                "Someone else changed this indicator since you opened it. "
                "Your changes were not saved: reload and edit again."
            )
        )
    errors: dict[str, list[str]] = {}
    if "text" in data and not str(data["text"]).strip():
        errors["text"] = [_("The indicator needs a wording.")]
    if "strength" in data and data["strength"] not in Strength.values:
        errors["strength"] = [_("Choose strong, medium or weak.")]
    if not reason.strip():
        errors["reason"] = [_("Say why the catalogue changes (e.g. checked against the ILO text).")]
    if errors:
        raise ValidationFailed(fields=errors)
    changes = {}
    for key in EDITABLE:
        if key in data:
            value = data[key].strip() if isinstance(data[key], str) else data[key]
            if getattr(locked, key) != value:
                changes[key] = [getattr(locked, key), value]
                setattr(locked, key, value)
    if not changes:
        return locked
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action="reference.indicator_update",
        target_type="reference.indicator",
        target_id=locked.code,
        changes=changes,
        reason=reason,
    )
    return locked
