"""Signals the workspace sends so other areas can act on a partnership's workspace events.

``workspace_purging`` is sent inside the retention purge's transaction, so every area that
keeps pair-private content of the partnership removes it in the same step; receivers add
what they removed to ``counts`` (numbers only), which the purge records and audits.
"""

from __future__ import annotations

from django.dispatch import Signal

# Keyword arguments: partnership (locked for the purge), counts (a dict to add numbers to).
workspace_purging = Signal()
