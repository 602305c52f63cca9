"""Bookkeeping shared by every app: when each periodic job was last queued, and the e-mails
waiting for (or failed in) the worker."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from tandem.core.crypto import EncryptedTextField


class PeriodicRun(models.Model):
    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class OutgoingEmail(models.Model):
    """One e-mail to one recipient, waiting for the worker, retrying, or failed for good.

    Every e-mail is written here in the transaction that causes it and sent by its own task,
    so one recipient's failure never stops another's. A sent e-mail is deleted; a failed one
    stays for operators, who see its recipient, template and error but never its text.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RETRYING = "retrying", "Waiting to retry"
        FAILED = "failed", "Failed"

    to = models.EmailField(max_length=254)
    template = models.CharField(max_length=200)
    # What the recipient reads may quote private content, so it is encrypted at rest.
    subject = EncryptedTextField()
    body = EncryptedTextField()
    attachments = EncryptedTextField(blank=True, default="")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"E-mail #{self.pk} ({self.template}) to {self.to}"
