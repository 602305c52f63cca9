"""A participant's own pages: check-ins and trend, the journal, and support resources.

Everything here reads only the signed-in person's own data; other people's objects are out of
reach because every fetch goes through the ``access_own_*`` selectors.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.core.forms import add_service_errors
from tandem.core.http import AuthedRequest
from tandem.wellbeing import policies, selectors, services
from tandem.wellbeing.charts import own_trend_chart
from tandem.wellbeing.forms import PulseForm, ReflectionForm, WellbeingSettingsForm
from tandem.workspace.policies import access_workspace


def _checkin_page(request: AuthedRequest, form: PulseForm, *, status: int = 200) -> HttpResponse:
    user = request.user
    own = selectors.settings_of(user)
    pulses = list(selectors.own_pulses(user)[:50])
    return render(
        request,
        "wellbeing/checkin.html",
        {
            "form": form,
            "is_participant": selectors.is_participant(user),
            "schedule": selectors.schedule_for(user),
            "pulses": pulses,
            "chart": own_trend_chart(list(reversed(pulses))),
            "settings_form": WellbeingSettingsForm(
                initial={"pulse_every_days": own.pulse_every_days}
            ),
            "reminders_wanted": selectors.wellbeing_reminders_wanted(user),
        },
        status=status,
    )


@login_required
def checkin(request: AuthedRequest) -> HttpResponse:
    """The check-in form (open when due), the person's trend and their history."""
    return _checkin_page(request, PulseForm())


@login_required
@require_POST
def checkin_save(request: AuthedRequest) -> HttpResponse:
    """Save a check-in; if it crosses the threshold, show support at once in this response."""
    form = PulseForm(request.POST)
    if not form.is_valid():
        return _checkin_page(request, form, status=400)
    try:
        pulse = services.pulse_record(user=request.user, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return _checkin_page(request, form, status=400)
    if selectors.crosses_threshold(request.user, burnout=pulse.burnout, supported=pulse.supported):
        return _support_page(request, after_checkin=True)
    messages.success(request, "Thank you for checking in.")
    return redirect("wellbeing:checkin")


@login_required
def trend_svg(request: AuthedRequest) -> HttpResponse:
    pulses = list(reversed(selectors.own_pulses(request.user)[:50]))
    return HttpResponse(own_trend_chart(pulses).svg, content_type="image/svg+xml")


@login_required
@require_POST
def pulse_share(request: AuthedRequest, pulse_id: int) -> HttpResponse:
    pulse = policies.access_own_pulse(request.user, pulse_id)
    shared = request.POST.get("shared") == "1"
    services.pulse_share_set(pulse=pulse, shared=shared)
    messages.success(
        request, "Shared with your partner(s)." if shared else "No longer shared with anyone."
    )
    return redirect("wellbeing:checkin")


@login_required
@require_POST
def pulse_delete(request: AuthedRequest, pulse_id: int) -> HttpResponse:
    services.pulse_delete(pulse=policies.access_own_pulse(request.user, pulse_id))
    messages.success(request, "Check-in deleted.")
    return redirect("wellbeing:checkin")


@login_required
@require_POST
def settings_save(request: AuthedRequest) -> HttpResponse:
    form = WellbeingSettingsForm(request.POST)
    if form.is_valid():
        services.wellbeing_settings_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Check-in schedule saved.")
    else:
        messages.error(request, "Choose one of the offered schedules.")
    return redirect("wellbeing:checkin")


def _support_page(request: AuthedRequest, *, after_checkin: bool = False) -> HttpResponse:
    support = selectors.support_for(request.user)
    return render(
        request,
        "wellbeing/support.html",
        {
            "support": support,
            "fallback_crisis_line": selectors.FALLBACK_CRISIS_LINE
            if selectors.needs_fallback_crisis_line(support)
            else None,
            "after_checkin": after_checkin,
            "partnerships": selectors.current_partnerships(request.user),
        },
    )


@login_required
def support(request: AuthedRequest) -> HttpResponse:
    return _support_page(request)


@login_required
def journal(request: AuthedRequest) -> HttpResponse:
    """The private journal: new entry with reframing prompts, and past entries."""
    form = ReflectionForm(request.POST or None, initial={"kind": "setback"})
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved to your journal. Only you can see it.")
            return redirect("wellbeing:journal")
    return render(
        request,
        "wellbeing/journal.html",
        {
            "form": form,
            "reflections": selectors.own_reflections(request.user),
            "partnerships": selectors.current_partnerships(request.user),
        },
    )


@login_required
def reflection_edit(request: AuthedRequest, reflection_id: int) -> HttpResponse:
    reflection = policies.access_own_reflection(request.user, reflection_id)
    form = ReflectionForm.for_reflection(reflection, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_update(reflection=reflection, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Entry saved.")
            return redirect("wellbeing:journal")
    return render(
        request, "wellbeing/reflection_form.html", {"form": form, "reflection": reflection}
    )


@login_required
@require_POST
def reflection_delete(request: AuthedRequest, reflection_id: int) -> HttpResponse:
    reflection = policies.access_own_reflection(request.user, reflection_id)
    services.reflection_delete(reflection=reflection)
    messages.success(request, "Entry deleted, and removed from any shared space.")
    return redirect("wellbeing:journal")


@login_required
@require_POST
def reflection_share(request: AuthedRequest, reflection_id: int) -> HttpResponse:
    reflection = policies.access_own_reflection(request.user, reflection_id)
    partnership_id = request.POST.get("partnership", "")
    if not partnership_id.isdigit():
        raise Http404
    partnership = access_workspace(request.user, int(partnership_id))
    if request.POST.get("shared") == "1":
        try:
            services.reflection_share(
                reflection=reflection, partnership=partnership, user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "A copy of this entry is now in your shared space.")
    else:
        services.reflection_unshare(reflection=reflection, partnership=partnership)
        messages.success(request, "Removed from your shared space.")
    return redirect("wellbeing:journal")
