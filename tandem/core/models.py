"""Bookkeeping shared by every app: when each periodic job was last queued."""

from __future__ import annotations

from django.db import models


class PeriodicRun(models.Model):
    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
