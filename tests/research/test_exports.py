from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.accounts.models import User
from tandem.programs.models import Profile
from tandem.research import exports, services
from tandem.research.models import ResearchConsent
from tests import factories
from tests.research.helpers import crowd, protocol_for

pytestmark = pytest.mark.django_db

STAGES = ("PGY1", "PGY2", "PGY3", "Fellow", "Assistant professor", "MS3")
SPECIALTIES = ("Internal Medicine", "Surgery", "Pediatrics", "Dermatology", "Psychiatry")
INSTITUTIONS = ("Riverside University Health", "Lakeside Clinic", "Hilltop Medical Center")
QUASI = ("stage", "specialty", "enrolment_year", "institution")


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def mixed_people(count: int, offset: int = 0) -> list[tuple[str, str, str]]:
    return [
        (
            STAGES[(n + offset) % len(STAGES)],
            SPECIALTIES[(n * 7 + offset) % len(SPECIALTIES)],
            INSTITUTIONS[(n * 3) % len(INSTITUTIONS)],
        )
        for n in range(count)
    ]


# What HIPAA's Safe Harbor method lists, as patterns over exported values.
IDENTIFIER_PATTERNS = {
    "email": re.compile(r"[^@\s]+@[^@\s]+\.\w+"),
    "phone or fax": re.compile(r"\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}|\b\d{3}-\d{4}\b"),
    "date finer than a year": re.compile(
        r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|"
        r"Nov|Dec)[a-z]* \d{1,2}\b"
    ),
    "url": re.compile(r"https?://|www\.", re.IGNORECASE),
    "ip address": re.compile(r"\b\d{1,3}(\.\d{1,3}){3}\b|\b[0-9a-f]{1,4}(:[0-9a-f]{1,4}){7}\b"),
    "social security or record number": re.compile(r"\b\d{3}-\d{2}-\d{4}\b|\bMRN\b", re.I),
    "zip code": re.compile(r"\b\d{5}(-\d{4})?\b"),
    "street address": re.compile(r"\d+ \w+ (Street|St|Avenue|Ave|Road|Rd)\b", re.I),
}


def scan(text_by_file: dict[str, str], people: list[User]) -> list[str]:
    """Every finding of an identifier type in any value of any exported file."""
    findings = []
    known = []
    for user in people:
        profile = Profile.objects.filter(user=user).first()
        known += [user.email, user.full_name, *user.full_name.split(" ")]
        if profile:
            known += [profile.roster_id, profile.main_thing]
    pks = {str(user.pk) for user in people}
    for name, text in text_by_file.items():
        if not name.endswith(".csv"):
            continue
        reader = csv.reader(io.StringIO(text))
        header = next(reader)
        for row in reader:
            for column, value in zip(header, row, strict=True):
                for kind, pattern in IDENTIFIER_PATTERNS.items():
                    if pattern.search(value):
                        findings.append(f"{name}:{column}: {kind} in {value!r}")
                for fragment in known:
                    if fragment and re.search(rf"\b{re.escape(fragment)}\b", value, re.I):
                        findings.append(f"{name}:{column}: personal value {fragment!r}")
                if column == "record_id" and value in pks:
                    findings.append(f"{name}: record_id is a database id")
    return findings


@pytest.fixture
def study(cast):
    people = crowd(cast.cohort, mixed_people(60))
    crowd(cast.cohort, mixed_people(15, 1), decision=ResearchConsent.Decision.DECLINED, prefix="d")
    crowd(cast.cohort, mixed_people(8, 2), decision=None, prefix="n")
    return people


@pytest.mark.parametrize("fmt", ["csv", "redcap"])
def test_exports_hold_no_safe_harbor_identifier(cast, study, fmt):
    everyone = list(User.objects.all())
    files = exports.export_files(exports.build_dataset(cast.cohort), fmt)
    assert scan(files, everyone) == []


def test_the_scanner_finds_identifiers_when_they_are_there(cast, study):
    person = study[0]
    leaky = {
        "dataset.csv": "record_id,contact,seen,where\n"
        f"{person.pk},{person.email},2026-03-14,http://example.org/x\n"
    }
    findings = "\n".join(scan(leaky, study))
    for kind in ("email", "date finer than a year", "url", "record_id is a database id"):
        assert kind in findings


def test_only_consenting_people_are_exported_and_withdrawal_is_honoured(cast, study):
    protocol = protocol_for(cast.cohort)
    protocol.longitudinal = True  # so the withdrawn people's ids can be looked for
    protocol.save()
    dataset = exports.build_dataset(cast.cohort)
    assert dataset.consenting == 60
    assert len(dataset.records) == 60
    withdrawing = study[:5]
    for user in withdrawing:
        services.research_consent_record(protocol=protocol, user=user, decision="withdrawn")
    after = exports.build_dataset(cast.cohort)
    assert len(after.records) == 55
    gone = {exports.study_id(protocol, user.pk) for user in withdrawing}
    assert gone.isdisjoint(record["record_id"] for record in after.records)
    # History is kept: consent, then withdrawal.
    assert list(
        ResearchConsent.objects.filter(protocol=protocol, user=study[0]).values_list(
            "decision", flat=True
        )
    ) == ["withdrawn", "consented"]


def test_study_ids_are_keyed_hashes_stable_within_a_study(cast, study, settings):
    protocol = protocol_for(cast.cohort)
    first = exports.study_id(protocol, study[0].pk)
    assert first == exports.study_id(protocol, study[0].pk)
    assert str(study[0].pk) not in first
    settings.RESEARCH_ID_KEY = "another-key"
    assert exports.study_id(protocol, study[0].pk) != first


def test_two_exports_of_a_study_share_no_study_id(cast, study):
    first = {record["record_id"] for record in exports.build_dataset(cast.cohort).records}
    second = {record["record_id"] for record in exports.build_dataset(cast.cohort).records}
    assert len(first) == len(second) == 60
    assert first.isdisjoint(second)


def test_one_export_uses_one_study_id_per_person_in_every_file(cast, study):
    dataset = exports.build_dataset(cast.cohort)
    plain = exports.export_files(dataset, "csv")
    redcap = exports.export_files(dataset, "redcap")
    ids = {row["record_id"] for row in rows_of(plain["dataset.csv"])}
    assert ids == {row["record_id"] for row in rows_of(redcap["redcap_records.csv"])}
    assert len(ids) == 60


def test_a_longitudinal_study_keeps_each_persons_study_id_across_exports(cast, study):
    protocol = protocol_for(cast.cohort)
    protocol.longitudinal = True
    protocol.save()
    first = {record["record_id"] for record in exports.build_dataset(cast.cohort).records}
    second = {record["record_id"] for record in exports.build_dataset(cast.cohort).records}
    assert first == second == {exports.study_id(protocol, person.pk) for person in study}


def test_the_longitudinal_design_is_declared_before_the_start_and_locked_with_the_protocol(cast):
    future = factories.CohortFactory(
        program=cast.program, starts_on=timezone.localdate() + dt.timedelta(days=30)
    )
    protocol = services.study_protocol_save(
        cohort=future, title="T", information="I", outcomes="Retention", longitudinal=True
    )
    assert protocol.longitudinal
    future.starts_on = timezone.localdate()
    future.save()
    with pytest.raises(ValidationError, match="locked"):
        services.study_protocol_save(
            cohort=future, title="T", information="I", outcomes="Retention", longitudinal=False
        )
    protocol.refresh_from_db()
    assert protocol.longitudinal


def test_every_quasi_identifier_combination_holds_at_least_eleven_people(cast, study):
    dataset = exports.build_dataset(cast.cohort)
    records = rows_of(exports.dataset_csv(dataset))
    groups: dict[tuple[str, ...], int] = {}
    for record in records:
        key = tuple(record[name] for name in QUASI)
        groups[key] = groups.get(key, 0) + 1
    assert min(groups.values()) >= exports.K


def test_fewer_than_eleven_consenting_people_release_nothing(cast):
    crowd(cast.cohort, mixed_people(7))
    dataset = exports.build_dataset(cast.cohort)
    assert dataset.consenting == 7
    assert dataset.records == ()
    assert "Fewer than 11" in exports.readme(dataset, "csv")


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(
        st.tuples(
            st.sampled_from(STAGES), st.sampled_from(SPECIALTIES), st.sampled_from(INSTITUTIONS)
        ),
        min_size=0,
        max_size=70,
    )
)
def test_k_anonymity_holds_for_random_cohorts(people):
    cohort = factories.CohortFactory()
    crowd(cohort, people, prefix=f"h{cohort.pk}-")
    dataset = exports.build_dataset(cohort)
    if len(people) < exports.K:
        assert dataset.records == ()
        return
    groups: dict[tuple[str, ...], int] = {}
    for record in dataset.records:
        key = tuple(record[name] for name in QUASI)
        groups[key] = groups.get(key, 0) + 1
    assert min(groups.values()) >= exports.K
    assert len(dataset.records) == len(people)


def test_redcap_dictionary_has_the_eighteen_standard_columns_and_codes_choices(cast, study):
    dataset = exports.build_dataset(cast.cohort)
    dictionary = list(csv.reader(io.StringIO(exports.redcap_dictionary_csv(dataset))))
    assert dictionary[0] == list(exports.REDCAP_HEADER)
    assert len(dictionary[0]) == 18
    assert dictionary[1][0] == "record_id"
    fields = {row[0]: row for row in dictionary[1:]}
    arm = fields["arm"]
    assert arm[3] == "dropdown"
    codes = dict(
        (label.strip(), code.strip())
        for code, label in (choice.split(",", 1) for choice in arm[5].split("|"))
    )
    assert codes["not_randomised"] == "3"
    records = rows_of(exports.redcap_records_csv(dataset))
    assert next(iter(records[0])) == "record_id"
    assert set(records[0]) == set(fields)
    assert {record["arm"] for record in records} == {"3"}
    for name, row in fields.items():
        if row[3] == "dropdown":
            allowed = {choice.split(",", 1)[0].strip() for choice in row[5].split("|")}
            assert {record[name] for record in records} <= allowed | {""}
        if row[7] == "integer":
            assert all(record[name].isdigit() for record in records)


def test_codebook_describes_every_exported_column(cast, study):
    dataset = exports.build_dataset(cast.cohort)
    described = {row["variable"] for row in rows_of(exports.codebook_csv(dataset))}
    exported = set(rows_of(exports.dataset_csv(dataset))[0])
    assert exported == described


def test_other_apps_can_register_a_column_source(cast, study):
    column = exports.Column("survey_score", "Survey score", "integer", "A score.")
    exports.register_source(
        "survey_test",
        lambda cohort, people: {p: {"survey_score": 3} for p in people},
        columns=[column],
    )
    try:
        dataset = exports.build_dataset(cast.cohort)
        assert {record["survey_score"] for record in dataset.records} == {"3"}
    finally:
        exports._SOURCES.pop("survey_test")
