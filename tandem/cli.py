"""The ``tandem`` command: Tandem's own verbs, and every Django management command.

``tandem match ROSTER.csv`` and ``tandem solve EDGES.csv`` run the matching engine on files
with no database; everything else runs inside the Django project, with the settings module
named by ``DJANGO_SETTINGS_MODULE``, or else the development settings, except ``tandem serve``,
which serves the production settings unless it is given ``--dev``.
"""

from __future__ import annotations

import os
import sys

VERBS = {
    "demo": "load the demo institution and serve it on http://127.0.0.1:8000",
    "demo-code": "print the demo operator's current two-factor code (local demo only)",
    "serve": "serve Tandem with gunicorn (production settings; --dev for development)",
    "worker": "run background tasks (reminders, emails, large match runs, exports)",
    "import-roster": "import a roster CSV into a cohort (all rows or none)",
    "import-schedules": "import a program's block-schedule CSV (all rows or none)",
    "match": "match a roster CSV offline, or a cohort with --cohort SLUG",
    "solve": "maximum-weight matching of your own scored pairs (a,b,weight CSV)",
    "export": "de-identified research export of a cohort (--cohort SLUG --format csv|redcap)",
    "report": "write a cohort's evaluation report as HTML (--cohort SLUG [--out FILE])",
    "import-outcomes": "import an outcomes CSV into a program (all rows or none)",
    "summary-package": "write a cohort's de-identified evaluation summary (JSON) for pooling",
    "meta": "pool summary packages from several sites (random effects, forest plots)",
    "tick": "queue due periodic jobs (for cron, when workers run with --no-schedule)",
    "rotate-keys": "re-encrypt private content under the newest field key",
    "backup": "back up the database into an archive sealed with TANDEM_BACKUP_KEY",
    "restore": "check and restore a backup archive into an empty database (--force to replace)",
    "sso-add": "connect an institution's identity provider (oidc or saml)",
    "sso-list": "list institutional sign-ins and the addresses to give their providers",
    "sso-domains": "set the email domains an institution's sign-in speaks for",
    "generate-secret-key": "print a new SECRET_KEY",
    "generate-field-key": "print a new field-encryption key",
    "generate-backup-key": "print a new backup key (TANDEM_BACKUP_KEY)",
}

DEVELOPMENT_SETTINGS = "tandem.settings.base"
PRODUCTION_SETTINGS = "tandem.settings.production"

USAGE = (
    "usage: tandem VERB [options]\n\nTandem verbs:\n"
    + "".join(f"  {verb:<20} {text}\n" for verb, text in VERBS.items())
    + "\nAny Django management command works too (tandem migrate, tandem createsuperuser, …).\n"
)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(USAGE)
        return 0
    verb, rest = args[0], args[1:]
    if verb in ("match", "solve") and "--cohort" not in rest:
        # Imported here so that matching files offline loads no Django.
        from tandem.engine import cli as engine_cli

        run = engine_cli.match_main if verb == "match" else engine_cli.solve_main
        return run(rest)
    chosen = "DJANGO_SETTINGS_MODULE" not in os.environ
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_settings(verb, rest))
    # Imported after DJANGO_SETTINGS_MODULE is set, as Django requires.
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings module, which checks itself
    except ImproperlyConfigured as error:
        module = os.environ["DJANGO_SETTINGS_MODULE"]
        sys.stderr.write(f"tandem: the settings {module} cannot start: {error}\n")
        if chosen and module == PRODUCTION_SETTINGS:
            sys.stderr.write(
                "`tandem serve` serves the production settings, which take their values from the "
                "environment (see Configuration in the README); `tandem serve --dev` serves the "
                "development settings on this machine.\n"
            )
        return 2

    command = verb.replace("-", "_") if verb in VERBS else verb
    execute_from_command_line(["tandem", command, *rest])
    return 0


def default_settings(verb: str, rest: list[str]) -> str:
    """Serving is production unless asked otherwise; every other verb, and help, defaults to
    development."""
    if verb == "serve" and not {"--dev", "-h", "--help"} & set(rest):
        return PRODUCTION_SETTINGS
    return DEVELOPMENT_SETTINGS


if __name__ == "__main__":
    raise SystemExit(main())
