"""API of schedules: a partnership's mutual free windows, start and end only.

Current members only (404 for anyone else, through the workspace's door); nothing in the
answer says which rotation or kind of block anyone is on.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from tandem.core.api import api_user
from tandem.schedules import policies, selectors

router = Router(tags=["schedules"])


class WindowOut(Schema):
    start: dt.datetime
    end: dt.datetime


class WindowsQuery(Schema):
    weeks: int = Field(8, ge=1, le=selectors.MAX_WEEKS)


@router.get("/partnerships/{partnership_id}/windows", response=list[WindowOut])
def partnership_windows(
    request: HttpRequest, partnership_id: int, query: Query[WindowsQuery]
) -> list[WindowOut]:
    """The partnership's mutual free windows over the next ``weeks`` weeks, soonest first."""
    partnership = policies.access_windows(api_user(request), partnership_id)
    found = selectors.partnership_windows(partnership, weeks=query.weeks)
    return [WindowOut(start=w.start, end=w.end) for w in found]
