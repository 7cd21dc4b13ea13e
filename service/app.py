"""The Flask application factory: configuration, blueprints, error handlers, request hooks."""
from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any, Mapping, Optional, Union

from flask import Flask, abort, g, request
from flask_compress import Compress
from flask_cors import CORS
from flask.json.provider import DefaultJSONProvider

from . import __version__, fx, logging_setup, telemetry
from .api import amounts, docs, extract, health, limits, media, metrics, security
from .api.base import Api
from .api.errors import register_error_handlers
from .api.schemas import json_number
from .config import Settings
from .ledger import api as ledger_api
from .ledger import page as ledger_page

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's request id is echoed only when it is short and plain (no header or log injection).
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@+=-]{1,128}")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

API_DESCRIPTION = """Reads aid pledges out of news text and answers them as validated, normalised JSON:
who pledged how much (exact value, ISO 4217 currency) to whom, for what, when, and whether it is
new, previously announced or a running total, with the evidence in the text.

Errors are `application/problem+json` (RFC 9457). Every response carries `X-Request-ID`.
"""


class JSONProvider(DefaultJSONProvider):
    """Decimals as exact JSON numbers (Flask would write them as strings); keys in schema order."""
    sort_keys = False

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, Decimal):
            return json_number(o)
        return DefaultJSONProvider.default(o)


def create_app(config: Optional[Union[Mapping[str, Any], Settings]] = None) -> Flask:
    """Build the app. *config*: a Settings, or a mapping of overrides on top of the
    environment's settings (upper-case keys: MAX_BODY_BYTES, MAX_TEXT_CHARS, WARM_UP, TESTING...)."""
    settings = config if isinstance(config, Settings) else Settings.from_env()
    app = Flask("service")
    app.json_provider_class = JSONProvider
    app.json = JSONProvider(app)
    app.config.update(settings.flask_config())
    app.config.update(
        WARM_UP=True,
        API_TITLE="pledge-normalizer",
        API_VERSION=__version__,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=None,  # we serve the checked-in spec and our own offline Swagger UI
        API_SPEC_OPTIONS={"info": {"description": API_DESCRIPTION,
                                   "license": {"name": "MIT"}}},
    )
    if isinstance(config, Mapping):
        app.config.update(config)
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_BODY_BYTES"]

    logging_setup.configure(app.config["LOG_LEVEL"])  # JSON lines
    # Read the ECB rates file once, here (before gunicorn forks its workers); a bad file stops the start.
    fx.rates_for(app.config.get("FX_RATES_FILE"))

    api = Api(app)
    app.extensions["pledges.api"] = api
    for blueprint in (extract.blp, amounts.blp, health.blp, metrics.blp, ledger_api.blp):
        api.register_blueprint(blueprint)
    ledger_api.init_app(app)  # connects lazily: the stateless endpoints never touch the database
    app.register_blueprint(docs.blp)
    app.register_blueprint(ledger_page.blp)  # /ledger, for people (not in the API spec, like /docs)
    register_error_handlers(app)
    app.before_request(_assign_request_id)
    security.init_app(app)  # API keys (runs next, before anything reads the request), headers
    app.before_request(_before_request)
    limits.init_app(app)  # the per-request engine time budget (503)
    app.after_request(_after_request)
    telemetry.init_app(app)  # metrics and the JSON request log line
    # gzip (or brotli/zstd) when the client accepts it: the 1 MB Swagger bundle, long answers.
    app.config.setdefault("COMPRESS_MIMETYPES", ["application/json", "application/problem+json", "application/x-yaml",
                                                 "application/yaml", "text/html", "text/css", "application/javascript",
                                                 "text/javascript", "text/plain"])
    app.config.setdefault("COMPRESS_MIN_SIZE", 1024)
    Compress(app)
    if app.config.get("CORS_ORIGINS"):   # off unless origins are configured
        origins = list(app.config["CORS_ORIGINS"])
        CORS(app, origins="*" if origins == ["*"] else origins, expose_headers=["X-Request-ID", "Retry-After"],
             allow_headers=["Authorization", "Content-Type", "X-Request-ID"], methods=["GET", "POST", "OPTIONS"])

    docs.load_published_spec(app)
    if app.config["WARM_UP"]:
        health.warm_up(app)
    return app


def _assign_request_id() -> None:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = incoming if _SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex


def _before_request() -> None:
    if request.method in _BODY_METHODS and request.routing_exception is None:
        media.check_content_type()  # 415 unless the endpoint takes this body's media type
        limit = request.max_content_length
        if limit is None:
            return
        if request.content_length is not None:
            if request.content_length > limit:
                abort(413)  # refuse before reading a byte of it
        elif len(request.get_data(cache=True)) >= limit and request.environ["wsgi.input"].read(1):
            # A chunked body: werkzeug stops reading at the limit and would hand on the
            # truncated prefix as if it were the whole body; one more byte means it was longer.
            abort(413)


def _after_request(response):
    request_id = getattr(g, "request_id", None) or uuid.uuid4().hex
    response.headers[REQUEST_ID_HEADER] = request_id
    return response
