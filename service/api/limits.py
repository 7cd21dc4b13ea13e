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
from . import media
from .errors import problem, problem_response
from .schemas import UnreadableLine

T = TypeVar("T")

# Python refuses int() of more digits than this (CVE-2020-10735); longer JSON integers become
# Decimals instead of failing the parse (no field takes an integer, so they are refused or ignored).
_INT_DIGITS = 4000
RETRY_AFTER_SECONDS = 1
_UTF8_BOM = b"\xef\xbb\xbf"


def _parse_int(digits: str):
    if len(digits) <= _INT_DIGITS:
        return int(digits)
    from decimal import Decimal
    return Decimal(digits)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


_body_problem = media.body_problem


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


class _Unreadable(Exception):
    """JSON text that is no acceptable JSON value: status (400 or 422) and a detail that
    completes "The request body is ..." or "Line 3 is ..."."""

    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


def _too_deep_detail() -> str:
    return f"Arrays and objects nested deeper than MAX_JSON_DEPTH ({current_app.config['MAX_JSON_DEPTH']})."


def _parse_json(text: str) -> Any:
    """Strict JSON (no NaN or Infinity; long integers as Decimals) nested at most MAX_JSON_DEPTH
    deep. Raises json.JSONDecodeError for text that is not JSON, _Unreadable for the rest."""
    try:
        value = json.loads(text, parse_int=_parse_int, parse_constant=_refuse_constant)
    except RecursionError:
        raise _Unreadable(422, _too_deep_detail()) from None
    except json.JSONDecodeError:
        raise
    except ValueError as err:  # NaN, Infinity
        raise _Unreadable(400, f"not valid JSON: {err}.") from None
    if json_depth(value) > current_app.config["MAX_JSON_DEPTH"]:
        raise _Unreadable(422, _too_deep_detail())
    return value


def load_json_body(raw: bytes) -> Any:
    """The body as JSON, or a 400/422 problem naming what is wrong with it."""
    text = media.decode(raw, "utf-8", "Send JSON encoded as UTF-8.")
    try:
        return _parse_json(text)  # json.JSONDecodeError: webargs answers it, 400 "Invalid JSON body."
    except _Unreadable as err:
        if err.status == 422:
            abort(422, errors=[{"pointer": "", "detail": err.detail}])
        _body_problem(400, f"The request body is {err.detail}")


def load_ndjson_body(raw: bytes) -> list:
    """An application/x-ndjson body: one JSON value per line, blank lines skipped. A line that
    is not one becomes an UnreadableLine (it gets its own problem, the others are still read);
    the whole body is refused only when no line is a JSON value (400) or there is none (422).
    The line numbers are kept for the results (media.ndjson_lines)."""
    values: list = []
    lines: list[int] = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        if number == 1:
            line = line.removeprefix(_UTF8_BOM)
        try:
            value = _parse_json(line.decode("utf-8"))
        except UnicodeDecodeError as err:
            value = UnreadableLine(400, f"Line {number} is not valid UTF-8: byte 0x{line[err.start]:02x} at "
                                        f"offset {err.start} of the line.")
        except json.JSONDecodeError as err:
            value = UnreadableLine(400, f"Line {number} is not valid JSON: {err.msg} (column {err.colno}).")
        except _Unreadable as err:
            value = UnreadableLine(err.status, f"Line {number}: {err.detail}")
        values.append(value)
        lines.append(number)
    if not values:
        _body_problem(422, "The body has no lines: send one JSON object per line (application/x-ndjson).")
    if all(isinstance(value, UnreadableLine) for value in values):
        _body_problem(400, f"The request body is not NDJSON: none of its lines is a JSON value. {values[0].detail}")
    media.keep_ndjson(values, lines)
    return values


class BodyParser(FlaskParser):
    """webargs' Flask parser with the body rules above; a text/plain body (on the endpoints
    that take one) is loaded as the members a JSON body would have (service.api.media)."""

    def load_json(self, req, schema) -> Any:
        if media.is_text_request():
            return media.text_members()
        if media.is_ndjson_request():
            return {"documents": load_ndjson_body(req.get_data(cache=True))}
        return super().load_json(req, schema)

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
