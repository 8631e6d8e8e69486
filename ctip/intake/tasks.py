"""Background work of intake: a task loads by id and calls a service (ARCHITECTURE.md rule 8)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import(job_id: int) -> str:
    from .services import import_process

    return import_process(job_id=job_id).status
