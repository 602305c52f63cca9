"""API for one's own check-ins and journal, and for the kudos of one's partnership.

The same rules as the pages: only the person reaches their own check-ins and reflections;
only members reach a partnership's kudos, and only current members send them.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from tandem.core.api import api_user
from tandem.wellbeing import policies, selectors, services
from tandem.wellbeing.models import Kudos, Pulse, Reflection, SupportResource
from tandem.workspace.policies import access_workspace

router = Router()


class PulseIn(Schema):
    burnout: int
    supported: int
    word: str = ""
    share: bool = False


class PulseOut(Schema):
    id: int
    burnout: int
    supported: int
    word: str
    shared_with_partners: bool
    created_at: dt.datetime


class SupportResourceOut(Schema):
    program: str
    name: str
    kind: str
    description: str
    phone: str
    url: str
    hours: str


def _resource_out(resource: SupportResource) -> SupportResourceOut:
    return SupportResourceOut(
        program=resource.program.slug if resource.program_id else "",
        name=resource.name,
        kind=resource.kind,
        description=resource.description,
        phone=resource.phone,
        url=resource.url,
        hours=resource.hours,
    )


class PulseCreatedOut(Schema):
    pulse: PulseOut
    crossed_threshold: bool
    support_resources: list[SupportResourceOut]


class ReflectionIn(Schema):
    kind: str
    what_happened: str
    opportunity: str = ""
    advice_to_peer: str = ""


class ReflectionOut(Schema):
    id: int
    kind: str
    what_happened: str
    opportunity: str
    advice_to_peer: str
    created_at: dt.datetime
    updated_at: dt.datetime


class KudosIn(Schema):
    message: str
    recipient_email: str | None = None


class KudosOut(Schema):
    id: int
    sender: str
    recipient: str | None
    message: str
    created_at: dt.datetime

    @staticmethod
    def resolve_sender(kudos: Kudos) -> str:
        return kudos.sender.display_name

    @staticmethod
    def resolve_recipient(kudos: Kudos) -> str | None:
        return kudos.recipient.display_name if kudos.recipient else None


@router.get("/me/pulses", response=list[PulseOut], tags=["wellbeing"])
@paginate
def my_pulses(request: HttpRequest) -> list[Pulse]:
    return selectors.own_pulses(api_user(request))  # type: ignore[return-value]


@router.post("/me/pulses", response={201: PulseCreatedOut}, tags=["wellbeing"])
def my_pulse_create(request: HttpRequest, payload: PulseIn) -> Status[PulseCreatedOut]:
    """Record a check-in; when it crosses the threshold, the answer lists support resources."""
    user = api_user(request)
    pulse = services.pulse_record(user=user, **payload.dict())
    crossed = selectors.crosses_threshold(user, burnout=pulse.burnout, supported=pulse.supported)
    resources: list[SupportResource] = []
    if crossed:
        support = selectors.support_for(user)
        for entry in support:
            resources += entry.crisis_lines + entry.other_resources
        if selectors.needs_fallback_crisis_line(support):
            resources.insert(0, selectors.FALLBACK_CRISIS_LINE)
    return Status(
        201,
        PulseCreatedOut(
            pulse=PulseOut.from_orm(pulse),
            crossed_threshold=crossed,
            support_resources=[_resource_out(resource) for resource in resources],
        ),
    )


@router.get("/me/reflections", response=list[ReflectionOut], tags=["wellbeing"])
@paginate
def my_reflections(request: HttpRequest) -> list[Reflection]:
    return selectors.own_reflections(api_user(request))  # type: ignore[return-value]


@router.post("/me/reflections", response={201: ReflectionOut}, tags=["wellbeing"])
def my_reflection_create(request: HttpRequest, payload: ReflectionIn) -> Status[Reflection]:
    return Status(201, services.reflection_create(user=api_user(request), **payload.dict()))


@router.get("/me/reflections/{reflection_id}", response=ReflectionOut, tags=["wellbeing"])
def my_reflection(request: HttpRequest, reflection_id: int) -> Reflection:
    return policies.access_own_reflection(api_user(request), reflection_id)


@router.put("/me/reflections/{reflection_id}", response=ReflectionOut, tags=["wellbeing"])
def my_reflection_update(
    request: HttpRequest, reflection_id: int, payload: ReflectionIn
) -> Reflection:
    reflection = policies.access_own_reflection(api_user(request), reflection_id)
    return services.reflection_update(reflection=reflection, **payload.dict())


@router.delete("/me/reflections/{reflection_id}", response={204: None}, tags=["wellbeing"])
def my_reflection_delete(request: HttpRequest, reflection_id: int) -> Status[None]:
    reflection = policies.access_own_reflection(api_user(request), reflection_id)
    services.reflection_delete(reflection=reflection)
    return Status(204, None)


@router.get("/partnerships/{partnership_id}/kudos", response=list[KudosOut], tags=["wellbeing"])
@paginate
def partnership_kudos(request: HttpRequest, partnership_id: int) -> list[Kudos]:
    partnership = access_workspace(api_user(request), partnership_id)
    return selectors.kudos_for(partnership)  # type: ignore[return-value]


@router.post("/partnerships/{partnership_id}/kudos", response={201: KudosOut}, tags=["wellbeing"])
def partnership_kudos_send(
    request: HttpRequest, partnership_id: int, payload: KudosIn
) -> Status[Kudos]:
    user = api_user(request)
    partnership = access_workspace(user, partnership_id)
    recipient = None
    if payload.recipient_email:
        partners = selectors.current_partners(partnership, user)
        recipient = next(
            (p for p in partners if p.email.lower() == payload.recipient_email.lower()), None
        )
        if recipient is None:
            raise ValidationError({"recipient_email": "Choose one of your partners."})
    kudos = services.kudos_send(
        partnership=partnership, sender=user, message=payload.message, recipient=recipient
    )
    return Status(201, kudos)
