"""The workspace's pages grouped into four tabs, each with a line saying what it holds.

A phone shows the four tabs on one row; the pages of the open tab sit under it. Pages are named
by URL name, so the wellbeing and schedule pages that share the workspace frame join a tab
without this app importing theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    # Other views that belong to this page, such as a meeting's detail under "Meetings".
    also: tuple[str, ...] = ()
    writable_only: bool = False


@dataclass(frozen=True)
class Section:
    label: str
    about: str
    pages: tuple[Page, ...]


SECTIONS = (
    Section(
        "Overview",
        "Your main things, the next meeting, anything overdue, and the agreement you made "
        "together.",
        (
            Page("Overview", "workspace:home"),
            Page("Agreement", "workspace:agreement", also=("workspace:agreement_amend",)),
        ),
    ),
    Section(
        "Meet",
        "Plan your meetings, find times you are both free, and keep notes together.",
        (
            Page(
                "Meetings",
                "workspace:meetings",
                also=("workspace:meeting", "workspace:meeting_edit"),
            ),
            Page("When can we meet?", "schedules:windows", writable_only=True),
            Page("Notes", "workspace:notes", also=("workspace:note_edit", "workspace:note_delete")),
        ),
    ),
    Section(
        "Goals",
        "Each person's goals and the action items you agree on. Accountability sets side by "
        "side how each of you keeps your word: goals moved on, actions done on time, meetings "
        "kept.",
        (
            Page(
                "Goals",
                "workspace:goals",
                also=(
                    "workspace:goal",
                    "workspace:goal_edit",
                    "workspace:milestone_add",
                    "workspace:milestone_reach",
                    "workspace:goal_cheer",
                ),
            ),
            Page(
                "Action items",
                "workspace:actions",
                also=("workspace:action_edit", "workspace:action_done"),
            ),
            Page("Accountability", "workspace:accountability"),
        ),
    ),
    Section(
        "Support",
        "Encouragement for the long run: kudos you send each other, the check-ins you chose to "
        "share, and the Marathon, the ground you have covered together month by month.",
        (
            Page("Kudos", "wellbeing:kudos"),
            Page("Shared", "wellbeing:shared"),
            Page("Marathon", "wellbeing:marathon"),
        ),
    ),
)


@dataclass
class ShownPage:
    label: str
    url: str
    current: bool


@dataclass
class ShownSection:
    label: str
    about: str
    url: str
    current: bool
    pages: list[ShownPage]


def workspace_sections(
    *, partnership_id: int, view_name: str, writable: bool
) -> list[ShownSection]:
    """The tabs as one reader sees them: the open tab and page marked, write-only pages left
    out of an ended partnership."""
    shown = []
    for section in SECTIONS:
        pages = [
            ShownPage(
                page.label,
                reverse(page.url_name, args=[partnership_id]),
                view_name in (page.url_name, *page.also),
            )
            for page in section.pages
            if writable or not page.writable_only
        ]
        shown.append(
            ShownSection(
                section.label,
                section.about,
                pages[0].url,
                any(page.current for page in pages),
                pages,
            )
        )
    return shown
