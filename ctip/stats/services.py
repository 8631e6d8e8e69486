"""The writes of the statistics module: the audit event of a page view, an API read or a download; the annual
report (requested, written in the background with progress, downloaded, expired); the population reference."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ctip.accounts.access import require
from ctip.accounts.actor import Actor
from ctip.accounts.roles import Action
from ctip.audit.services import audit_record
from ctip.core.disclosure import ROUND_TO, SMALL_CELL
from ctip.core.errors import PermissionDenied, ServiceError, ValidationFailed

from . import report as report_builder
from .events import StatsEvent
from .filters import FIRST_YEAR, Filters
from .models import TARGET, AnnualReport, Population, PopulationSex, ReportStatus

log = logging.getLogger("ctip.stats")

_background_runner: Callable[[int], object] | None = None
MAX_DAYS = 5 * 366  # a report covers at most five years


def stats_viewed(*, actor: Actor, dashboard: str, filters: Filters, via: str = "page", fmt: str = "") -> None:
    """Record that `actor` looked at (or downloaded, with `fmt`) a dashboard's figures with these filters.
    Filters are categories (a year, a county code...), never anything about a person."""
    audit_record(
        actor=actor,
        action=StatsEvent.EXPORT if fmt else StatsEvent.VIEW,
        target_type="stats.dashboard",
        target_id=dashboard,
        changes={"filters": filters.as_query(), "via": via, **({"format": fmt} if fmt else {})},
    )


# --- the annual report ---------------------------------------------------------------------------------------


def keep_for() -> timedelta:
    return timedelta(days=getattr(settings, "CTIP_REPORT_KEEP_DAYS", 30))


def set_background_runner(run: Callable[[int], object]) -> None:
    """How a report is written later (given its id): `StatsConfig.ready()` passes `tasks.run_report.enqueue`."""
    global _background_runner
    _background_runner = run


def _check_range(date_from: date | None, date_to: date | None) -> None:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if date_from is None:
        errors["date_from"] = [_("Enter the first day of the period.")]
    if date_to is None:
        errors["date_to"] = [_("Enter the last day of the period.")]
    if date_from and (date_from.year < FIRST_YEAR or date_from > today):
        errors["date_from"] = [_("Enter a date between 2000 and today.")]
    if date_to and (date_to.year < FIRST_YEAR or date_to > today):
        errors["date_to"] = [_("Enter a date between 2000 and today.")]
    if date_from and date_to and not errors:
        if date_from > date_to:
            errors["date_to"] = [_("The end date is before the start date.")]
        elif (date_to - date_from).days > MAX_DAYS:
            errors["date_to"] = [_("A report covers at most five years.")]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)


def report_start(*, actor: Actor, date_from: date | None, date_to: date | None) -> AnnualReport:
    """Record the request (audited) and write the report in the background task."""
    require(actor, Action.STATS_REPORT)
    _check_range(date_from, date_to)
    assert date_from is not None and date_to is not None
    with transaction.atomic():
        report = AnnualReport.objects.create(
            date_from=date_from,
            date_to=date_to,
            small_cell=SMALL_CELL,
            rounding=ROUND_TO,
            parameters=report_builder.parameters(date_from=date_from, date_to=date_to),
            language=translation.get_language() or settings.LANGUAGE_CODE,
            steps_total=report_builder.SECTION_STEPS + 2,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=StatsEvent.REPORT_START,
            target_type=TARGET,
            target_id=report.public_id,
            changes={"date_from": date_from.isoformat(), "date_to": date_to.isoformat(), "small_cell": SMALL_CELL},
        )
    run_later = _background_runner
    if run_later is None:  # a programming error: StatsConfig.ready() always sets it
        raise RuntimeError("stats: no background runner")
    transaction.on_commit(lambda: run_later(report.pk))
    return report


def _update(report: AnnualReport, **fields) -> None:
    for name, value in fields.items():
        setattr(report, name, value)
    AnnualReport.objects.filter(pk=report.pk).update(**fields, updated_at=timezone.now())


def report_process(*, report_id: int) -> AnnualReport:
    """Write a pending report with the requester's access as it is now: the sections (published figures), then
    the XLSX and the PDF, saving the progress after each step."""
    report = AnnualReport.objects.select_related("created_by").get(pk=report_id)
    if report.status != ReportStatus.PENDING:
        return report
    actor = report.created_by
    _update(report, status=ReportStatus.RUNNING, started_at=timezone.now(), steps_done=0)
    try:
        if actor is None or not actor.is_active:
            raise PermissionDenied()
        require(actor, Action.STATS_REPORT)
        with translation.override(report.language):
            sections = report_builder.build_sections(
                user=actor,
                date_from=report.date_from,
                date_to=report.date_to,
                progress=lambda n: _update(report, steps_done=n),
            )
            report.sections = sections
            report.generated_at = timezone.now()
            report.xlsx = report_builder.to_xlsx(report)
            _update(report, steps_done=report_builder.SECTION_STEPS + 1)
            report.pdf = report_builder.to_pdf(report)
        report.status = ReportStatus.DONE
        report.steps_done = report.steps_total
        with transaction.atomic():
            report.save(update_fields=["sections", "generated_at", "xlsx", "pdf", "status", "steps_done", "updated_at"])
            audit_record(
                actor=actor,
                action=StatsEvent.REPORT_DONE,
                target_type=TARGET,
                target_id=report.public_id,
                changes={"tables": sum(len(s["figures"]) for s in sections), "pdf": bool(report.pdf)},
            )
    except ServiceError as exc:
        _update(report, status=ReportStatus.FAILED, failure=exc.message[:300])
    except Exception as exc:  # noqa: BLE001 - the job must end; the log gets the type only, never data
        log.error("report failed", extra={"report": str(report.public_id), "error_type": type(exc).__name__})
        _update(report, status=ReportStatus.FAILED, failure=_("Unexpected error: the administrators have been told."))
    return report


def _expired(report: AnnualReport) -> bool:
    return report.generated_at is not None and timezone.now() - report.generated_at > keep_for()


def expire(report: AnnualReport) -> None:
    report.pdf = b""
    report.xlsx = b""
    report.status = ReportStatus.EXPIRED
    report.save(update_fields=["pdf", "xlsx", "status", "updated_at"])


def report_download(*, actor: Actor, report: AnnualReport, fmt: str) -> tuple[bytes, str, str]:
    """The PDF or XLSX of a finished report (bytes, content type, file name), audited. Any user with statistics
    access may download it: it holds published figures only."""
    require(actor, Action.STATS_VIEW)
    if fmt not in ("pdf", "xlsx"):
        raise ValidationFailed(_("Choose PDF or XLSX."), fields={"format": [_("Choose PDF or XLSX.")]})
    if report.status == ReportStatus.DONE and _expired(report):
        expire(report)
    content = bytes(report.pdf if fmt == "pdf" else report.xlsx) if report.status == ReportStatus.DONE else b""
    if not content:
        raise ValidationFailed(_("This report has no file to download."), fields={})
    with transaction.atomic():
        AnnualReport.objects.filter(pk=report.pk).update(downloads=report.downloads + 1, updated_at=timezone.now())
        audit_record(
            actor=actor,
            action=StatsEvent.REPORT_DOWNLOAD,
            target_type=TARGET,
            target_id=report.public_id,
            changes={"format": fmt},
        )
    if fmt == "pdf":
        return content, "application/pdf", report.file_name("pdf")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return content, xlsx, report.file_name("xlsx")


def expire_old() -> int:
    """Blank the files of reports older than CTIP_REPORT_KEEP_DAYS (`manage.py stats_reports_expire`)."""
    cutoff = timezone.now() - keep_for()
    reports = list(AnnualReport.objects.filter(status=ReportStatus.DONE, generated_at__lt=cutoff))
    for report in reports:
        expire(report)
    return len(reports)


# --- the population reference ---------------------------------------------------------------------------------


def population_set(
    *, actor, reference_year: int, sex: str, count: int, source: str, age_group: str = "all"
) -> Population:
    """Add or correct one population figure (a command's actor is its name); audited with the old and new
    values."""
    errors: dict[str, list[str]] = {}
    if sex not in PopulationSex.values:
        errors["sex"] = [_("Choose total, male, female or intersex.")]
    if not FIRST_YEAR - 10 <= reference_year <= timezone.localdate().year + 10:
        errors["reference_year"] = [_("Enter a year between 1990 and ten years from now.")]
    if count <= 0:
        errors["count"] = [_("Enter a positive number.")]
    if not source.strip():
        errors["source"] = [_("Name the source (e.g. the census and its volume).")]
    if age_group not in ("all", "0-17", "18+"):
        errors["age_group"] = [_("Choose all, 0-17 or 18+.")]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)
    with transaction.atomic():
        existing = (
            Population.objects.select_for_update()
            .filter(reference_year=reference_year, sex=sex, age_group=age_group)
            .first()
        )
        old = existing.count if existing else None
        population, _created = Population.objects.update_or_create(
            reference_year=reference_year,
            sex=sex,
            age_group=age_group,
            defaults={"count": count, "source": source.strip()[:200], "updated_at": timezone.now()},
        )
        audit_record(
            actor=actor,
            action=StatsEvent.POPULATION_SET,
            target_type="stats.population",
            target_id=f"{reference_year}:{sex}:{age_group}",
            changes={"count": [old, count], "source": source.strip()[:200]},
        )
    return population
