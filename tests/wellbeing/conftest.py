"""Wellbeing content planted for the cast, each piece carrying a unique marker string.

alice keeps a private check-in and a shared one, a private journal entry and one shared into
her partnership with bob; bob sends alice kudos; carol keeps a private check-in.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tandem.wellbeing import services
from tandem.wellbeing.models import Kudos, Pulse, Reflection, SupportResource


@dataclass
class Planted:
    alice_private_pulse: Pulse
    alice_shared_pulse: Pulse
    alice_private_reflection: Reflection
    alice_shared_reflection: Reflection
    bob_kudos: Kudos
    carol_pulse: Pulse
    resource: SupportResource | None

    # Markers: what only the owner may see, and what partners may see too.
    ALICE_ONLY = ("MKPULSEPRIV", "MKREFLPRIV", "MKOPPORTPRIV")
    PARTNERS_TOO = ("MKPULSESHARED", "MKREFLSHARED", "MKKUDOS")
    CAROL_ONLY = ("MKCAROLPULSE",)


@pytest.fixture
def planted(cast) -> Planted:
    private_pulse = services.pulse_record(
        user=cast.alice, burnout=4, supported=2, word="MKPULSEPRIV"
    )
    shared_pulse = services.pulse_record(
        user=cast.alice, burnout=2, supported=4, word="MKPULSESHARED", share=True
    )
    private_reflection = services.reflection_create(
        user=cast.alice,
        kind="setback",
        what_happened="My abstract was rejected MKREFLPRIV",
        opportunity="Time to rework the methods MKOPPORTPRIV",
    )
    shared_reflection = services.reflection_create(
        user=cast.alice, kind="win", what_happened="First grant submitted MKREFLSHARED"
    )
    services.reflection_share(
        reflection=shared_reflection, partnership=cast.partnership, user=cast.alice
    )
    kudos = services.kudos_send(
        partnership=cast.partnership, sender=cast.bob, message="Great talk today MKKUDOS"
    )
    carol_pulse = services.pulse_record(
        user=cast.carol, burnout=1, supported=5, word="MKCAROLPULSE"
    )
    return Planted(
        alice_private_pulse=private_pulse,
        alice_shared_pulse=shared_pulse,
        alice_private_reflection=private_reflection,
        alice_shared_reflection=shared_reflection,
        bob_kudos=kudos,
        carol_pulse=carol_pulse,
        resource=SupportResource.objects.filter(program=cast.program).first(),
    )
