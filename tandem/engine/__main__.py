"""Run the engine's commands as ``python -m tandem.engine match|solve ...``.

This mirrors the ``tandem match`` and ``tandem solve`` console commands for environments
where the package is not installed.
"""

from __future__ import annotations

import sys

from tandem.engine.cli import match_main, solve_main


def main(argv: list[str]) -> int:
    commands = {"match": match_main, "solve": solve_main}
    if not argv or argv[0] not in commands:
        print("usage: python -m tandem.engine {match,solve} ...", file=sys.stderr)
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
