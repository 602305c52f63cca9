#!/usr/bin/env python3
"""Django's command-line utility; ``tandem`` is the same with Tandem's verbs on top."""

import sys

from tandem.cli import main

if __name__ == "__main__":
    sys.exit(main())
