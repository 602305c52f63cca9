"""The wording of the check-in and of the reframing prompts, in one place.

The burnout question is written in Tandem's own words, modelled on the non-proprietary single
item of the Physician Work Life Study; docs/instruments.md gives its source and why the
original wording is not shipped. No item of the Maslach Burnout Inventory is used anywhere.
"""

from __future__ import annotations

BURNOUT_QUESTION = (
    "Thinking of burnout in whatever way it means to you, which of these is closest to how "
    "you feel about your work right now?"
)
BURNOUT_CHOICES: tuple[tuple[int, str], ...] = (
    (1, "I like my work and notice no signs of burnout."),
    (2, "I am under some stress and have less energy than usual, but I am not burned out."),
    (3, "I am beginning to burn out: I notice at least one sign, such as feeling drained."),
    (4, "My signs of burnout are not going away, and work frustrations stay on my mind."),
    (5, "I feel fully burned out and may need help."),
)
BURNOUT_SHORT = {1: "No signs", 2: "Stressed", 3: "Beginning", 4: "Persisting", 5: "Fully"}

SUPPORTED_QUESTION = "How supported do you feel right now, at work and by the people around you?"
SUPPORTED_CHOICES: tuple[tuple[int, str], ...] = (
    (1, "Not at all supported"),
    (2, "A little supported"),
    (3, "Somewhat supported"),
    (4, "Well supported"),
    (5, "Very well supported"),
)

WORD_QUESTION = "One word for your week"
WORD_MAX_LENGTH = 30

OPPORTUNITY_PROMPT = "What opportunity does this open?"
PEER_PROMPT = "What would you tell your peer if it happened to them?"

SCALE = range(1, 6)
