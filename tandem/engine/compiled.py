"""Hot loops compiled with numba where it is installed, for national-scale cohorts.

Each loop is written once as plain Python over numpy arrays; ``compiled`` returns its machine
code version (cached on disk after the first run), or None so the caller keeps its numpy path.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import numpy as np

_cache: dict[str, Any] = {}


def compiled(fn: Callable[..., Any], *helpers: Callable[..., Any]) -> Any:
    """``fn`` compiled without the GIL (so threads run side by side), or None without numba.

    ``helpers`` are the plain functions ``fn`` calls, callees before their callers; they are
    compiled too and ``fn`` is compiled against them, since compiled code can only call
    compiled functions.
    """
    key = f"{fn.__module__}.{fn.__qualname__}"
    if key not in _cache:
        try:
            # Imported on first use: numba takes half a second to load, which every other
            # user of the engine (the web app, small cohorts) would pay for nothing.
            import numba
        except ImportError:
            _cache[key] = None
            return None
        try:
            _cache[key] = _jit(numba, fn, helpers, cache=True)
        except RuntimeError:
            # No writable place for the disk cache (a read-only install): compile each run.
            _cache[key] = _jit(numba, fn, helpers, cache=False)
    return _cache[key]


def _jit(
    numba: Any, fn: Callable[..., Any], helpers: tuple[Callable[..., Any], ...], *, cache: bool
) -> Any:
    jit = numba.njit(nogil=True, cache=cache)
    names: dict[str, Any] = {}
    # Each helper is compiled against the helpers listed before it, ``fn`` against them all.
    for helper in helpers:
        names[helper.__name__] = jit(_rebound(helper, names))
    return jit(_rebound(fn, names))


def _rebound(fn: Callable[..., Any], names: dict[str, Any]) -> Callable[..., Any]:
    """A copy of ``fn`` whose global ``names`` are the compiled versions."""
    scope = {**fn.__globals__, **names}
    copy = types.FunctionType(fn.__code__, scope, fn.__name__, fn.__defaults__)
    copy.__qualname__ = fn.__qualname__
    copy.__module__ = fn.__module__
    return copy


def popcount(x: np.uint64) -> int:
    """Set bits of a 64-bit word (SWAR); numba turns this into the processor's instruction."""
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return int((x * np.uint64(0x0101010101010101)) >> np.uint64(56))
