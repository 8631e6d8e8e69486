"""Edits to the reference catalogues that are meant to be corrected in the field (the provisional Delphi
indicator catalogue). Counties, countries, HTCDS values and offences change only through migrations."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from ctip.audit.services import audit_record
from ctip.core.errors import Conflict, PermissionDenied, ValidationFailed
from ctip.core.principal import Principal

from .ctdc import read_ctdc_any
from .models import CtdcDataset, CtdcRecord, Indicator, Strength

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


def ctdc_load(*, actor: Principal | None, content: bytes, name: str) -> CtdcDataset:
    """Load a CTDC victim-perpetrator file (ctip/reference/ctdc.py) as a new reference dataset: every row checked
    first, then all rows written in one transaction, or nothing (CtdcInvalid with the rows' problems). `actor` None
    is the command line (manage.py load_ctdc), run by an administrator on the server."""
    if actor is not None and not actor.can(REFERENCE_MANAGE):
        raise PermissionDenied()
    name = (name or "").strip()[:120]
    if not name:
        raise ValidationFailed(fields={"name": [_("Name the dataset (e.g. CTDC synthetic dataset, December 2022).")]})
    generation, rows = read_ctdc_any(content)
    with transaction.atomic():
        dataset = CtdcDataset.objects.create(
            name=name,
            sha256=hashlib.sha256(content).hexdigest(),
            row_count=len(rows),
            generation=generation,
            loaded_by_id=getattr(actor, "pk", None) if actor is not None else None,
        )
        CtdcRecord.objects.bulk_create(
            (CtdcRecord(dataset=dataset, **row) for row in rows),
            batch_size=2000,
        )
        audit_record(
            actor=actor if actor is not None else "manage.py load_ctdc",
            action="reference.ctdc_load",
            target_type="reference.ctdc_dataset",
            target_id=dataset.public_id,
            changes={"name": name, "rows": len(rows), "sha256": dataset.sha256, "generation": generation},
        )
    return dataset
