"""``tandem rotate-keys``: re-encrypt every encrypted value under the newest field key.

Values of the older unbound format are moved to the format bound to their row on the way."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.db.models.functions import Cast

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.core.crypto import (
    UndecryptableValue,
    encrypted_fields,
    field_binding,
    is_encrypted,
    is_legacy,
    rotate,
)
from tandem.identity.mfa import mfa_secrets_rotate


def rotate_field(
    model: type[models.Model], field_name: str, *, batch_size: int
) -> tuple[int, int, int]:
    """Rotate one column in batches; returns (rotated, of which unbound before, undecryptable).

    Raw column values are read through a Cast so nothing is decrypted into Python, and written
    back as plain ``Value``s so nothing is encrypted twice. Each batch locks its rows.
    """
    manager = model._base_manager
    rotated = unbound = failed = 0
    last_pk: Any = None
    while True:
        with transaction.atomic():
            rows = manager.select_for_update().exclude(**{f"{field_name}__isnull": True})
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(
                rows.order_by("pk")
                .annotate(raw=Cast(field_name, output_field=models.TextField()))
                .values_list("pk", "raw")[:batch_size]
            )
            for pk, raw in batch:
                try:
                    if not is_encrypted(raw):
                        raise UndecryptableValue
                    fresh = rotate(raw, binding=field_binding(model, field_name, pk))
                except UndecryptableValue:
                    failed += 1
                    continue
                unbound += is_legacy(raw)
                manager.filter(pk=pk).update(
                    **{field_name: models.Value(fresh, output_field=models.TextField())}
                )
                rotated += 1
        if len(batch) < batch_size:
            return rotated, unbound, failed
        last_pk = batch[-1][0]


class Command(BaseCommand):
    help = "Re-encrypt every private value under the newest key in TANDEM_FIELD_KEYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction.")

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        counts: dict[str, int] = {}
        failures: dict[str, int] = {}
        moved = 0
        for model, field in encrypted_fields():
            label = f"{model._meta.label}.{field.name}"
            rotated, unbound, failed = rotate_field(model, field.name, batch_size=batch_size)
            counts[label] = rotated
            moved += unbound
            if failed:
                failures[label] = failed
            bound_now = f" ({unbound} moved to the row-bound format)" if unbound else ""
            self.stdout.write(f"{label}: {rotated} re-encrypted{bound_now}")
        # Second-factor secrets live in allauth's JSON data, encrypted by Tandem's MFA adapter.
        rotated, failed = mfa_secrets_rotate()
        counts["mfa.Authenticator.data"] = rotated
        if failed:
            failures["mfa.Authenticator.data"] = failed
        self.stdout.write(f"mfa.Authenticator.data: {rotated} re-encrypted")
        total = sum(counts.values())
        self.stdout.write(self.style.SUCCESS(f"Total: {total} value(s) re-encrypted."))
        audit_record(
            action=AuditEvent.Action.KEYS_ROTATED,
            target_type="core.field_keys",
            counts=counts,
            total=total,
            moved_to_bound_format=moved,
            failed=sum(failures.values()),
        )
        if failures:
            detail = ", ".join(f"{label}: {n}" for label, n in failures.items())
            raise CommandError(
                f"Some values could not be decrypted with any configured key ({detail}). "
                "Keep the old keys until they are resolved."
            )
