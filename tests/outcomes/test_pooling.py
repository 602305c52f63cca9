"""Summary packages of an evaluation, and pooling them across sites with `tandem meta`."""

from __future__ import annotations

import datetime as dt
import io
import json
import math

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from statsmodels.stats.meta_analysis import combine_effects

from tandem.demo import institution as demo
from tandem.demo.outcomes import PAST_COHORT_SLUG
from tandem.outcomes.pooling import SCHEMA_PATH, PackageError, read_package, summary_package
from tandem.outcomes.report import evaluation_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def packages(tmp_path):
    """Three sites' packages built from the demo (follow-up ending on three different days)."""
    program = demo.load_demo()
    cohort = program.cohorts.get(slug=PAST_COHORT_SLUG)
    today = timezone.localdate()
    paths = []
    for index, site in enumerate(("Riverside", "Lakeside", "Hilltop")):
        path = tmp_path / f"{site}.json"
        call_command(
            "summary_package",
            cohort=cohort.slug,
            site=site,
            as_of=today - dt.timedelta(days=75 * index),
            out=path,
            stdout=io.StringIO(),
        )
        paths.append(path)
    return program, paths


def test_tandem_meta_pools_three_sites_as_statsmodels_does_by_hand(packages, tmp_path):
    _, paths = packages
    out = io.StringIO()
    call_command("meta", *map(str, paths), forest_dir=tmp_path / "forest", stdout=out)
    loaded = [json.loads(path.read_text()) for path in paths]
    effects = np.array([p["estimates"]["hazard_ratio_leaving"]["estimate"] for p in loaded])
    errors = np.array([p["estimates"]["hazard_ratio_leaving"]["standard_error"] for p in loaded])
    by_hand = combine_effects(effects, errors**2, method_re="chi2")
    low, high = by_hand.conf_int(use_t=False)[1]
    line = next(
        row for row in out.getvalue().splitlines() if row.startswith("Hazard ratio of leaving")
    )
    pooled = math.exp(by_hand.mean_effect_re)
    assert f"{pooled:.3f} (95% CI {math.exp(low):.3f} to {math.exp(high):.3f})" in line
    assert "3 sites" in line
    assert f"I² = {100 * by_hand.i2:.0f}%" in line
    svg = (tmp_path / "forest" / "forest-hazard_ratio_leaving.svg").read_text()
    assert svg.lstrip().startswith("<?xml") or "<svg" in svg
    assert "Riverside" in svg


def test_a_package_holds_aggregates_only(packages):
    program, paths = packages
    text = paths[0].read_text()
    package = read_package(text)
    assert set(package) <= set(json.loads(SCHEMA_PATH.read_text())["properties"])
    assert package["groups"]["participants"] > 10
    assert package["groups"]["comparison"] > 10
    for profile in program.profiles.select_related("user")[:20]:
        assert profile.user.email not in text
        assert profile.user.full_name not in text


def test_no_package_leaves_when_a_group_has_ten_people_or_fewer(cast):
    cohort = cast.cohort
    cohort.starts_on = timezone.localdate() - dt.timedelta(days=400)
    cohort.save(update_fields=["starts_on"])
    with pytest.raises(PackageError, match="at least 11"):
        summary_package(evaluation_report(cohort), site="Riverside")
    with pytest.raises(CommandError, match="at least 11"):
        call_command("summary_package", cohort=cohort.slug, stdout=io.StringIO())


def test_tandem_meta_refuses_a_package_with_a_small_group(tmp_path):
    package = {
        "schema": "tandem-evaluation-summary/1",
        "site": "Tiny",
        "cohort_start_year": 2024,
        "design": "landmark",
        "groups": {"participants": 10, "comparison": 40},
        "estimates": {},
    }
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(package))
    with pytest.raises(CommandError, match="at least 11"):
        call_command("meta", str(path), str(path), stdout=io.StringIO())
