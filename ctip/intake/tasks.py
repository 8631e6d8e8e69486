"""Background work of intake: a task loads by id and calls a service (ARCHITECTURE.md rule 8).

Tasks import the services; the services never import this module. `IntakeConfig.ready()` hands
`run_import.enqueue` to `services.set_background_runner`, which `import_start` calls on commit for large files.
"""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def run_import(job_id: int) -> str:
    return services.import_process(job_id=job_id).status
