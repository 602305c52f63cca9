"""Coordinator pages for match rounds: settings, runs, review edits, compare, publish, pool.

Cohorts come through ``access_cohort`` and runs through ``access_match_run``: 404 for anyone
but the program's coordinators and the operator.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.accounts.models import User
from tandem.core.forms import add_service_errors
from tandem.core.http import AuthedRequest
from tandem.engine.defaults import COMPONENTS
from tandem.programs.policies import access_cohort
from tandem.programs.selectors import programs_coordinated_by
from tandem.rounds import policies, selectors, services, wording
from tandem.rounds.forms import ForbidForm, MatchSettingsForm, RunStartForm
from tandem.rounds.models import MatchRun


def _run_url(run: MatchRun) -> HttpResponse:
    return redirect("rounds:run", run.pk)


@login_required
def overview(request: AuthedRequest) -> HttpResponse:
    """Where a coordinator finds each cohort's match rounds."""
    coordinated = programs_coordinated_by(request.user).prefetch_related("cohorts")
    return render(request, "rounds/overview.html", {"programs": coordinated})


@login_required
def cohort_runs(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = access_cohort(request.user, slug, cohort_slug)
    matching = selectors.participants_for_matching(cohort)
    runs = list(selectors.runs_for_cohort(cohort))
    for run in runs:
        run.quality = wording.run_quality(run.metrics or {})  # type: ignore[attr-defined]
        run.placed = wording.share_placed(run.metrics or {})  # type: ignore[attr-defined]
    return render(
        request,
        "rounds/cohort_runs.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "runs": runs,
            "ready": len(matching.participants),
            "left_out": matching.left_out,
            "form": RunStartForm(mutual=cohort.mode == cohort.Mode.MUTUAL),
            "inline_limit": selectors.inline_limit(),
            "pool": selectors.rematch_pool(cohort),
        },
    )


@login_required
def match_settings(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = access_cohort(request.user, slug, cohort_slug)
    initial = {
        "response_days": cohort.response_days,
        "allow_previous_partners": cohort.allow_previous_partners,
        **{f"weight_{k}": cohort.match_weights.get(k, 0) for k in COMPONENTS},
    }
    form = MatchSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_match_settings_update(
                cohort=cohort,
                weights=form.weights(),
                response_days=form.cleaned_data["response_days"],
                allow_previous_partners=form.cleaned_data["allow_previous_partners"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Match settings saved.")
            return redirect("rounds:cohort_runs", slug, cohort_slug)
    return render(
        request,
        "rounds/match_settings.html",
        {"cohort": cohort, "program": cohort.program, "form": form},
    )


@login_required
@require_POST
def run_start(request: AuthedRequest, slug: str, cohort_slug: str) -> HttpResponse:
    cohort = access_cohort(request.user, slug, cohort_slug)
    form = RunStartForm(request.POST, mutual=cohort.mode == cohort.Mode.MUTUAL)
    if not form.is_valid():
        if "seed" in form.errors:
            messages.error(request, "Give a whole number from 0 as the seed.")
        else:
            messages.error(request, "Choose what comes first when no stable matching exists.")
        return redirect("rounds:cohort_runs", slug, cohort_slug)
    try:
        run = services.match_run_start(
            cohort=cohort,
            created_by=request.user,
            seed=form.cleaned_data["seed"] or 0,
            mutual_objective=form.objective(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rounds:cohort_runs", slug, cohort_slug)
    return _run_url(run)


@login_required
def run_detail(request: AuthedRequest, run_id: int) -> HttpResponse:
    """The review screen: every group with its score, breakdown, reasons and warnings."""
    run = policies.access_match_run(request.user, run_id)
    people = selectors.people_of_run(run)
    others = (
        selectors.runs_for_cohort(run.cohort)
        .exclude(pk=run.pk)
        .filter(
            status__in=[MatchRun.Status.DRAFT, MatchRun.Status.REVIEWED, MatchRun.Status.PUBLISHED]
        )
    )
    choices = sorted(((p["id"], p["name"]) for p in people.values()), key=lambda c: c[1])
    groups = selectors.run_groups(run)
    answers = selectors.answers_by_group(run) if run.published_at else {}
    for row in groups:
        row["answer"] = answers.get(row["group"].pk)
        row["fit"] = wording.group_fit(row["group"].components)
    return render(
        request,
        "rounds/run_detail.html",
        {
            "run": run,
            "cohort": run.cohort,
            "program": run.cohort.program,
            "groups": groups,
            "unmatched": [
                {**u, "name": people.get(u["id"], {}).get("name", f"#{u['id']}")}
                for u in run.unmatched
            ],
            "forbid_form": ForbidForm(people=choices),
            "forbids": [
                [people.get(a, {}).get("name", a), people.get(b, {}).get("name", b)]
                for a, b in run.forbids
            ],
            "others": others,
            "stale": services.match_run_is_stale(run),
            "superseded_by": selectors.superseded_by(run),
            "quality": wording.run_quality(run.metrics or {}),
            "placed": wording.share_placed(run.metrics or {}),
        },
    )


@login_required
def run_progress(request: AuthedRequest, run_id: int) -> HttpResponse:
    """The progress box the run page polls; once the run is done the whole page reloads."""
    run = policies.access_match_run(request.user, run_id)
    response = render(request, "rounds/partials/progress.html", {"run": run})
    if run.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


def _act(request: AuthedRequest, run: MatchRun, action: object, done: str) -> HttpResponse:
    try:
        action()  # type: ignore[operator]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return _run_url(run)


@login_required
@require_POST
def run_retry(request: AuthedRequest, run_id: int) -> HttpResponse:
    run = policies.access_match_run(request.user, run_id)
    return _act(
        request, run, lambda: services.match_run_retry(run=run, by=request.user), "Run retried."
    )


@login_required
@require_POST
def run_rerun(request: AuthedRequest, run_id: int) -> HttpResponse:
    run = policies.access_match_run(request.user, run_id)
    form = RunStartForm(request.POST)
    seed = form.cleaned_data["seed"] if form.is_valid() else None
    try:
        new = services.match_run_rerun(run=run, by=request.user, seed=seed)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _run_url(run)
    messages.success(request, "Re-run with your locked groups and forbidden pairs.")
    return _run_url(new)


@login_required
@require_POST
def run_reviewed(request: AuthedRequest, run_id: int) -> HttpResponse:
    run = policies.access_match_run(request.user, run_id)
    return _act(
        request,
        run,
        lambda: services.match_run_mark_reviewed(run=run, by=request.user),
        "Marked as reviewed.",
    )


@login_required
def run_publish(request: AuthedRequest, run_id: int) -> HttpResponse:
    """A confirmation page: what publishing sends to whom and what to look at first; publishing
    happens only when the coordinator ticks the confirmation and posts."""
    run = policies.access_match_run(request.user, run_id)
    if not run.is_editable:
        return _run_url(run)
    check = selectors.publish_check(run)
    confirmed = request.POST.get("confirm") == "yes"
    if request.method == "POST" and confirmed:
        return _act(
            request,
            run,
            lambda: services.match_run_publish(run=run, by=request.user),
            f"Published: {check.emails} people have been asked to accept their match.",
        )
    return render(
        request,
        "rounds/publish_confirm.html",
        {
            "run": run,
            "cohort": run.cohort,
            "program": run.cohort.program,
            "check": check,
            "unconfirmed": request.method == "POST",
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def group_lock(request: AuthedRequest, run_id: int, group_id: int) -> HttpResponse:
    run = policies.access_match_run(request.user, run_id)
    locked = request.POST.get("locked") == "1"
    return _act(
        request,
        run,
        lambda: services.match_group_lock(
            run=run, group_id=group_id, locked=locked, by=request.user
        ),
        "Group locked." if locked else "Group unlocked.",
    )


@login_required
@require_POST
def run_forbid(request: AuthedRequest, run_id: int) -> HttpResponse:
    run = policies.access_match_run(request.user, run_id)
    people = [(p["id"], p["name"]) for p in selectors.people_of_run(run).values()]
    form = ForbidForm(request.POST, people=people)
    if not form.is_valid():
        messages.error(request, "Pick two people of this run.")
        return _run_url(run)
    a, b = form.cleaned_data["a"], form.cleaned_data["b"]
    return _act(
        request,
        run,
        lambda: services.match_run_forbid(run=run, a=a, b=b, by=request.user),
        "Those two will be kept apart.",
    )


@login_required
def person_move(request: AuthedRequest, run_id: int, person_id: int) -> HttpResponse:
    """Where a person could go, with each group's new score; posting moves them."""
    run = policies.access_match_run(request.user, run_id)
    people = selectors.people_of_run(run)
    if person_id not in people:
        raise Http404
    if request.method == "POST":
        try:
            target = int(request.POST.get("group", ""))
        except ValueError:
            messages.error(request, "Pick a group.")
            return redirect("rounds:move", run.pk, person_id)
        return _act(
            request,
            run,
            lambda: services.match_run_move(
                run=run, person_id=person_id, to_group_id=target, by=request.user
            ),
            f"Moved {people[person_id]['name']}; both groups are locked.",
        )
    options = services.move_options(run, person_id) if run.is_editable else []
    names = {pid: p["name"] for pid, p in people.items()}
    for option in options:
        option["names"] = [names.get(m, m) for m in option["group"].member_ids]
    return render(
        request,
        "rounds/move.html",
        {"run": run, "person": people[person_id], "options": options},
    )


@login_required
def compare(request: AuthedRequest, run_id: int, other_id: int) -> HttpResponse:
    run = policies.access_match_run(request.user, run_id)
    other = policies.access_match_run(request.user, other_id)
    if other.cohort_id != run.cohort_id:
        raise Http404
    return render(
        request,
        "rounds/compare.html",
        {"run": run, "other": other, "comparison": selectors.runs_compare(run, other)},
    )


@login_required
def place(request: AuthedRequest, slug: str, cohort_slug: str, user_id: int) -> HttpResponse:
    """Place someone from the pool into an existing pair or circle, best fit first."""
    cohort = access_cohort(request.user, slug, cohort_slug)
    entry = next((e for e in selectors.rematch_pool(cohort) if e.user.pk == user_id), None)
    if entry is None:
        raise Http404
    if request.method == "POST":
        try:
            services.late_joiner_place(
                cohort=cohort,
                user=entry.user,
                partnership_id=int(request.POST.get("partnership", "0") or 0),
                by=request.user,
            )
        except (ValidationError, ValueError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else "Pick one."
            messages.error(request, text)
            return redirect("rounds:place", slug, cohort_slug, user_id)
        messages.success(
            request,
            f"The group has been asked. {entry.user.get_full_name()} is invited to join "
            "once every member agrees.",
        )
        return redirect("rounds:cohort_runs", slug, cohort_slug)
    try:
        options = services.placement_options(cohort=cohort, user=entry.user)
        problem = ""
    except ValidationError as error:
        options, problem = [], " ".join(error.messages)
    names = {
        u.pk: u.get_full_name()
        for u in User.objects.filter(pk__in=[m for o in options for m in o["members"]])
    }
    for option in options:
        option["names"] = [names.get(m, m) for m in option["members"]]
    return render(
        request,
        "rounds/place.html",
        {
            "cohort": cohort,
            "program": cohort.program,
            "entry": entry,
            "options": options,
            "problem": problem,
        },
    )
