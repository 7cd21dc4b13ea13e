"""A time budget for CPU-bound work in a gunicorn sync worker: SIGALRM, not a watchdog thread.

A thread with a timeout cannot stop pure-Python work (the engine would keep burning the core
after the caller gave up), so the budget is enforced in the worker's own main thread:
`signal.setitimer(ITIMER_REAL, remaining)` arms an alarm whose handler raises BudgetExceeded
inside whatever Python code of the work is running; the API answers it with 503.

    run_with_budget(deadline, engine.extract_pledges, text)   # deadline: time.monotonic()

Limits, by design:
- Python runs signal handlers between bytecodes. The `re` engine checks for signals while it
  matches (every few thousand steps), so even a backtracking regex is interrupted; other long
  C calls (one huge str.replace, json.dumps) only when they return. gunicorn's worker `timeout`
  is the backstop for those: it kills a worker silent for longer and starts a fresh one.
- The exception can land anywhere in the engine. That is safe because the engine keeps no
  state between calls except functools.lru_cache caches, which store only completed results
  (tests/reliability/test_budget.py checks the engine answers as before after interruptions).
- Signals reach only the main thread. Elsewhere (a threaded server, a thread pool) the budget
  is checked before the work starts and after it ends, never in between.
"""
from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

T = TypeVar("T")


class BudgetExceeded(Exception):
    """The request's time budget ran out; the work was interrupted (or never started)."""

    def __init__(self, budget_seconds: float | None = None):
        self.budget_seconds = budget_seconds
        super().__init__("time budget exhausted")


class _State:
    armed = False
    budget: float | None = None
    installed = False


_state = _State()


# After the deadline the alarm repeats at this interval while the work is still running: an
# exception raised where Python cannot propagate it (a gc callback, a __del__, a weakref
# callback: it is printed as "ignored") or swallowed by a broad `except` is raised again.
REPEAT_SECONDS = 0.05


def _call(work: Callable[..., T], args: tuple, kwargs: dict) -> T:
    """The work's entry point: the alarm raises only in this frame or below it."""
    return work(*args, **kwargs)


_CALL_CODE = _call.__code__


def _inside_the_work(frame: FrameType | None) -> bool:
    while frame is not None:
        if frame.f_code is _CALL_CODE:
            return True
        frame = frame.f_back
    return False


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    # Raise only inside the work. Anywhere else (a late alarm, run_with_budget's own code
    # before or after the work) an exception could escape before the timer is stopped; if
    # the work is in fact still running, the repeating alarm raises again there.
    if _state.armed and _inside_the_work(frame):
        raise BudgetExceeded(_state.budget)


def _can_use_signals() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _install() -> None:
    # Installed once and left in place: restoring the previous handler after each use would
    # open a window where a late alarm hits SIG_DFL and terminates the worker.
    if not _state.installed:
        signal.signal(signal.SIGALRM, _on_alarm)
        _state.installed = True


def run_with_budget(deadline: float | None, work: Callable[..., T], *args: Any,
                    budget_seconds: float | None = None, **kwargs: Any) -> T:
    """work(*args, **kwargs) until *deadline* (a time.monotonic() value); past it, BudgetExceeded.

    *deadline* None means no budget; *budget_seconds* is only reported in the exception.
    A function call rather than a `with` block on purpose: the timer is armed and stopped in
    this frame, where the alarm never raises, so no exception can skip stopping it."""
    if deadline is None:
        return work(*args, **kwargs)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise BudgetExceeded(budget_seconds)
    if not _can_use_signals():
        result = work(*args, **kwargs)
        if time.monotonic() > deadline:
            raise BudgetExceeded(budget_seconds)
        return result
    if _state.armed:  # nested: the outer budget is already running
        return work(*args, **kwargs)
    _install()
    _state.budget = budget_seconds
    _state.armed = True
    try:
        signal.setitimer(signal.ITIMER_REAL, remaining, REPEAT_SECONDS)
        return _call(work, args, kwargs)
    finally:
        _state.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
