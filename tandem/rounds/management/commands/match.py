from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.programs.models import Cohort
from tandem.rounds import selectors, services
from tandem.rounds.models import MatchRun


class Command(BaseCommand):
    help = (
        "Run a match round over a cohort in the database (--publish proposes the groups); "
        "for a roster CSV without a database use `tandem match ROSTER.csv`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cohort", required=True, help="Cohort short name (slug).")
        parser.add_argument(
            "--program", help="Program short name (slug); needed when cohorts share a name."
        )
        parser.add_argument("--seed", type=int, default=0, help="Seed (same seed, same groups).")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Propose every group and email the participants.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cohorts = Cohort.objects.select_related("program").filter(slug=options["cohort"])
        if options["program"]:
            cohorts = cohorts.filter(program__slug=options["program"])
        found = list(cohorts[:2])
        if not found:
            raise CommandError(f"No cohort {options['cohort']!r} found.")
        if len(found) > 1:
            raise CommandError(
                f"Several programs have a cohort {options['cohort']!r}; name one with --program."
            )
        cohort = found[0]
        try:
            run = services.match_run_start(
                cohort=cohort, created_by=None, seed=options["seed"], inline=True
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if run.status != MatchRun.Status.DRAFT:
            raise CommandError(f"Run #{run.pk} failed: {run.error}")
        people = selectors.people_of_run(run)
        metrics = run.metrics
        self.stdout.write(
            f"Run #{run.pk} of {cohort}: {run.groups.count()} groups, "
            f"total {metrics['total']:.1f}, lowest {metrics['min']:.1f}, "
            f"placed {metrics['coverage']:.0%}"
        )
        for group in run.groups.all():
            names = ", ".join(people[m]["name"] for m in group.member_ids)
            self.stdout.write(f"  {group.score:5.1f}  {names}")
        for row in run.unmatched:
            self.stdout.write(f"  not placed: {people[row['id']]['name']} — {row['reason']}")
        if options["publish"]:
            try:
                created = services.match_run_publish(run=run, by=None)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stdout.write(self.style.SUCCESS(f"Published {len(created)} proposals."))
        else:
            self.stdout.write("Draft only: review it in the web app, or rerun with --publish.")
