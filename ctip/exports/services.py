"""List exports: asked for on a list page with its filters, written inline when small, else by a background task
with progress; the file is sealed at rest, only for the requester, and blanked when it expires. Every request and
every download is audited; names are only written when asked for and then audited as an identity list."""

from __future__ import annotations

import base64
import io
import logging
from collections.abc import Callable, Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.audit.services import audit_record
from ctip.core.errors import NotFound, PermissionDenied, ServiceError, ValidationFailed
from ctip.core.spreadsheets import csv_writer, xlsx_workbook

from .enums import ExportFormat, ExportKind, ExportStatus
from .lists import LISTS
from .models import TARGET, ExportJob

log = logging.getLogger("ctip.exports")

CHUNK = 500  # rows read, named and written at a time; progress is saved after each chunk
_background_runner: Callable[[int], object] | None = None


def inline_rows() -> int:
    """Lists up to this many rows are written during the request; longer ones by the background task."""
    return settings.CTIP_EXPORT_INLINE_ROWS


def keep_for() -> timedelta:
    return timedelta(hours=settings.CTIP_EXPORT_KEEP_HOURS)


def set_background_runner(run: Callable[[int], object]) -> None:
    """How a large export runs later (given the job id): `ExportsConfig.ready()` passes `tasks.run_export.enqueue`."""
    global _background_runner
    _background_runner = run


def export_start(
    *,
    actor: Actor,
    kind: str,
    file_format: str,
    filters: Sequence[Sequence[str]],
    include_names: bool = False,
) -> ExportJob:
    """Check the list, its filters and the user's right to it, count the rows, and write the file: inline when the
    list is short, else in a background task (the job shows its progress)."""
    if kind not in ExportKind.values:
        raise ValidationFailed(_("Unknown list."), fields={"kind": [_("Unknown list.")]})
    if file_format not in ExportFormat.values:
        raise ValidationFailed(_("Choose CSV or XLSX."), fields={"format": [_("Choose CSV or XLSX.")]})
    spec = LISTS[ExportKind(kind)]
    require(actor, spec.action)
    filters = [[str(n), str(v)[:100]] for n, v in filters if n in spec.filter_names][:40]  # the page's filters only
    if include_names and not spec.names_possible:
        raise ValidationFailed(_("This list has no names."), fields={"include_names": [_("This list has no names.")]})
    total = spec.queryset(actor, filters).count()  # refuses invalid filters before anything is written
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind,
            file_format=file_format,
            filters=filters,
            include_names=include_names,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            rows_total=total,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="export.start",
            target_type=TARGET,
            target_id=job.public_id,
            changes={
                "list": kind,
                "format": file_format,
                "rows": total,
                "with_names": include_names,
                "filters": dict(filters),
            },
        )
    if total <= inline_rows():
        return export_process(job_id=job.pk)
    run_later = _background_runner
    if run_later is None:  # a programming error: ExportsConfig.ready() always sets it
        raise RuntimeError("exports: no background runner")
    transaction.on_commit(lambda: run_later(job.pk))
    return job


def _update(job: ExportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ExportJob.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())


def export_process(*, job_id: int) -> ExportJob:
    """Write the file of a pending export, chunk by chunk, with the requester's access as it is now."""
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ExportStatus.PENDING:
        return job
    actor = job.created_by
    _update(job, status=ExportStatus.RUNNING, started_at=timezone.now())
    spec = LISTS[ExportKind(job.kind)]
    try:
        if actor is None or not actor.is_active:
            raise PermissionDenied()
        require(actor, spec.action)
        with translation.override(job.language):
            columns = spec.columns(actor, job.include_names)
            header = [str(c.label) for c in columns]
            qs = spec.queryset(actor, job.filters)
            state = spec.prepare(actor, qs)
            writer = _Writer(ExportFormat(job.file_format), header)
            chunk: list = []
            done = 0
            for obj in qs.iterator(chunk_size=CHUNK):
                chunk.append(obj)
                if len(chunk) == CHUNK:
                    writer.write(spec.rows(actor, chunk, job.include_names, state))
                    done += len(chunk)
                    chunk = []
                    _update(job, rows_done=done)
            if chunk:
                writer.write(spec.rows(actor, chunk, job.include_names, state))
                done += len(chunk)
            # optional hooks of lists whose rows are not the queryset's objects (the CTDC exports): rows written
            # after the last chunk, and a report beside the data
            finish = getattr(spec, "finish", None)
            if finish is not None:
                writer.write(finish(actor, state))
            report = getattr(spec, "report", None)
            if report is not None:
                writer.section(_("Privacy report"), report(actor, state))
        job.content = writer.finish()
        job.status, job.rows_done, job.rows_total, job.finished_at = ExportStatus.DONE, done, done, timezone.now()
        job.save(update_fields=["content", "status", "rows_done", "rows_total", "finished_at", "updated_at"])
    except ServiceError as exc:
        _update(job, status=ExportStatus.FAILED, failure=exc.message[:300], finished_at=timezone.now())
    except Exception as exc:  # noqa: BLE001 - the job must end; the log gets the type only, never data
        log.error("export failed", extra={"job": str(job.public_id), "error_type": type(exc).__name__})
        failure = _("Unexpected error: the administrators have been told.")
        _update(job, status=ExportStatus.FAILED, failure=failure, finished_at=timezone.now())
    return job


class _Writer:
    """CSV (UTF-8 with a byte-order mark, so spreadsheets read Kiswahili and accents) or XLSX, every cell
    formula-safe (ctip.core.spreadsheets)."""

    def __init__(self, file_format: ExportFormat, header: list[str]):
        self.format = file_format
        if file_format == ExportFormat.CSV:
            self.buffer = io.StringIO()
            self.buffer.write("\ufeff")
            self.csv = csv_writer(self.buffer)
            self.csv.writerow(header)
        else:
            self.book = xlsx_workbook()
            self.sheet = self.book.sheet(_("Export"))
            self.sheet.append(header)

    def write(self, rows) -> None:
        for row in rows:
            if self.format == ExportFormat.CSV:
                self.csv.writerow(["" if v is None else v for v in row])
            else:
                self.sheet.append(row)

    def section(self, title: str, rows) -> None:
        """A second table: another sheet in XLSX; in CSV, after an empty line, a line with the title."""
        rows = [[str(v) if not isinstance(v, int | float) else v for v in row] for row in rows]
        if self.format == ExportFormat.CSV:
            self.csv.writerow([])
            self.csv.writerow([title])
            for row in rows:
                self.csv.writerow(row)
        else:
            sheet = self.book.sheet(title)
            for row in rows:
                sheet.append(row)

    def finish(self) -> str:
        if self.format == ExportFormat.CSV:
            return self.buffer.getvalue()
        return base64.b64encode(self.book.to_bytes()).decode()


def _expired(job: ExportJob) -> bool:
    return job.finished_at is not None and timezone.now() - job.finished_at > keep_for()


def export_download(*, actor: Actor, job: ExportJob) -> tuple[bytes, str, str]:
    """The file of a finished export (bytes, content type, file name), for its requester only; audited."""
    if job.created_by_id != actor.pk:
        raise NotFound()
    if job.status == ExportStatus.DONE and _expired(job):
        expire(job)
    if job.status != ExportStatus.DONE:
        raise ValidationFailed(_("This export has no file to download."), fields={})
    require(actor, LISTS[ExportKind(job.kind)].action)  # a role changed since: no file
    with transaction.atomic():
        ExportJob.objects.filter(pk=job.pk).update(downloads=job.downloads + 1, updated_at=timezone.now())
        audit_record(
            actor=actor,
            action="export.download",
            target_type=TARGET,
            target_id=job.public_id,
            changes={
                "list": job.kind,
                "format": job.file_format,
                "rows": job.rows_total,
                "with_names": job.include_names,
            },
        )
    if job.file_format == ExportFormat.CSV:
        return job.content.encode("utf-8"), "text/csv; charset=utf-8", job.file_name
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return base64.b64decode(job.content), content_type, job.file_name


def expire(job: ExportJob) -> None:
    job.content = ""
    job.status = ExportStatus.EXPIRED
    job.save(update_fields=["content", "status", "updated_at"])


def expire_old() -> int:
    """Blank the files of exports older than CTIP_EXPORT_KEEP_HOURS (`manage.py exports_expire`, daily)."""
    cutoff = timezone.now() - keep_for()
    jobs = list(ExportJob.objects.filter(status=ExportStatus.DONE, finished_at__lt=cutoff))
    for job in jobs:
        expire(job)
    return len(jobs)
