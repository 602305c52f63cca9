"""The person's own trend chart: their burnout and feeling-supported answers over time."""

from __future__ import annotations

from django.utils import timezone

from tandem.core.charts import Chart, trend_chart
from tandem.wellbeing.models import Pulse


def own_trend_chart(pulses: list[Pulse]) -> Chart:
    """Oldest first. Higher burnout is worse; higher feeling-supported is better."""
    return trend_chart(
        title="Your check-ins",
        dates=[timezone.localtime(pulse.created_at).date() for pulse in pulses],
        series=[
            ("Burnout (1 none – 5 fully)", [pulse.burnout for pulse in pulses]),
            (
                "Feeling supported (1 not at all – 5 very well)",
                [pulse.supported for pulse in pulses],
            ),
        ],
        y_labels=["1", "2", "3", "4", "5"],
        empty_message="No check-ins yet.",
    )
