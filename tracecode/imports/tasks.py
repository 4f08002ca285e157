"""Background work: an import is previewed and imported by the task worker
(`tracecode db_worker`, django-tasks-db), while its page shows the progress."""

from django.tasks import task

from . import services


@task
def run_import(run_id: int) -> dict:
    return services.execute(run_id)


@task
def run_export(run_id: int) -> dict:
    return services.execute_export(run_id)
