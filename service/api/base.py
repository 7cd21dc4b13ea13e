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

from .errors import PROBLEM_JSON, http_exception_response
from .examples import PROBLEM_EXAMPLES
from .schemas import ProblemSchema

# Component name of each problem response the spec refers to.
PROBLEM_RESPONSES = {
    400: "BadRequest",
    413: "ContentTooLarge",
    415: "UnsupportedMediaType",
    422: "UnprocessableContent",
    500: "InternalServerError",
    503: "ServiceUnavailable",
}

_PROBLEM_DESCRIPTIONS = {
    400: "The body is not valid JSON",
    413: "The body is larger than MAX_BODY_BYTES (default 1 MiB)",
    415: "The body is not sent as application/json",
    422: "The JSON is well formed but invalid; `errors` points at each offending field",
    500: "Unexpected failure; no internals are disclosed",
    503: "Not ready (still starting, or draining before shutdown)",
}


class Api(flask_smorest.Api):
    DEFAULT_ERROR_RESPONSE_NAME = None  # every operation lists its own error responses
    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        for status, name in PROBLEM_RESPONSES.items():
            self.spec.components.response(name, {
                "description": f"{http.HTTPStatus(status).phrase}: {_PROBLEM_DESCRIPTIONS[status]}",
                "content": {PROBLEM_JSON: {"schema": ProblemSchema, "example": PROBLEM_EXAMPLES[status]}},
            }, lazy=True)

    def handle_http_exception(self, error):
        return http_exception_response(error)


class Blueprint(flask_smorest.Blueprint):
    def arguments(self, schema, *args, **kwargs):
        decorate = super().arguments(schema, *args, **kwargs)

        def decorator(func: Callable) -> Callable:
            view = decorate(func)
            view._apidoc["arguments"]["responses"] = {422: PROBLEM_RESPONSES[422]}
            return view

        return decorator

    def problems(self, *statuses: int) -> Callable:
        """Document these problem+json responses on an operation."""
        def decorator(func: Callable) -> Callable:
            for status in statuses:
                func = self.alt_response(status, PROBLEM_RESPONSES[status])(func)
            return func

        return decorator
