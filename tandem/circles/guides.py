"""The session guides Tandem ships, written for peer circles in academic medicine.

They are data, not rows: every program sees them as they are here, marked Tandem-authored,
and may copy one into its own guides to edit it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GuideTopic:
    topic: str
    prompts: tuple[str, str, str]


@dataclass(frozen=True)
class TandemGuide:
    key: str
    title: str
    summary: str
    sessions: tuple[GuideTopic, ...]


ACADEMIC_CAREER = TandemGuide(
    key="academic-career",
    title="Academic career development, 8 sessions",
    summary=(
        "For residents, fellows and junior faculty building an academic career together: one "
        "session a month on the main thing, time, writing, money, visibility and promotion. "
        "Each member brings one concrete next step to every session."
    ),
    sessions=(
        GuideTopic(
            "Your main thing",
            (
                "In one sentence, what do you want to be known for in five years?",
                "Which of your current commitments serve that sentence, and which do not?",
                "What is one step toward it you will take before the next session?",
            ),
        ),
        GuideTopic(
            "Protecting time",
            (
                "Look at last week's calendar: how many hours went to your main thing?",
                "Which request do you find hardest to decline, and why?",
                "Draft together one sentence you can use to say no without burning a bridge.",
            ),
        ),
        GuideTopic(
            "Mentors, sponsors and the network",
            (
                "Who mentors you now, and who would speak for you in a room you are not in?",
                "Which gap in your network matters most for your next step?",
                "Name one person each of you will contact this month, and what you will ask.",
            ),
        ),
        GuideTopic(
            "Writing and publishing",
            (
                "What manuscript is closest to submission, and what is really stopping it?",
                "Share a writing routine that has worked for you, even briefly.",
                "Set a date by which a draft will go to a co-author; the circle will ask.",
            ),
        ),
        GuideTopic(
            "Funding and resources",
            (
                "Which internal grant, career award or departmental resource fits your next step?",
                "What would a reviewer say is the weakest part of your idea today?",
                "Offer each other one specific resource: a template, a contact, a deadline.",
            ),
        ),
        GuideTopic(
            "Teaching, clinical work and visibility",
            (
                "Which part of your clinical or teaching work could also count as scholarship?",
                "Where could your work be seen next: grand rounds, a workshop, a society meeting?",
                "Practise a two-minute description of your work; the circle gives one suggestion.",
            ),
        ),
        GuideTopic(
            "Setbacks and feedback",
            (
                "Share a rejection or a hard review from this year and what it taught you.",
                "What feedback have you had more than once and not yet acted on?",
                "How will you reframe the next setback before it comes?",
            ),
        ),
        GuideTopic(
            "Promotion and the next year",
            (
                "Read your institution's promotion criteria: which are you already meeting?",
                "What evidence is missing, and who can help you gather it?",
                "Write the main thing again: has it changed since the first session?",
            ),
        ),
    ),
)

WELLBEING_MEANING = TandemGuide(
    key="wellbeing-meaning",
    title="Wellbeing and meaning in medicine, 6 sessions",
    summary=(
        "For any stage from residency to faculty: a protected space to talk about what "
        "sustains you in medicine and what wears you down, in the spirit of small-group "
        "programs that have reduced burnout. Nothing said here leaves the circle."
    ),
    sessions=(
        GuideTopic(
            "Why medicine, why now",
            (
                "Tell the story of a moment that made you want to do this work.",
                "What part of your week still feels like that moment?",
                "What would you like this circle to be for you over the next six sessions?",
            ),
        ),
        GuideTopic(
            "Meaningful moments with patients",
            (
                "Share a recent encounter with a patient that stayed with you, and why.",
                "What did you need in that moment, and did you get it?",
                "How can you make more room for encounters like that in an ordinary week?",
            ),
        ),
        GuideTopic(
            "Mistakes, uncertainty and self-compassion",
            (
                "Share a mistake or near miss, only as much as you are comfortable sharing.",
                "What did you say to yourself afterwards? Would you say it to a colleague?",
                "What helps you carry uncertainty without carrying it alone?",
            ),
        ),
        GuideTopic(
            "Boundaries, rest and life outside work",
            (
                "What did you give up this year that you would like back?",
                "Which boundary do you keep well, and which keeps slipping?",
                "Choose one small, protected thing for the coming fortnight and tell the circle.",
            ),
        ),
        GuideTopic(
            "Belonging and the culture we work in",
            (
                "When have you felt you belonged in your department, and when not?",
                "What part of the culture around you would you change if you could?",
                "What is one thing within your reach that makes the place better for others?",
            ),
        ),
        GuideTopic(
            "What sustains us",
            (
                "Looking back over the sessions, what has changed for you, even slightly?",
                "Which practice or person will you keep leaning on after the circle ends?",
                "Say one thing you appreciated about each member of the circle.",
            ),
        ),
    ),
)

TANDEM_GUIDES: dict[str, TandemGuide] = {
    guide.key: guide for guide in (ACADEMIC_CAREER, WELLBEING_MEANING)
}
