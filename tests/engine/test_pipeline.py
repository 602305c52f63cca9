"""Whole runs on random cohorts: hard constraints, locks and forbids always hold, nobody is
placed twice, triads appear only when someone would otherwise be left out."""

from __future__ import annotations

import itertools

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.engine import (
    Constraints,
    ForbiddenPair,
    MatchConfig,
    MatchInputError,
    Participant,
    run_match,
    score_group,
)

TOPICS = ("research", "grants", "teaching", "leadership", "wellbeing")
GOALS = (
    "publish my first paper",
    "win a research grant",
    "become a better teacher",
    "lead a quality project",
    "",
)


@st.composite
def cohorts(draw: st.DrawFn, max_people: int = 13) -> tuple[list[Participant], Constraints]:
    n = draw(st.integers(0, max_people))
    people = []
    for k in range(n):
        people.append(
            Participant(
                id=f"p{k}",
                stage=draw(st.integers(0, 3)),
                specialty=draw(st.sampled_from(["", "Surgery", "Pediatrics"])),
                offers=frozenset(draw(st.sets(st.sampled_from(TOPICS), max_size=3))),
                seeks=frozenset(draw(st.sets(st.sampled_from(TOPICS), max_size=3))),
                main_thing=draw(st.sampled_from(GOALS)),
                specialty_preference=draw(st.sampled_from(["any", "same", "different"])),
                availability=frozenset(draw(st.sets(st.sampled_from(["mon-am", "tue-pm"])))),
            )
        )
    pairs = list(itertools.combinations(range(n), 2))
    forbidden = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=n * 2)) if pairs else []
    kinds = ["evaluator", "blocked", "previous_partner", "coordinator"]
    forbid = tuple(
        ForbiddenPair(f"p{a}", f"p{b}", draw(st.sampled_from(kinds)), "test") for a, b in forbidden
    )
    return people, Constraints(forbidden=forbid)


def feasible_graph(people: list[Participant], cons: Constraints, cfg: MatchConfig) -> nx.Graph:
    blocked = {
        frozenset((f.a, f.b))
        for f in cons.forbidden
        if not (f.kind == "previous_partner" and cfg.allow_previous_partners)
    }
    graph = nx.Graph()
    graph.add_nodes_from(p.id for p in people)
    for p, q in itertools.combinations(people, 2):
        if abs(p.stage - q.stage) <= cfg.max_stage_gap and frozenset((p.id, q.id)) not in blocked:
            graph.add_edge(p.id, q.id)
    return graph


def check_common(result, people, cons, cfg) -> None:
    graph = feasible_graph(people, cons, cfg)
    placed = [m for g in result.groups for m in g.members]
    assert len(placed) == len(set(placed)), "someone is in two groups"
    unmatched = [u.id for u in result.unmatched]
    assert set(placed).isdisjoint(unmatched)
    assert set(placed) | set(unmatched) == {p.id for p in people}
    for g in result.groups:
        for a, b in itertools.combinations(g.members, 2):
            assert graph.has_edge(a, b), f"{a} and {b} share a group against a hard constraint"
        assert 0 <= g.score <= 100
        assert all(0 <= v <= 1 + 1e-9 for v in g.components.values())
    m = result.metrics
    assert m.total <= m.upper_bound + 1e-6
    assert m.coverage == pytest.approx(len(placed) / len(people) if people else 1.0)
    for u in result.unmatched:
        assert u.reason


SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(cohorts(), st.booleans())
def test_pairs_respect_constraints_and_form_triads_only_when_needed(data, allow_prev) -> None:
    people, cons = data
    cfg = MatchConfig(mode="pairs", candidate_k=50, allow_previous_partners=allow_prev)
    result = run_match(people, cfg, cons)
    check_common(result, people, cons, cfg)
    graph = feasible_graph(people, cons, cfg)
    most = len(nx.max_weight_matching(graph, maxcardinality=True))
    sizes = [len(g.members) for g in result.groups]
    assert set(sizes) <= {2, 3}
    # One group per pair of a maximum matching; a triad only adds someone who had no pair.
    assert len(result.groups) == most
    assert sizes.count(3) + len(result.unmatched) == len(people) - 2 * most


@SETTINGS
@given(cohorts(), st.data())
def test_locks_are_kept_and_forbids_honoured(data, draw) -> None:
    people, cons = data
    cfg = MatchConfig(mode="pairs", candidate_k=50)
    graph = feasible_graph(people, cons, cfg)
    edges = sorted(tuple(sorted(e)) for e in graph.edges)
    locks = draw.draw(st.lists(st.sampled_from(edges), unique=True, max_size=2)) if edges else []
    chosen: list[tuple[str, str]] = []
    for lock in locks:
        if not any(set(lock) & set(c) for c in chosen):
            chosen.append(lock)
    cons = Constraints(forbidden=cons.forbidden, locked=tuple(chosen))
    result = run_match(people, cfg, cons)
    check_common(result, people, cons, cfg)
    groups = {frozenset(g.members): g for g in result.groups}
    for lock in chosen:
        assert frozenset(lock) in groups
        assert groups[frozenset(lock)].locked


@SETTINGS
@given(cohorts(max_people=16))
def test_circles_respect_constraints_and_sizes(data) -> None:
    people, cons = data
    cfg = MatchConfig(mode="circles", min_group=3, target_group=4, max_group=5)
    result = run_match(people, cfg, cons)
    check_common(result, people, cons, cfg)
    assert all(3 <= len(g.members) <= 5 for g in result.groups)


@SETTINGS
@given(cohorts())
def test_mutual_mode_reports_stability_and_respects_constraints(data) -> None:
    people, cons = data
    cfg = MatchConfig(mode="mutual", candidate_k=50)
    result = run_match(people, cfg, cons)
    check_common(result, people, cons, cfg)
    assert result.metrics.stable in (True, False)
    if result.metrics.stable:
        assert result.metrics.blocking_pairs == 0


@settings(max_examples=25, deadline=None)
@given(cohorts(), st.sampled_from(["pairs", "circles", "mutual"]))
def test_same_input_and_seed_give_the_same_output(data, mode) -> None:
    people, cons = data
    cfg = MatchConfig(mode=mode, seed=3)
    first = run_match(people, cfg, cons).to_json_dict()
    assert run_match(people, cfg, cons).to_json_dict() == first


def person(pid: str, stage: int = 4, **kw) -> Participant:
    return Participant(id=pid, stage=stage, **kw)


def test_reciprocal_pair_beats_one_sided_pair() -> None:
    a = person("a", offers=frozenset({"research"}), seeks=frozenset({"grants"}))
    b = person("b", offers=frozenset({"grants"}), seeks=frozenset({"research"}))
    c = person("c", offers=frozenset({"grants"}), seeks=frozenset({"teaching"}))
    cfg = MatchConfig()
    both = score_group([a, b, c], ["a", "b"], cfg)
    one_way = score_group([a, b, c], ["a", "c"], cfg)
    assert both.components["reciprocity"] == pytest.approx(1.0)
    assert one_way.components["reciprocity"] == 0.0
    assert both.score > one_way.score


def test_score_group_reports_broken_rules() -> None:
    people = [person("a", stage=0), person("b", stage=3), person("c", stage=0)]
    cons = Constraints(forbidden=(ForbiddenPair("a", "c", "evaluator", "a evaluates c"),))
    gs = score_group(people, ["a", "b", "c"], MatchConfig(), cons)
    assert not gs.feasible
    assert any("stages apart" in v for v in gs.violations)
    assert any("evaluator" in v for v in gs.violations)


def test_reasons_name_what_each_side_offers() -> None:
    sam = person(
        "s",
        name="Sam",
        offers=frozenset({"research"}),
        seeks=frozenset({"grants"}),
        main_thing="I want to strengthen my fellowship applications",
    )
    alex = person(
        "x",
        name="Alex",
        offers=frozenset({"grants"}),
        seeks=frozenset({"research"}),
        main_thing="Hoping to strengthen my fellowship applications this year",
    )
    result = run_match([sam, alex], MatchConfig(), Constraints())
    reasons = result.groups[0].reasons
    assert 2 <= len(reasons) <= 3
    text = " | ".join(reasons)
    assert (
        "offers the research mentoring Alex seeks" in text
        or "offers the grants mentoring Sam seeks" in text
    )
    assert "fellowship applications" in text


def test_odd_count_gives_one_triad_with_a_warning() -> None:
    people = [
        person(f"p{k}", offers=frozenset({"research"}), seeks=frozenset({"research"}))
        for k in range(5)
    ]
    result = run_match(people, MatchConfig(), Constraints())
    sizes = sorted(len(g.members) for g in result.groups)
    assert sizes == [2, 3]
    triad = next(g for g in result.groups if len(g.members) == 3)
    assert any(w.startswith("Triad:") for w in triad.warnings)


def test_truly_unmatchable_person_gets_a_reason() -> None:
    people = [person("a", stage=0), person("b", stage=0), person("c", stage=9)]
    result = run_match(people, MatchConfig(), Constraints())
    assert [u.id for u in result.unmatched] == ["c"]
    assert "within 1 stage" in result.unmatched[0].reason


def test_everyone_excluded_names_the_exclusions() -> None:
    people = [person("a"), person("b"), person("c")]
    cons = Constraints(
        forbidden=(
            ForbiddenPair("a", "b", "evaluator"),
            ForbiddenPair("a", "c", "previous_partner"),
        )
    )
    result = run_match(people, MatchConfig(), cons)
    (lonely,) = result.unmatched
    assert lonely.id == "a"
    assert "evaluator" in lonely.reason
    assert "previous partners" in lonely.reason


@pytest.mark.parametrize(
    ("locked", "needle"),
    [
        ((("a", "zz"),), "not a participant"),
        ((("a", "b"), ("b", "c")), "is in locked groups"),
        ((("a",),), "allows 2 to 3"),
        ((("a", "d"),), "stages apart"),
        ((("a", "c"),), "evaluator"),
    ],
)
def test_impossible_locks_are_refused(locked, needle) -> None:
    people = [person("a"), person("b"), person("c"), person("d", stage=9)]
    cons = Constraints(forbidden=(ForbiddenPair("a", "c", "evaluator"),), locked=locked)
    with pytest.raises(MatchInputError) as info:
        run_match(people, MatchConfig(), cons)
    assert any(needle in p for p in info.value.problems)


def test_mutual_mode_uses_given_rankings_and_reports_no_stable_matching() -> None:
    ranks = {"a": ("b", "c", "d"), "b": ("c", "a", "d"), "c": ("a", "b", "d"), "d": ("a", "b", "c")}
    people = [person(k, ranking=v) for k, v in ranks.items()]
    result = run_match(people, MatchConfig(mode="mutual"), Constraints())
    assert result.metrics.stable is False
    assert result.metrics.blocking_pairs >= 1
    assert any("No stable matching" in note for note in result.notes)
    assert len(result.groups) == 2


def test_json_shape_matches_the_documented_format() -> None:
    people = [person(f"p{k}") for k in range(4)]
    data = run_match(people, MatchConfig(), Constraints()).to_json_dict()
    assert set(data) >= {"groups", "unmatched", "metrics"}
    group = data["groups"][0]
    assert set(group) >= {"members", "score", "components", "reasons"}
    assert set(data["metrics"]) >= {"total", "mean", "min", "coverage", "blocking_pairs"}


def test_progress_reports_fractions_between_zero_and_one() -> None:
    seen: list[tuple[str, float]] = []
    people = [person(f"p{k}") for k in range(10)]
    run_match(people, MatchConfig(), Constraints(), progress=lambda s, f: seen.append((s, f)))
    assert seen
    assert all(0.0 <= f <= 1.0 for _, f in seen)
    assert {"scoring", "candidates", "explaining"} <= {s for s, _ in seen}


def test_circles_keep_locked_people_together() -> None:
    people = [person(f"p{k}", stage=k % 2, offers=frozenset({"research"})) for k in range(14)]
    cons = Constraints(locked=(("p0", "p1"), ("p2", "p4", "p6")))
    result = run_match(people, MatchConfig(mode="circles"), cons)
    for lock in cons.locked:
        (home,) = [g for g in result.groups if set(lock) & set(g.members)]
        assert set(lock) <= set(home.members)
        assert home.locked
    assert sum(len(g.members) for g in result.groups) == 14


def test_a_person_with_priority_is_paired_even_at_the_cost_of_score() -> None:
    # b may meet a or c, a and c may not meet: one pair only. The best-scoring pair is b and
    # c, which would leave a out; a has priority (their proposal was declined), so a is paired.
    a = person("a", offers=frozenset({"teaching"}), seeks=frozenset({"wellbeing"}))
    b = person("b", offers=frozenset({"research"}), seeks=frozenset({"grants"}))
    c = person("c", offers=frozenset({"grants"}), seeks=frozenset({"research"}))
    cons = Constraints(forbidden=(ForbiddenPair("a", "c", "blocked"),))
    plain = run_match([a, b, c], MatchConfig(), cons)
    assert [g.members for g in plain.groups] == [("b", "c")]
    assert [u.id for u in plain.unmatched] == ["a"]
    first = Participant(**{**a.__dict__, "priority": True})
    result = run_match([first, b, c], MatchConfig(), cons)
    assert [sorted(g.members) for g in result.groups] == [["a", "b"]]
    assert [u.id for u in result.unmatched] == ["c"]
    assert result.metrics.total < plain.metrics.total <= result.metrics.upper_bound
