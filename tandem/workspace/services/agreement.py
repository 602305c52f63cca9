"""The partnership agreement: started from the program's template, signed by every member,
and amended only when every member signs the new version."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core.mail import send_email_on_commit
from tandem.partnerships.models import Partnership
from tandem.programs.models import Program
from tandem.workspace.models import AgreementSignature, AgreementTemplate, AgreementVersion
from tandem.workspace.policies import seated_members
from tandem.workspace.selectors import agreement_template_text
from tandem.workspace.services.common import clean_text, require_writer


def agreement_template_update(*, program: Program, text: str, by: User) -> AgreementTemplate:
    text = clean_text(text, field="text")
    template, _ = AgreementTemplate.objects.update_or_create(
        program=program, defaults={"text": text, "updated_by": by, "updated_at": timezone.now()}
    )
    return template


def agreement_start(*, partnership: Partnership) -> AgreementVersion:
    """Give the partnership its first agreement (from the program's template) if it has none.

    Locks the partnership so two members opening the workspace at once create one version.
    """
    with transaction.atomic():
        locked = (
            Partnership.objects.select_for_update().select_related("cohort").get(pk=partnership.pk)
        )
        first = AgreementVersion.objects.filter(partnership=locked, number=1).first()
        if first is not None:
            return first
        return AgreementVersion.objects.create(
            partnership=locked,
            number=1,
            text=agreement_template_text(locked.cohort.program),
        )


def agreement_sign(*, version: AgreementVersion, user: User) -> AgreementVersion:
    """Sign a pending version; when the last member signs, it comes into force.

    Locks the partnership so the last two signatures cannot both miss each other.
    """
    with transaction.atomic():
        partnership = Partnership.objects.select_for_update().get(pk=version.partnership_id)
        require_writer(partnership, user)
        version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
        if not version.is_pending:
            raise ValidationError("This version of the agreement is no longer open for signing.")
        AgreementSignature.objects.get_or_create(version=version, user=user)
        _bring_into_force_if_signed(partnership, version)
    return version


def agreement_propose(*, partnership: Partnership, user: User, text: str) -> AgreementVersion:
    """Propose new agreement text; the proposer signs it, the others are asked to.

    A newer proposal replaces a pending one. Locks the partnership to number versions safely.
    """
    text = clean_text(text, field="text")
    with transaction.atomic():
        locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
        require_writer(locked, user)
        now = timezone.now()
        AgreementVersion.objects.filter(
            partnership=locked, effective_at__isnull=True, withdrawn_at__isnull=True
        ).update(withdrawn_at=now)
        last = AgreementVersion.objects.filter(partnership=locked).order_by("-number").first()
        version = AgreementVersion.objects.create(
            partnership=locked,
            number=(last.number + 1) if last else 1,
            text=text,
            proposed_by=user,
        )
        AgreementSignature.objects.create(version=version, user=user)
        if not _bring_into_force_if_signed(locked, version):
            link = reverse("workspace:agreement", args=[locked.pk])
            for member in seated_members(locked).select_related("user"):
                if member.user_id == user.pk:
                    continue
                send_email_on_commit(
                    to=[member.user.email],
                    template="workspace/email/agreement_amended",
                    context={"recipient": member.user, "proposer": user, "link": link},
                )
    return version


def _bring_into_force_if_signed(partnership: Partnership, version: AgreementVersion) -> bool:
    members = set(seated_members(partnership).values_list("user_id", flat=True))
    signed = set(version.signatures.values_list("user_id", flat=True))
    if not members or not members <= signed:
        return False
    version.effective_at = timezone.now()
    version.save(update_fields=["effective_at"])
    return True
