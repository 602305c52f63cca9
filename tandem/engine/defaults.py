"""Default career ladder, topic list and scoring settings for a new program.

The web app imports these constants so that both the importer and the matching engine start
from the same vocabulary.
"""

from __future__ import annotations

DEFAULT_LADDER: tuple[str, ...] = (
    "MS1",
    "MS2",
    "MS3",
    "MS4",
    "PGY1",
    "PGY2",
    "PGY3",
    "PGY4",
    "PGY5",
    "PGY6",
    "PGY7",
    "Chief resident",
    "Fellow",
    "Instructor",
    "Assistant professor",
    "Associate professor",
    "Professor",
)

DEFAULT_TOPICS: tuple[str, ...] = (
    "research",
    "writing and publishing",
    "grants",
    "fellowship applications",
    "job search",
    "teaching",
    "clinical skills",
    "leadership",
    "quality improvement",
    "work-life integration",
    "parenting",
    "wellbeing",
    "finances",
    "negotiation",
    "networking",
    "diversity and inclusion",
    "career planning",
    "public speaking",
    "difficult conversations",
    "board preparation",
)

# Score components, in the order they are reported.
COMPONENTS: tuple[str, ...] = ("reciprocity", "goals", "stage", "specialty", "availability")

# Relative weights; reciprocity leads since a pair where only one side gains is not peer mentoring.
DEFAULT_WEIGHTS: dict[str, float] = {
    "reciprocity": 0.35,
    "goals": 0.25,
    "stage": 0.15,
    "specialty": 0.15,
    "availability": 0.10,
}

DEFAULT_MAX_STAGE_GAP = 1
DEFAULT_MIN_GROUP = 3
DEFAULT_TARGET_GROUP = 4
DEFAULT_MAX_GROUP = 5
DEFAULT_LOW_SCORE_WARNING = 35.0
# 0 = automatic: 30 best partners each up to 20,000 people, 12 beyond, where time matters more.
DEFAULT_CANDIDATE_K = 0
AUTO_CANDIDATE_K_SMALL = 30
AUTO_CANDIDATE_K_LARGE = 12
AUTO_CANDIDATE_K_LIMIT = 20_000
