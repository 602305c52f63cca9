"""Tandem under load: participants working in their workspaces, coordinators watching cohorts.

Run by ``load/run.py`` against a database filled by ``load/fill.py``. Each simulated person
signs in through the real sign-in form, then works like a person with the pages: reading
their workspace, writing notes, goals and action items, checking in. Every request is
recorded (name, kind, milliseconds, ok) and written as JSON to $TANDEM_LOAD_RESULTS at the end.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from typing import Any

from locust import HttpUser, between, events, task

from load.fill import (
    COHORT_SLUGS,
    COORDINATORS_PER_PROGRAM,
    PASSWORD,
    coordinator_email,
    participant_email,
    program_count,
    program_slug,
)

# The coordinator's insights dashboard of a cohort: funnel, cadence and check-in list.
COORDINATOR_DASHBOARD_URL = "/programs/{program}/cohorts/{cohort}/insights/"

PARTICIPANTS = int(os.environ.get("TANDEM_LOAD_PARTICIPANTS", "10000"))
RESULTS_PATH = os.environ.get("TANDEM_LOAD_RESULTS", "")
WORKSPACE_LINK = re.compile(r'href="/partnerships/(\d+)/"')
OWN_OPTION = re.compile(r'<option value="(\d+)" selected>')

# Spread the simulated people over every program and cohort, deterministically.
_people = itertools.count()
_rng = random.Random(2026)
recorded: list[dict[str, Any]] = []
# When the last simulated person finished signing in: the steady state the targets apply to.
signed_in: list[float] = []
ready_at: list[float] = []


@events.request.add_listener
def record(
    name: str, response_time: float, exception: Exception | None, start_time: float, **_: Any
) -> None:
    recorded.append(
        {"name": name, "ms": response_time, "ok": exception is None, "start": start_time}
    )


@events.quitting.add_listener
def save(**_: Any) -> None:
    if RESULTS_PATH:
        with open(RESULTS_PATH, "w") as results:
            json.dump(
                {"ready_at": ready_at[0] if ready_at else None, "requests": recorded}, results
            )


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 4)

    def started(self) -> None:
        signed_in.append(time.time())
        runner = self.environment.runner
        if not ready_at and runner is not None and len(signed_in) >= runner.target_user_count:
            ready_at.append(signed_in[-1])

    def sign_in(self, email: str) -> None:
        self.client.get("/accounts/login/", name="sign-in: form")
        with self.client.post(
            "/accounts/login/",
            {
                "login": email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name="sign-in: submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")

    def read(self, url: str, name: str) -> str:
        with self.client.get(url, name=f"read: {name}", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{url} answered {response.status_code}")
            return response.text or ""

    def write(self, url: str, name: str, form: dict[str, Any], *, expect: int = 302) -> None:
        form = {**form, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        with self.client.post(
            url, form, name=f"write: {name}", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != expect:
                response.failure(f"{url} answered {response.status_code}")


class Participant(Person):
    """A participant with an active partnership and a signed agreement."""

    weight = 9

    def on_start(self) -> None:
        index = (next(_people) * 7919) % PARTICIPANTS  # a prime stride over everyone
        self.sign_in(participant_email(index))
        found = WORKSPACE_LINK.search(self.read("/partnerships/", "workspace list"))
        self.workspace = f"/partnerships/{found.group(1)}/" if found else "/partnerships/0/"
        owner = OWN_OPTION.search(self.read(self.workspace + "actions/", "action items"))
        self.user_id = owner.group(1) if owner else "0"
        self.started()

    @task(3)
    def home(self) -> None:
        self.read("/", "home")

    @task(4)
    def workspace_home(self) -> None:
        self.read(self.workspace, "workspace")

    @task(4)
    def notes(self) -> None:
        self.read(self.workspace + "notes/", "notes")

    @task(3)
    def goals(self) -> None:
        self.read(self.workspace + "goals/", "goals")

    @task(2)
    def action_items(self) -> None:
        self.read(self.workspace + "actions/", "action items")

    @task(2)
    def meetings(self) -> None:
        self.read(self.workspace + "meetings/", "meetings")

    @task(2)
    def checkin_page(self) -> None:
        self.read("/wellbeing/", "check-in")

    @task(2)
    def write_note(self) -> None:
        body = "Load test: we talked about the next deadline and what gets in the way."
        self.write(self.workspace + "notes/", "note", {"body": body})

    @task(1)
    def write_goal(self) -> None:
        form = {"title": "Load test goal", "measure": "Done when sent", "serves_main_thing": "on"}
        self.write(self.workspace + "goals/", "goal", form)

    @task(1)
    def write_action_item(self) -> None:
        form = {"text": "Load test: send the draft", "owner": self.user_id, "goal": ""}
        self.write(self.workspace + "actions/", "action item", form)

    @task(1)
    def check_in(self) -> None:
        # Answers below the support threshold, so the check-in redirects like most do.
        form = {"burnout": _rng.choice((1, 2)), "supported": _rng.choice((3, 4, 5)), "word": "ok"}
        self.write("/wellbeing/check-in/", "check-in", form)


class Coordinator(Person):
    """A coordinator looking over a program and its cohorts."""

    weight = 1

    def on_start(self) -> None:
        number = next(_people)
        self.program_index = number % program_count(PARTICIPANTS)
        self.sign_in(coordinator_email(self.program_index, number % COORDINATORS_PER_PROGRAM))
        self.program = program_slug(self.program_index)
        self.started()

    @task(2)
    def program_page(self) -> None:
        self.read(f"/programs/{self.program}/", "program")

    @task(3)
    def dashboard(self) -> None:
        cohort = _rng.choice(COHORT_SLUGS)
        url = COORDINATOR_DASHBOARD_URL.format(program=self.program, cohort=cohort)
        self.read(url, "cohort dashboard")

    @task(1)
    def cohort_overview(self) -> None:
        cohort = _rng.choice(COHORT_SLUGS)
        self.read(f"/programs/{self.program}/cohorts/{cohort}/", "cohort overview")

    @task(1)
    def cohort_partnerships(self) -> None:
        cohort = _rng.choice(COHORT_SLUGS)
        self.read(f"/programs/{self.program}/cohorts/{cohort}/partnerships/", "cohort partnerships")
