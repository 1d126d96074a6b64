"""Background imports (files bigger than services.SYNC_MAX_ROWS).

Not found by autodiscovery (it looks for ``inventory.tasks``): listed in CELERY_IMPORTS.
"""

from celery import shared_task
from django_tenants.utils import schema_context

from inventory.imports.services import import_job_run


@shared_task
def import_job_run_task(job_id: int, schema_name: str) -> str | None:
    """Run the queued import ``job_id`` of workspace ``schema_name``; safe to run twice (a job
    that is no longer queued is left alone)."""
    with schema_context(schema_name):
        job = import_job_run(job_id=job_id)
        return job.status if job else None
