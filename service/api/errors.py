"""problem+json (RFC 9457) for every error the service answers.

Every error body has type, title, status and detail, plus instance and request_id; field
problems (422, and the unreadable body of a 400) list `errors` as JSON Pointers into the
request body. Headers an exception carries (Allow on 405) are kept. A 500 says nothing about
internals: the traceback goes to the log under the request id.
"""
from __future__ import annotations

import http
import logging
from typing import Any, Iterable, Iterator, Optional

from flask import Flask, Response, current_app, g, has_request_context, request
from werkzeug.exceptions import HTTPException

from . import media

PROBLEM_JSON = "application/problem+json"

log = logging.getLogger("service.api")

# Plain-language details for statuses whose werkzeug wording is vague or HTML-flavoured.
_DETAILS = {
    400: "The request body is not valid JSON.",
    404: "No such endpoint. The API is described at /openapi.yaml and /docs.",
    405: "This endpoint does not accept that method; see the Allow header.",
    415: "The request body must be JSON, sent with Content-Type: application/json.",
    422: "The request body is not valid; see errors.",
    500: "An unexpected error occurred. Quote the request_id when reporting it.",
}


def _pointer_token(key: Any) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def field_problems(messages: Any, prefix: str = "") -> list[dict]:
    """Flatten marshmallow/webargs error messages into [{"pointer", "detail"}] (RFC 6901 pointers).

    "_schema" (an error about the object itself) points at the object, not at a member.
    """
    return list(_walk(messages, prefix))


def request_problems(messages: Any) -> list[dict]:
    """webargs' messages ({location: {member: [message, ...]}}) as field problems: a JSON body's
    as JSON Pointers into it; a query parameter's as {"parameter": name}. A text/plain body is
    the text itself (pointer "") and its other members are query parameters."""
    if not isinstance(messages, dict) or not messages or not set(messages) <= {"json", "body", "query"}:
        return field_problems(messages)
    problems: list[dict] = []
    for location, inner in messages.items():
        if location == "query":
            problems += parameter_problems(inner)
        elif media.is_text_request() and isinstance(inner, dict):
            inner = dict(inner)
            problems += field_problems(inner.pop("text", []), "")
            problems += parameter_problems(inner)
        else:
            problems += field_problems(inner)
    return problems


def parameter_problems(messages: Any) -> list[dict]:
    """{parameter: messages} → [{"parameter", "detail"}]."""
    if not isinstance(messages, dict):
        return field_problems(messages)
    return [{"parameter": name, "detail": problem["detail"]}
            for name, value in messages.items() for problem in _walk(value, "")]


def _walk(messages: Any, pointer: str) -> Iterator[dict]:
    if isinstance(messages, dict):
        for key, value in messages.items():
            child = pointer if key == "_schema" else f"{pointer}/{_pointer_token(key)}"
            yield from _walk(value, child)
    elif isinstance(messages, (list, tuple)):
        for value in messages:
            yield from _walk(value, pointer)
    else:
        yield {"pointer": pointer, "detail": str(messages)}


# RFC 9110 titles where Python's http.HTTPStatus phrases differ between versions.
_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}


def problem(status: int, detail: Optional[str] = None, *, title: Optional[str] = None,
            errors: Optional[Iterable[dict]] = None, type_: str = "about:blank") -> dict:
    """The problem document for *status* (a dict, ready to be JSON)."""
    body = {
        "type": type_,
        "title": title or _TITLES.get(status) or http.HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or _DETAILS.get(status) or http.HTTPStatus(status).description,
    }
    if has_request_context():
        body["instance"] = request.path
        if getattr(g, "request_id", None):
            body["request_id"] = g.request_id
    if errors is not None:
        body["errors"] = list(errors)
    return body


def problem_response(status: int, detail: Optional[str] = None, *, headers: Optional[dict] = None,
                     **kwargs: Any) -> Response:
    response = current_app.json.response(problem(status, detail, **kwargs))
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def http_exception_response(error: HTTPException) -> Response:
    """Turn any werkzeug/webargs HTTPException into problem+json, keeping its headers."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    messages = data.get("messages")
    detail = data.get("message")
    errors = data.get("errors")  # already [{"pointer", "detail"}], from our own aborts
    if errors is None and messages is not None:
        errors = request_problems(messages)
    if detail is None and status == 422 and any("parameter" in e for e in errors or ()):
        detail = "The request is not valid; see errors."
    if status == 413 and detail is None:
        detail = f"The request body is larger than {current_app.config['MAX_CONTENT_LENGTH']} bytes."
    return problem_response(status, detail, headers=headers, errors=errors)


def internal_error_response(error: Exception) -> Response:
    log.exception("unhandled error in %s %s (request_id=%s)", request.method, request.path,
                  getattr(g, "request_id", "-"))
    return problem_response(500)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_exception_response)
    app.register_error_handler(Exception, internal_error_response)
