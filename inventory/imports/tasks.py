"""Background imports (files bigger than services.SYNC_MAX_ROWS).

Not found by autodiscovery (it looks for ``inventory.tasks``): listed in CELERY_IMPORTS.
"""

from celery import shared_task
from django_tenants.utils import schema_context

from inventory.imports.services import import_job_run, import_jobs_reap_stalled


# Acknowledged when done, not when received: if the worker dies mid-import the broker hands the
# task to another worker, which claims the job again once its heartbeat has stopped.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def import_job_run_task(job_id: int, schema_name: str) -> str | None:
    """Run the queued import ``job_id`` of workspace ``schema_name``; safe to run twice (a job
    that is no longer queued is left alone)."""
    with schema_context(schema_name):
        job = import_job_run(job_id=job_id)
        return job.status if job else None


@shared_task
def reap_stalled_imports() -> list[int]:
    """Beat, per workspace (tenants.tasks.for_each_active_tenant): fail the imports whose worker
    stopped, so none stays "in progress" forever."""
    return import_jobs_reap_stalled()
