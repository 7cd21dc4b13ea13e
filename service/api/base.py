"""flask-smorest, adjusted so the generated spec says what the service really answers.

- Error responses are problem+json (RFC 9457), registered once as named components.
- flask-smorest names its automatic 422 after http.HTTPStatus, whose member names change
  between Python versions (UNPROCESSABLE_ENTITY → UNPROCESSABLE_CONTENT); a fixed name keeps
  openapi.yaml byte-identical wherever it is generated.
"""
from __future__ import annotations

import http
from typing import Callable

import flask_smorest
from apispec import BasePlugin

from . import media
from .errors import PROBLEM_JSON, http_exception_response
from .examples import PROBLEM_EXAMPLES
from .limits import BodyParser
from .schemas import QUALIFIER_COMPONENT, ProblemSchema, Qualifier, ValidatedEach

SECURITY_SCHEME = "ApiKey"

# Component name of each problem response the spec refers to.
PROBLEM_RESPONSES = {
    400: "BadRequest",
    401: "Unauthorized",
    404: "NotFound",
    405: "MethodNotAllowed",
    413: "ContentTooLarge",
    415: "UnsupportedMediaType",
    422: "UnprocessableContent",
    500: "InternalServerError",
    503: "ServiceUnavailable",
}

_PROBLEM_DESCRIPTIONS = {
    400: "The body is not valid JSON (or not UTF-8), a text/plain body is not valid in its charset, or no "
         "line of an NDJSON body is JSON",
    401: "API_KEYS is set and the request has no valid Authorization: Bearer <key>",
    404: "There is no such resource",
    405: "This path does not answer that method; the Allow header lists those it does",
    413: "The body is larger than MAX_BODY_BYTES (default 1 MiB)",
    415: "The body's Content-Type is not one the operation takes (see its requestBody), or a text/plain "
         "body's charset is no text encoding the service knows",
    422: "The JSON is well formed but invalid; `errors` points at each offending field",
    500: "Unexpected failure; no internals are disclosed",
    503: "The request ran out of REQUEST_TIME_BUDGET (engine time). Retry-After is for a busy server; "
         "the same text may run out of time again: send it shorter",
}


_PROBLEM_HEADERS = {
    401: {"WWW-Authenticate": {"description": 'Bearer realm="pledge-normalizer" (RFC 6750)',
                               "schema": {"type": "string"}, "required": True}},
    405: {"Allow": {"description": "The methods this path answers", "schema": {"type": "string"}, "required": True}},
    503: {"Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}},
}

def _validated_each_items(converter, field, ret, **kwargs) -> dict:
    """A ValidatedEach list answers a bad item with its own error instead of refusing the
    request, so the spec must not call such a request invalid: items are the documented
    shape *or anything else* (which then gets its own 422 in the results)."""
    if isinstance(field, ValidatedEach) and "items" in ret:
        return {"items": {"anyOf": [ret["items"], {
            "description": "Anything else is accepted too, and answered with its own 422 problem"}]}}
    return {}


def _qualifier_reference(converter, field, ret, **kwargs) -> dict:
    """A Qualifier field is the Qualifier component or null, not an enum of its own."""
    if isinstance(field, Qualifier):
        ret.clear()
        return {"anyOf": [{"$ref": "#/components/schemas/Qualifier"},
                          {"type": "string", "nullable": True, "enum": [None], "description": "null: an exact amount"}]}
    return {}


class _MethodNotAllowedEverywhere(BasePlugin):
    """Every path answers the methods it does not have with 405 (werkzeug's routing, before any
    view): each operation documents it."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            if isinstance(operation, dict):
                operation.setdefault("responses", {})[405] = PROBLEM_RESPONSES[405]


class Api(flask_smorest.Api):
    DEFAULT_ERROR_RESPONSE_NAME = None  # every operation lists its own error responses
    ERROR_SCHEMA = ProblemSchema

    def init_app(self, app, *args, spec_kwargs=None, **kwargs):
        spec_kwargs = dict(spec_kwargs or {})
        spec_kwargs["extra_plugins"] = [*spec_kwargs.get("extra_plugins", ()), _MethodNotAllowedEverywhere()]
        super().init_app(app, *args, spec_kwargs=spec_kwargs, **kwargs)
        self.ma_plugin.converter.add_attribute_function(_validated_each_items)
        self.ma_plugin.converter.add_attribute_function(_qualifier_reference)

    def _register_responses(self):
        self.spec.components.schema("Qualifier", QUALIFIER_COMPONENT)
        self.spec.components.security_scheme(SECURITY_SCHEME, {
            "type": "http", "scheme": "bearer",
            "description": "Only when the service is started with API_KEYS (comma-separated keys); "
                           "the health probes never need it"})
        for status, name in PROBLEM_RESPONSES.items():
            self.spec.components.response(name, {
                "description": f"{http.HTTPStatus(status).phrase}: {_PROBLEM_DESCRIPTIONS[status]}",
                "content": {PROBLEM_JSON: {"schema": ProblemSchema, "example": PROBLEM_EXAMPLES[status]}},
                **({"headers": _PROBLEM_HEADERS[status]} if status in _PROBLEM_HEADERS else {}),
            }, lazy=True)

    def handle_http_exception(self, error):
        return http_exception_response(error)


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = BodyParser()  # UTF-8 with or without BOM, clear 400s, MAX_JSON_DEPTH

    def arguments(self, schema, *args, **kwargs):
        decorate = super().arguments(schema, *args, **kwargs)

        def decorator(func: Callable) -> Callable:
            view = decorate(func)
            view._apidoc["arguments"]["responses"] = {422: PROBLEM_RESPONSES[422]}
            return view

        return decorator

    def takes_text(self, *, description: str, example: str) -> Callable:
        """The view also takes a text/plain body: the text itself, the request's other members
        as query parameters (documented by the view's own query arguments, if it has options)."""
        def decorator(func: Callable) -> Callable:
            return self.doc(requestBody={"content": {media.TEXT_PLAIN: {
                "schema": {"type": "string", "minLength": 1, "pattern": r"\S", "description": description},
                "example": example}}})(media.mark(func, (media.TEXT_PLAIN,)))

        return decorator

    def takes_ndjson(self, line_schema, result_schema, *, example: str, response_example: str) -> Callable:
        """The view also takes an application/x-ndjson body (one *line_schema* object per line)
        and answers application/x-ndjson (one *result_schema* object per line) when asked to."""
        def decorator(func: Callable) -> Callable:
            line = {"anyOf": [line_schema, {"description": "A line that is anything else is accepted too, and "
                                                           "answered with its own problem (400 or 422) as its result"}],
                    "description": "One per line (the schema of a line)"}
            return self.doc(
                requestBody={"content": {media.NDJSON: {"schema": line, "example": example}}},
                responses={200: {"content": {media.NDJSON: {"schema": result_schema, "example": response_example}}}},
            )(media.mark(func, (media.NDJSON,)))

        return decorator

    def problems(self, *statuses: int) -> Callable:
        """Document these problem+json responses on an operation."""
        def decorator(func: Callable) -> Callable:
            for status in statuses:
                func = self.alt_response(status, PROBLEM_RESPONSES[status])(func)
            if 401 in statuses:  # no key (API_KEYS unset) or a bearer key
                func = self.doc(security=[{}, {SECURITY_SCHEME: []}])(func)
            return func

        return decorator
