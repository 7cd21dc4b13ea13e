"""No regex in the engine can backtrack catastrophically: every compiled pattern the engine
modules hold (module globals, and patterns inside their lists, tuples, dicts and classes) is
checked with regexploit, which finds sub-patterns where three or more quantifiers can match
the same characters (polynomial or exponential backtracking on a crafted run of them).

A single regex search is one C call: the time budget (SIGALRM) cannot interrupt it, so a
backtracking pattern can hold a worker until gunicorn kills it.
"""
import importlib
import pkgutil
import re
import warnings

import pytest

import service.engine

with warnings.catch_warnings():  # regexploit reads sre_parse, deprecated since Python 3.11
    warnings.simplefilter("ignore", DeprecationWarning)
    pytest.importorskip("regexploit")
    from regexploit.ast.sre import SreOpParser
    from regexploit.redos import find

# Found by this test and reported; each is an xfail until the engine's owners fix it.
KNOWN: dict[str, str] = {}


def _patterns_in(value, depth=0):
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 2 and isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _patterns_in(item, depth + 1)
    elif depth < 2 and isinstance(value, dict):
        for item in value.values():
            yield from _patterns_in(item, depth + 1)
    elif depth < 1 and isinstance(value, type):
        for item in vars(value).values():
            yield from _patterns_in(item, depth + 1)


def engine_patterns() -> dict[str, re.Pattern]:
    found = {}
    for info in pkgutil.walk_packages(service.engine.__path__, "service.engine."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            for n, pattern in enumerate(_patterns_in(value)):
                found.setdefault(f"{info.name}.{name}" + (f"[{n}]" if n else ""), pattern)
    return found


PATTERNS = engine_patterns()


def test_the_scan_sees_the_engine():
    assert len(PATTERNS) > 100


def _params():
    for name, pattern in sorted(PATTERNS.items()):
        marks = [pytest.mark.xfail(reason=KNOWN[name], strict=True)] if name in KNOWN else []
        yield pytest.param(pattern, id=name, marks=marks)


@pytest.mark.parametrize("pattern", list(_params()))
def test_no_catastrophic_backtracking(pattern):
    redos = [r for r in find(SreOpParser().parse_sre(pattern.pattern, pattern.flags)) if r.starriness > 2]
    assert not redos, [(r.starriness, r.repeated_character, r.example()) for r in redos]
