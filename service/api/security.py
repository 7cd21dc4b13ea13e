"""Optional bearer-key authentication, security headers, and logs that never quote input.

Authentication (API_KEYS, comma-separated): when set, every request except the health probes
needs `Authorization: Bearer <one of the keys>`, else 401 problem+json with WWW-Authenticate
(RFC 6750). The check runs before anything else looks at the request (routing errors, content
type, body), so an anonymous caller learns nothing. Keys are compared as SHA-256 digests with
hmac.compare_digest, against every key (no early exit): the time taken says nothing about how
much of a key matched or which key. Keys are never logged or echoed.

Headers on every response: X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer,
Cache-Control: no-store unless a view chose otherwise (the static Swagger UI assets), and a
Content-Security-Policy that allows nothing for API answers; /docs keeps its own stricter-than-
default page policy (service/api/docs.py) that lets Swagger UI run from local assets.

Logs: exception messages can quote the submitted text (a ValueError repeating a token), so
every log record's traceback is written with the exception's type and frames but without its
message (a process-wide LogRecord factory swaps the exception for a message-less stand-in).
"""
from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterable

from flask import Flask, current_app, request

from .errors import problem_response

PROBE_PATHS = frozenset({"/livez", "/healthz", "/readyz"})
REALM = "pledge-normalizer"
_API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_KEYS = "pledges.api_key_digests"


def _digest(key: str) -> bytes:
    # Header values arrive as latin-1 decoded text; surrogateescape keeps any byte comparable.
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).digest()


def key_matches(candidate: str, digests: Iterable[bytes]) -> bool:
    """Constant-time: compares the candidate with every key, whatever matched first."""
    probe = _digest(candidate)
    matched = False
    for digest in digests:
        matched |= hmac.compare_digest(probe, digest)
    return matched


def _bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def require_api_key():
    """before_request: 401 unless the request carries a valid key (when keys are configured)."""
    digests = current_app.extensions.get(_KEYS)
    if not digests or request.path in PROBE_PATHS:
        return None
    if request.method == "OPTIONS" and current_app.config.get("CORS_ORIGINS") \
            and "Access-Control-Request-Method" in request.headers:
        return None     # a browser's CORS preflight never carries credentials; the real request will
    header = request.headers.get("Authorization")
    token = _bearer_token(header)
    if token is not None and key_matches(token, digests):
        return None
    challenge = f'Bearer realm="{REALM}"'
    if header:
        challenge += ', error="invalid_token"'
        detail = "The Authorization header does not carry a valid key: send Authorization: Bearer <key>."
    else:
        detail = "This service needs an API key: send Authorization: Bearer <key>."
    return problem_response(401, detail, headers={"WWW-Authenticate": challenge})


def security_headers(response):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Content-Security-Policy", _API_CSP)
    headers.setdefault("X-Frame-Options", "DENY")
    if "Cache-Control" not in headers:
        headers["Cache-Control"] = "no-store"
    return response


# ------------------------------------------------------------------ logs without input text

_WITHHELD = "(message withheld: it may quote submitted text)"
_STAND_INS: dict = {}


def _stand_in_class(etype: type) -> type:
    """An exception class named like *etype* (so the log still says what went wrong)."""
    stand_in = _STAND_INS.get(etype)
    if stand_in is None:
        stand_in = type(etype.__name__, (Exception,), {
            "__module__": etype.__module__, "__qualname__": getattr(etype, "__qualname__", etype.__name__)})
        _STAND_INS[etype] = stand_in
    return stand_in


def withheld(exc_info: tuple) -> tuple:
    """exc_info with the same frames, but an exception that carries no message and no chain
    (a chained exception's message could quote the input just as well)."""
    etype, _, tb = exc_info
    stand_in = _stand_in_class(etype)
    return stand_in, stand_in(_WITHHELD).with_traceback(tb), tb


def _record_factory(default_factory):
    def make_record(*args, **kwargs):
        record = default_factory(*args, **kwargs)
        if record.exc_info and record.exc_info[0] is not None:
            # Every formatter (plain or JSON) formats exc_info itself: swap the exception.
            record.exc_info = withheld(record.exc_info)
            record.exc_text = None
        return record

    make_record.pledges_redacts = True
    return make_record


def redact_exception_messages() -> None:
    """Process-wide, once: every log record's traceback loses its exception message."""
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "pledges_redacts", False):
        logging.setLogRecordFactory(_record_factory(factory))


def init_app(app: Flask) -> None:
    keys = app.config.get("API_KEYS") or ()
    if isinstance(keys, str):
        keys = [k.strip() for k in keys.split(",")]
    app.extensions[_KEYS] = tuple(_digest(k) for k in keys if k)
    # Registered right after the request id is assigned (app.py): nothing else runs for an
    # anonymous caller, not even the routing, content-type and body-size checks.
    app.before_request(require_api_key)
    app.after_request(security_headers)
    redact_exception_messages()
