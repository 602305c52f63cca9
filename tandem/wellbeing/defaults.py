"""The support resources every new program starts with, marked as examples to check.

Both are United States services, checked against their own published descriptions; programs
elsewhere replace them (docs/instruments.md).
"""

from __future__ import annotations

from typing import Any

CRISIS_LINE_988: dict[str, Any] = {
    "name": "988 Suicide & Crisis Lifeline (United States)",
    "kind": "crisis",
    "description": "Call or text 988, or chat online. Free and confidential, for anyone in "
    "emotional distress or suicidal crisis.",
    "phone": "988",
    "url": "https://988lifeline.org",
    "hours": "24 hours a day, 7 days a week",
    "order": 0,
}
PHYSICIAN_SUPPORT_LINE: dict[str, Any] = {
    "name": "Physician Support Line (United States)",
    "kind": "other",
    "description": "Free, confidential peer support for physicians and medical students "
    "from volunteer psychiatrists. No appointment needed.",
    "phone": "1-888-409-0141",
    "url": "https://www.physiciansupportline.com",
    "hours": "8 am to 1 am Eastern time, 7 days a week",
    "order": 1,
}
DEFAULT_RESOURCES = (CRISIS_LINE_988, PHYSICIAN_SUPPORT_LINE)
