"""Demo content for research mode: a registered study on the demo cohort and consent answers.

The demo cohort has already started, so the protocol is created as if registered beforehand
(the service refuses registration after the start) and is shown locked. Nobody is randomised,
so every demo participant stays available to the match round.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from tandem.accounts.models import User
from tandem.programs.models import Cohort
from tandem.research import services
from tandem.research.models import ResearchConsent, StudyProtocol

INFORMATION = """\
We are studying whether peer mentoring helps residents, fellows and junior faculty stay in
academic medicine and move forward in their careers.

If you take part, the program's researchers receive de-identified data about you: your career
stage, specialty and institution (grouped where needed so no one can be singled out), the year
you enrolled, whether you were matched, and counts of meetings, goals and check-ins. They never
receive your name, email, exact dates or anything you wrote.

Taking part is voluntary. Declining or withdrawing later does not change your place in the
program. If you withdraw, your data are left out of every export made after that."""


def seed_research(cohort: Cohort, people: Sequence[User], *, seed: int = 2026) -> StudyProtocol:
    rng = random.Random(seed)
    protocol = StudyProtocol.objects.create(
        cohort=cohort,
        title="Peer mentoring, retention and promotion",
        information=INFORMATION,
        outcomes="Retention in academic medicine at 12 months\n"
        "Promotion or rank change at 24 months",
        seed=seed,
    )
    for person in people:
        draw = rng.random()
        if draw < 0.7:
            services.research_consent_record(
                protocol=protocol, user=person, decision=ResearchConsent.Decision.CONSENTED
            )
        elif draw < 0.85:
            services.research_consent_record(
                protocol=protocol, user=person, decision=ResearchConsent.Decision.DECLINED
            )
    return protocol
