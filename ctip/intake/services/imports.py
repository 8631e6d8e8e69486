"""Bulk import of cases from an HTCDS spreadsheet or CSV: all rows or none, with a row-level error report.

Small files are processed during the upload request; larger ones by the background task `tasks.run_import`,
which `IntakeConfig.ready()` hands over with `set_background_runner` (tasks import the services, never the
reverse).
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.cases import services as case_services
from ctip.cases.enums import CaseStatus, IdentificationChannel
from ctip.core.errors import PermissionDenied, ServiceError, ValidationFailed

from .. import importer
from ..enums import ImportFormat, ImportStatus
from ..models import IMPORT_TARGET, ImportJob

__all__ = ["INLINE_IMPORT_ROWS", "PROGRESS_EVERY", "import_process", "import_start", "set_background_runner"]

log = logging.getLogger("ctip.intake")

INLINE_IMPORT_ROWS = 200  # smaller files are imported during the upload request; larger ones by a task
PROGRESS_EVERY = 50
_background_runner: Callable[[int], object] | None = None


def set_background_runner(run: Callable[[int], object]) -> None:
    """How a large import runs later (given the job id): `IntakeConfig.ready()` passes `tasks.run_import.enqueue`."""
    global _background_runner
    _background_runner = run


def import_start(*, actor: Actor, file_name: str, content: bytes, owning_agency=None) -> ImportJob:
    """Check the file can be read, keep it sealed, and import it: inline when small, else in a background task.
    The job records progress; the file content is blanked once processed."""
    require(actor, Action.CASE_IMPORT)
    require(actor, Action.CASE_CREATE)
    agency = owning_agency or actor.agency
    if agency is None or (agency.pk != actor.agency_id and actor.scope(Action.CASE_IMPORT) != "national"):
        raise PermissionDenied()
    fmt = importer.detect_format(file_name, content)
    rows, ignored = importer.read_table(content, fmt)
    if not rows:
        raise ValidationFailed(_("The file has no data rows."), fields={"file": [_("No data rows.")]})
    with transaction.atomic():
        job = ImportJob(
            owning_agency=agency,
            status=ImportStatus.PENDING,
            file_format=ImportFormat(fmt),
            rows_total=len(rows),
            created_by=actor,
        )
        job.file_name = file_name[:200]
        job.content = base64.b64encode(content).decode()
        job.save()
        audit_record(
            actor=actor,
            action="import.start",
            target_type=IMPORT_TARGET,
            target_id=job.public_id,
            changes={"rows": len(rows), "format": fmt, "ignored_columns": ignored[:30]},
        )
    if len(rows) < INLINE_IMPORT_ROWS:
        import_process(job_id=job.pk)
    else:
        run_later = _background_runner
        if run_later is None:  # a programming error: IntakeConfig.ready() always sets it
            raise RuntimeError("intake: no background runner for imports")
        transaction.on_commit(lambda: run_later(job.pk))
    job.refresh_from_db()
    return job


def _job_update(job: ImportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())


def import_process(*, job_id: int) -> ImportJob:
    """Validate every row; if any fails, nothing is written and the job keeps a row-level error report; else all
    rows are written in one transaction (person_register + case_open per row, channel import)."""
    job = ImportJob.objects.select_related("created_by", "owning_agency").get(pk=job_id)
    if job.status != ImportStatus.PENDING:
        return job
    actor = job.created_by
    _job_update(job, status=ImportStatus.VALIDATING, started_at=timezone.now())
    try:
        content = base64.b64decode(job.content)
        rows, _ignored = importer.read_table(content, job.file_format)
        del content
        if actor is None or not actor.is_active or not actor.can(Action.CASE_IMPORT):
            raise PermissionDenied()
        plans, errors = _validate_rows(job, rows)
        if errors:
            _finish(job, ImportStatus.INVALID, errors=errors)
            return job
        _job_update(job, status=ImportStatus.IMPORTING)
        refs, errors, duplicates = _write_rows(job, actor, plans)
        if errors:
            _finish(job, ImportStatus.INVALID, errors=errors)
        else:
            _finish(
                job,
                ImportStatus.DONE,
                rows_imported=len(refs),
                case_references=refs,
                possible_duplicates=duplicates,
            )
    except ServiceError as exc:
        _finish(job, ImportStatus.FAILED, failure=exc.message[:300])
    except Exception as exc:  # noqa: BLE001 - the job must end; details go to the log without data
        log.error("import failed", extra={"job": str(job.public_id), "error_type": type(exc).__name__})
        _finish(job, ImportStatus.FAILED, failure=_("Unexpected error: the administrators have been told."))
    return job


def _validate_rows(job: ImportJob, rows) -> tuple[list[importer.RowPlan], list[dict]]:
    parser = importer.RowParser(importer.Reference.load())
    plans: list[importer.RowPlan] = []
    errors: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    for index, (number, row) in enumerate(rows, start=1):
        try:
            plan = parser.parse(number, row)
        except ValidationFailed as exc:
            errors.extend(importer.errors_of(number, exc))
        else:
            for key in plan.duplicate_keys:
                if key in seen:
                    column = importer.SERVICE_FIELD_COLUMN.get(key[0], key[0])
                    errors.append(
                        {
                            "row": number,
                            "column": column,
                            "message": _("The same document number as row %(row)s.") % {"row": seen[key]},
                        }
                    )
                else:
                    seen[key] = number
            plans.append(plan)
        if index % PROGRESS_EVERY == 0:
            _job_update(job, rows_validated=index)
    _job_update(job, rows_validated=len(rows))
    return plans, errors


class _RowFailed(Exception):
    def __init__(self, errors: list[dict]):
        self.errors = errors


def _write_rows(job: ImportJob, actor: Actor, plans: list[importer.RowPlan]) -> tuple[list[str], list[dict], int]:
    """Write every row in one transaction. Returns the case references, the row errors (nothing written) and how
    many imported persons may already be registered (each such pair is queued for an officer's review: an import
    has nobody at hand to choose, so it never links by itself)."""
    refs: list[str] = []
    duplicates = 0
    try:
        with transaction.atomic():
            for plan in plans:
                try:
                    ref, queued = _write_row(job, actor, plan)
                except ServiceError as exc:
                    raise _RowFailed(importer.errors_of(plan.row, exc)) from exc
                refs.append(ref)
                duplicates += bool(queued)
            audit_record(
                actor=actor,
                action="import.complete",
                target_type=IMPORT_TARGET,
                target_id=job.public_id,
                changes={
                    "rows": len(refs),
                    "first": refs[0] if refs else "",
                    "last": refs[-1] if refs else "",
                    "possible_duplicates": duplicates,
                },
            )
    except _RowFailed as failed:
        return [], failed.errors, 0
    return refs, [], duplicates


def _write_row(job: ImportJob, actor: Actor, plan: importer.RowPlan) -> tuple[str, int]:
    # Registered as every victim is (case_register). Nobody is at hand to choose among candidates: persons already
    # registered (earlier rows of this file included) who may be this one are queued for review, never linked.
    # The row's identity was validated when the file was checked (plan.identity is a ValidIdentity).
    registration = case_services.case_register(
        actor=actor,
        person=case_services.PersonChoice(identity=plan.identity, queue_duplicates=True),
        case=case_services.CaseInput(
            identified_on=plan.identified_on,
            channel=IdentificationChannel.IMPORT,
            narrative=plan.narrative,
            htcds=plan.htcds,
            events=plan.events,
            is_child=plan.is_child,
            fields=plan.case_fields,
        ),
        owning_agency=job.owning_agency,
    )
    case, queued = registration.case, registration.duplicates_queued
    assert case is not None  # queue_duplicates: a likely duplicate is queued for review, never proposed
    if plan.trafficking_status:
        case_services.status_decide(
            actor=actor,
            case=case,
            expected_version=case.version,
            status=plan.trafficking_status,
            decision_org=plan.decision_org,
            decided_on=plan.identified_on,
        )
        case.refresh_from_db(fields=["version"])
    if plan.case_status != CaseStatus.ACTIVE:
        case_services.case_set_status(
            actor=actor,
            case=case,
            status=plan.case_status,
            expected_version=case.version,
            closure_reason=plan.closure_reason,
            note=plan.closure_note,
        )
    return case.reference, queued


def _finish(job: ImportJob, status: str, **fields) -> None:
    """End the job and blank the uploaded content (it holds identities)."""
    _job_update(job, status=status, content="", finished_at=timezone.now(), **fields)
