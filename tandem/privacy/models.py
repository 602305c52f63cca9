"""Which ended partnerships have had their private content purged under their retention."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from tandem.partnerships.models import Partnership


class RetentionPurge(models.Model):
    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="retention_purge"
    )
    purged_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Partnership #{self.partnership_id} purged {self.purged_at:%Y-%m-%d}"
