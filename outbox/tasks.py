"""The outbox's task for the worker (django-tasks)."""

from django_tasks import task


@task()
def deliver_outbox() -> int:
    from outbox.delivery import deliver_due

    return deliver_due()
