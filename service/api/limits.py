"""Resource limits of the HTTP API, each answered with its own problem+json.

    MAX_BODY_BYTES        413  the request body (checked in app.py before a byte is read)
    MAX_TEXT_CHARS        422  one text (extract.text_too_long), pointer at the text
    MAX_BATCH_DOCUMENTS   422  documents in one batch (extract.extract_batch), pointer /documents;
                               articles in one ledger batch (ledger.api.add_articles), pointer /articles
    MAX_JSON_DEPTH        422  nesting of arrays/objects in the body, pointer "" (this module)
    REQUEST_TIME_BUDGET   503  engine time per request (service.budget, SIGALRM), Retry-After

Bodies are read here too (webargs hands JSON parsing to the blueprint's parser): UTF-8 with
or without a byte-order mark; invalid UTF-8, NaN/Infinity and other non-JSON are 400 with a
message that says which. Unknown members are ignored (schemas.RequestSchema: EXCLUDE), so
callers may send their own metadata, but they count towards the size and depth limits.
"""
from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, g
from flask_smorest import abort
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from ..budget import BudgetExceeded, run_with_budget
from .errors import problem, problem_response

T = TypeVar("T")

_UTF8_BOM = b"\xef\xbb\xbf"
# Python refuses int() of more digits than this (CVE-2020-10735); longer JSON integers become
# Decimals instead of failing the parse (no field takes an integer, so they are refused or ignored).
_INT_DIGITS = 4000
RETRY_AFTER_SECONDS = 1


def _parse_int(digits: str):
    if len(digits) <= _INT_DIGITS:
        return int(digits)
    from decimal import Decimal
    return Decimal(digits)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _body_problem(status: int, detail: str) -> None:
    abort(status, message=detail, errors=[{"pointer": "", "detail": detail}])


def json_depth(value: Any) -> int:
    """Nesting depth of arrays and objects: a scalar is 0, {"a": 1} is 1, [[1]] is 2."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def load_json_body(raw: bytes) -> Any:
    """The body as JSON, or a 400/422 problem naming what is wrong with it."""
    raw = raw.removeprefix(_UTF8_BOM)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        _body_problem(400, f"The request body is not valid UTF-8: byte 0x{raw[err.start]:02x} at offset "
                           f"{err.start}. Send JSON encoded as UTF-8.")
    try:
        value = json.loads(text, parse_int=_parse_int, parse_constant=_refuse_constant)
    except RecursionError:
        value = None
        _too_deep()
    except json.JSONDecodeError:
        raise  # webargs answers it: 400 "Invalid JSON body."
    except ValueError as err:  # NaN, Infinity
        _body_problem(400, f"The request body is not valid JSON: {err}.")
    if json_depth(value) > current_app.config["MAX_JSON_DEPTH"]:
        _too_deep()
    return value


def _too_deep() -> None:
    limit = current_app.config["MAX_JSON_DEPTH"]
    abort(422, errors=[{"pointer": "", "detail": f"Arrays and objects nested deeper than MAX_JSON_DEPTH ({limit})."}])


class BodyParser(FlaskParser):
    """webargs' Flask parser with the body rules above."""

    def _raw_load_json(self, req) -> Any:
        if not is_json_request(req):
            return core.missing
        return load_json_body(req.get_data(cache=True))


# ------------------------------------------------------------------ the time budget

def start_clock() -> None:
    """before_request: the request's engine deadline (None when REQUEST_TIME_BUDGET is 0)."""
    budget = current_app.config.get("REQUEST_TIME_BUDGET") or 0
    g.engine_deadline = time.monotonic() + budget if budget > 0 else None


def within_budget(work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run *work* until the request's deadline; past it, BudgetExceeded (answered with 503)."""
    deadline: float | None = getattr(g, "engine_deadline", None)
    return run_with_budget(deadline, work, *args, budget_seconds=current_app.config.get("REQUEST_TIME_BUDGET"),
                           **kwargs)


def budget_detail() -> str:
    return (f"The text took longer than REQUEST_TIME_BUDGET ({current_app.config['REQUEST_TIME_BUDGET']} s) "
            "to read and was abandoned. Retry-After is for a busy server; the same text may run out of time "
            "again, so send it shorter (split it) or send fewer documents.")


def budget_problem() -> dict:
    """The problem document of one batch document that ran out of time."""
    return problem(503, budget_detail())


def budget_exceeded_response(error: BudgetExceeded):
    return problem_response(503, budget_detail(), headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def init_app(app: Flask) -> None:
    app.before_request(start_clock)
    app.register_error_handler(BudgetExceeded, budget_exceeded_response)
