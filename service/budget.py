"""A time budget for CPU-bound work in a gunicorn sync worker: SIGALRM, not a watchdog thread.

A thread with a timeout cannot stop pure-Python work (the engine would keep burning the core
after the caller gave up), so the budget is enforced in the worker's own main thread:
`signal.setitimer(ITIMER_REAL, remaining)` arms a one-shot alarm whose handler raises
BudgetExceeded inside whatever Python code is running; the API answers it with 503.

    with time_budget(deadline):     # deadline: a time.monotonic() value
        engine.extract_pledges(text)

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
from collections.abc import Iterator
from contextlib import contextmanager


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


# After the deadline the alarm repeats at this interval until the block has ended: an exception
# raised where Python cannot propagate it (a gc callback, a __del__, a weakref callback: it is
# printed as "ignored") or swallowed by a broad `except` in the work is raised again.
REPEAT_SECONDS = 0.05


def _on_alarm(signum, frame) -> None:
    # Ignore a late alarm that arrives after the work already ended.
    if _state.armed:
        raise BudgetExceeded(_state.budget)


def _can_use_signals() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _install() -> None:
    # Installed once and left in place: restoring the previous handler after each use would
    # open a window where a late alarm hits SIG_DFL and terminates the worker.
    if not _state.installed:
        signal.signal(signal.SIGALRM, _on_alarm)
        _state.installed = True


@contextmanager
def time_budget(deadline: float | None, budget_seconds: float | None = None) -> Iterator[None]:
    """Run the block until *deadline* (time.monotonic()); past it, raise BudgetExceeded.

    *deadline* None means no budget. *budget_seconds* is only reported in the exception."""
    if deadline is None:
        yield
        return
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise BudgetExceeded(budget_seconds)
    if not _can_use_signals():
        yield
        if time.monotonic() > deadline:
            raise BudgetExceeded(budget_seconds)
        return
    if _state.armed:  # nested: the outer budget is already running
        yield
        return
    _install()
    _state.budget = budget_seconds
    _state.armed = True
    signal.setitimer(signal.ITIMER_REAL, remaining, REPEAT_SECONDS)
    try:
        yield
    finally:
        _disarm()


def _disarm() -> None:
    # The alarm may fire here too, before `armed` is cleared: then clear it again.
    while True:
        try:
            _state.armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            return
        except BudgetExceeded:
            continue
