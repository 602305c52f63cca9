"""Coordinator dashboard pages: per program and per cohort, with SVG charts and CSV downloads.

Programs and cohorts come through the program policies (404 for anyone but the program's
coordinators and the operator). Views only pass on what ``report`` returns: suppressed figures
and the operational check-in list.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import render

from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tandem.core.http import AuthedRequest
from tandem.engagement.figures import cohort_engagement
from tandem.insights import report
from tandem.programs import policies
from tandem.programs.models import Cohort
from tandem.programs.selectors import programs_coordinated_by

COHORT_CHARTS = ("funnel", "cadence", "goals")
COHORT_TABLES = (*COHORT_CHARTS, "checkins")
PROGRAM_TABLES = ("funnel", "goals")


def _weeks(request: AuthedRequest) -> int:
    try:
        weeks = int(request.GET.get("weeks", report.DEFAULT_CHECKIN_WEEKS))
    except ValueError:
        return report.DEFAULT_CHECKIN_WEEKS
    return min(max(weeks, 1), 52)


def _csv_response(
    request: AuthedRequest, text: str, *, target: Model, filename: str
) -> HttpResponse:
    audit_record(
        action=AuditEvent.Action.EXPORT,
        actor=request.user,
        target=target,
        request=request,
        format="csv",
        export=f"insights_{filename}",
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


@login_required
def programs(request: AuthedRequest) -> HttpResponse:
    """Where a coordinator finds each program's and each cohort's dashboard."""
    coordinated = programs_coordinated_by(request.user).prefetch_related("cohorts")
    return render(request, "insights/programs.html", {"programs": coordinated})


@login_required
def program(request: AuthedRequest, slug: str) -> HttpResponse:
    found = policies.access_program(request.user, slug)
    cohorts = list(Cohort.objects.filter(program=found).order_by("starts_on", "pk"))
    dashboard = report.program_dashboard(cohorts)
    return render(request, "insights/program.html", {"program": found, "dashboard": dashboard})


@login_required
def program_csv(request: AuthedRequest, slug: str) -> HttpResponse:
    found = policies.access_program(request.user, slug)
    table = request.GET.get("table", "")
    if table not in PROGRAM_TABLES:
        raise Http404
    cohorts = list(Cohort.objects.filter(program=found).order_by("starts_on", "pk"))
    dashboard = report.program_dashboard(cohorts)
    figure = dashboard.funnel if table == "funnel" else dashboard.goals
    text = figure.csv() if figure else "No cohorts yet\n"
    return _csv_response(request, text, target=found, filename=f"{found.slug}-{table}")


@login_required
def cohort(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    found = policies.access_cohort(request.user, slug, cohort_slug)
    dashboard = report.cohort_dashboard(found, weeks=_weeks(request))
    return render(
        request,
        "insights/cohort.html",
        {
            "program": found.program,
            "cohort": found,
            "dashboard": dashboard,
            "engagement": cohort_engagement(found),
            "charts": {
                "funnel": dashboard.funnel.chart(),
                "cadence": dashboard.cadence.chart(),
                "goals": dashboard.goals.chart(),
            },
        },
    )


def _cohort_figure(
    found: Cohort, name: str, weeks: int
) -> report.Funnel | report.Cadence | report.GoalProgress | report.CheckinList:
    if name == "funnel":
        return report.cohort_funnel(found)
    if name == "cadence":
        return report.cadence(found)
    if name == "goals":
        return report.cohort_goal_progress(found)
    return report.checkin_list(found, weeks=weeks)


@login_required
def cohort_svg(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    found = policies.access_cohort(request.user, slug, cohort_slug)
    chart = request.GET.get("chart", "")
    if chart not in COHORT_CHARTS:
        raise Http404
    figure = _cohort_figure(found, chart, report.DEFAULT_CHECKIN_WEEKS)
    if isinstance(figure, report.CheckinList):  # a list, not a chart
        raise Http404
    return HttpResponse(figure.chart().svg, content_type="image/svg+xml")


@login_required
def cohort_csv(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    found = policies.access_cohort(request.user, slug, cohort_slug)
    table = request.GET.get("table", "")
    if table not in COHORT_TABLES:
        raise Http404
    figure = _cohort_figure(found, table, _weeks(request))
    filename = f"{found.program.slug}-{found.slug}-{table}"
    return _csv_response(request, figure.csv(), target=found, filename=filename)
