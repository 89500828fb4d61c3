from django.db import models


class FormSubmission(models.Model):
    """A form's one-time token, claimed in the same transaction as the write it guards, so a
    form submitted twice (a double click, the back button) saves once."""

    token = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return str(self.token)
