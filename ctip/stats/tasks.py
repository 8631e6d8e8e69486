"""Background work of the statistics module: the annual report (the task receives the report's id and calls the
service)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def run_report(report_id: int) -> str:
    return services.report_process(report_id=report_id).status
