"""Background work of list exports (a task receives the job id and calls the service)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def run_export(job_id: int) -> str:
    return services.export_process(job_id=job_id).status
