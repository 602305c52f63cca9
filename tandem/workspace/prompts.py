"""The agenda prompts that rotate from one meeting to the next."""

from __future__ import annotations

AGENDA_PROMPTS = (
    "Wins: what went well since you last met? Name one each, however small.",
    "Setbacks: what did not go to plan — and what opportunity does it open?",
    "Main-thing check-in: is each of your main things still the main thing, "
    "and did your time go to it?",
    "Feedback for each other: one thing to keep doing, one thing to try differently.",
)


def agenda_prompt(meeting_number: int) -> str:
    """Meeting 1 gets the first prompt, meeting 5 the first again, and so on."""
    return AGENDA_PROMPTS[(max(meeting_number, 1) - 1) % len(AGENDA_PROMPTS)]
