from django.db import models


class FormSubmission(models.Model):
    """A form's one-time token, claimed in the same transaction as the write it guards, so a
    form submitted twice (a double click, the back button) saves once."""

    token = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return str(self.token)


class OutboxMessage(models.Model):
    """A Celery task to run, written in the same transaction as the change that asks for it.
    Published right after the commit; if the broker is down then, the sweep on beat publishes
    it once the broker is back (ipsportal/core/outbox.py), so a request never fails and no
    work is lost because Redis was away. The tasks are idempotent, so a message published
    twice does its work once."""

    task = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_unpublished_idx",
                condition=models.Q(published_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.task} ({'published' if self.published_at else 'waiting'})"
